"""Honest time (banner, windows, dates past the data) and publishable exports (names, credits, CSV, links)."""

from __future__ import annotations

import io
import math
from pathlib import Path

import pandas as pd
import pytest

from tests.app.conftest import INJECTION
from tokentide.reporting import freshness, publishing
from tokentide.reporting.chartbook import build_chart
from tokentide.reporting.dataset import Dataset
from tokentide.reporting.export import csv_bytes, file_name
from tokentide.reporting.filters import parse_filters
from tokentide.reporting.scope import Scope, build_scope
from tokentide.settings.config import ConfigError, load_settings, public_url

END = pd.Timestamp("2026-10-26 18:46", tz="UTC")


def test_a_banner_says_how_old_the_data_are_and_how_to_refresh() -> None:
    stale = freshness.staleness(END, pd.Timestamp("2026-12-01 09:00", tz="UTC"))
    assert stale.stale and stale.age_days == 35
    assert "26 Oct 2026" in stale.banner and "tokentide collect" in stale.banner
    assert freshness.staleness(END, END + pd.Timedelta(days=7)).banner is None  # a week old: no banner
    assert freshness.staleness(None, END).banner.startswith("No prices have been loaded yet")


def test_windows_are_named_by_the_data_end_and_dates_past_it_say_so() -> None:
    assert freshness.window_label(END, 7) == "7 days to 26 Oct 2026"
    note = freshness.past_data_note("2026-11-01", END)
    assert note is not None and "2026-10-26" in note and "2026-11-01" in note
    assert freshness.past_data_note("2026-10-01", END) is None


def test_source_freshness_says_published_and_checked_apart() -> None:
    line = freshness.source_line(END, pd.Timestamp("2026-12-01 08:00", tz="UTC"), "ok",
                                 pd.Timestamp("2026-12-01 09:00", tz="UTC"))  # fmt: skip
    assert line == "published 26 Oct 2026 (35 days ago) · checked today (ok)"


def test_file_names_carry_chart_data_date_and_filters(dataset: Dataset) -> None:
    us = build_scope(dataset, parse_filters({"country": "US"}))
    chart = build_chart("price-curves", us)
    assert file_name(chart, "png", us) == "price-curves_2026-10-26_country-US.png"
    assert file_name(chart, "bundle", us, {"color": "author"}) == "price-curves_2026-10-26_color-author_country-US.zip"
    hostile = publishing.filter_slug({"author": INJECTION, "tier": "../../etc"})
    assert "/" not in hostile and "'" not in hostile and " " not in hostile and len(hostile) <= 80


def test_credit_line_names_primary_sources_not_internal_datasets(scope: Scope) -> None:
    line = build_chart("price-curves", scope).source_line
    assert line.startswith("Source: list prices published by ")
    assert "makers' price pages" in line and "models.dev" in line and "(MIT)" not in line


def test_no_zero_counts_in_the_not_drawn_text(dataset: Dataset) -> None:
    openai = build_scope(dataset, parse_filters({"author": "openai", "tier": "flagship"}))
    subtitle = build_chart("price-curves", openai).subtitle
    assert " 0 free" not in subtitle and " 0 unknown" not in subtitle and " 0 undated" not in subtitle


def test_csv_numbers_are_rounded_and_never_inf(scope: Scope) -> None:
    frame = pd.DataFrame({"usd_per_mtok": [0.123456789, 15.0], "hhi": [1234.5678, 10_000.0],
                          "ci_high_years": [math.inf, 1.23456], "share_pct": [33.33333, 66.66667]})  # fmt: skip
    out = publishing.publishable(frame)
    assert out["usd_per_mtok"].tolist() == [0.1235, 15.0]
    assert out["hhi"].tolist() == [1235.0, 10_000.0] and out["share_pct"].tolist() == [33.3, 66.7]
    assert pd.isna(out["ci_high_years"].iloc[0]) and out["ci_high_years"].iloc[1] == 1.235
    text = csv_bytes(build_chart("half-life-by-tier", scope)).decode()
    assert "inf" not in text.lower()
    digits = pd.read_csv(io.StringIO(text))["half_life_years"].dropna().astype(str)
    assert (digits.str.split(".").str[-1].str.len() <= 3).all()


def test_permalinks_use_the_public_base_url_and_keep_the_page() -> None:
    link = publishing.public_link("https://prices.example.org/tt/", "http://127.0.0.1:8501/tt/concentration",
                                  {"country": "US"})  # fmt: skip
    assert link == "https://prices.example.org/tt/concentration?country=US"
    assert publishing.public_link(None, "http://127.0.0.1:8551/models", {}) == "http://127.0.0.1:8551/models"


def test_public_url_config_is_validated(tmp_path: Path) -> None:
    good = tmp_path / "good.toml"
    good.write_text('[app]\npublic_url = "https://prices.example.org/"\n', encoding="utf-8")
    assert public_url(load_settings(good)) == "https://prices.example.org/"
    bad = tmp_path / "bad.toml"
    bad.write_text('[app]\npublic_url = "javascript:alert(1)"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="app.public_url"):
        public_url(load_settings(bad))
