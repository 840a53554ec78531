"""Journalist exports: PNG and SVG with the source line inside, CSV equal to the drawn data, the zip bundle, CLI."""

from __future__ import annotations

import io
import struct
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from tests.app.conftest import chromium_or_skip
from tests.app.png_ink import source_line_ink
from tokentide.cli import main
from tokentide.reporting import export
from tokentide.reporting.chart import Chart, source_annotation_text
from tokentide.reporting.chartbook import build_chart
from tokentide.reporting.scope import Scope

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def chart(scope: Scope) -> Chart:
    return build_chart("concentration", scope)


@pytest.fixture(scope="module")
def bundle(chart: Chart, scope: Scope) -> zipfile.ZipFile:
    chromium_or_skip()
    data = export.bundle_bytes(chart, scope, permalink="http://127.0.0.1:8501/concentration?period=year", options={})
    return zipfile.ZipFile(io.BytesIO(data))


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_SIGNATURE and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_png_is_a_real_image_that_draws_its_source_line(chart: Chart, bundle: zipfile.ZipFile) -> None:
    png = bundle.read("concentration_2026-10-26.png")
    assert png_size(png) == (2400, 1440)  # 1200 x 720 at scale 2
    assert 40_000 < len(png) < 5_000_000
    assert png.rstrip().endswith(b"IEND\xaeB`\x82")
    assert source_line_ink(png, chart) > 1_000  # the text is drawn in the image, under the chart
    layout_text = source_annotation_text(chart.figure)
    assert layout_text is not None and chart.source_line.split(" compiled from ")[0] in layout_text
    assert "Data as of 2026-10-26" in layout_text


def test_svg_is_valid_and_carries_title_source_and_as_of(chart: Chart, bundle: zipfile.ZipFile) -> None:
    svg = bundle.read("concentration_2026-10-26.svg").decode("utf-8")
    root = ET.fromstring(svg)  # noqa: S314 - our own renderer's output
    assert root.tag.endswith("svg")
    text = " ".join(t for t in root.itertext())
    assert "Source: list prices published by" in text and "models.dev (via the model-prices package)" in text
    assert "milestones (MIT)" not in text  # readers get the primary sources, not internal dataset names
    assert "Data as of 2026-10-26 18:46 UTC" in text
    assert "Market concentration: HHI and CR4" in text and "HHI (0-10,000)" in text


def test_bundle_files_unpack_readable_by_everyone(bundle: zipfile.ZipFile, chart: Chart, scope: Scope,
                                                  tmp_path: Path) -> None:  # fmt: skip
    modes = {info.filename: (info.external_attr >> 16) & 0o777 for info in bundle.infolist()}
    assert modes == dict.fromkeys(bundle.namelist(), 0o644)
    target = export.write_export(chart, scope, "csv", tmp_path)
    assert target.stat().st_mode & 0o777 == 0o644


def test_bundle_csv_equals_the_charted_data(chart: Chart, bundle: zipfile.ZipFile) -> None:
    stem = "concentration_2026-10-26"
    assert sorted(bundle.namelist()) == ["SOURCE.txt", f"{stem}.csv", f"{stem}.png", f"{stem}.svg"]
    csv = pd.read_csv(io.BytesIO(bundle.read("concentration_2026-10-26.csv")))
    expected = chart.data.reset_index(drop=True)
    assert list(csv.columns) == list(expected.columns)
    assert csv["hhi"].tolist() == expected["hhi"].astype(float).round(0).tolist()  # HHI to whole points
    assert csv["period"].astype(str).tolist() == expected["period"].astype(str).tolist()
    points = next(t for t in chart.figure.data if t.name.startswith("HHI") and "markers" in t.mode)
    assert [float(v) for v in points.y] == pytest.approx(csv["hhi"].tolist(), abs=0.5)


def test_source_txt_says_where_everything_came_from(bundle: zipfile.ZipFile) -> None:
    text = bundle.read("SOURCE.txt").decode("utf-8")
    for needle in (
        "milestones: MIT",
        "model-prices: MIT",
        "Data as of: 2026-10-26 18:46 UTC",
        "Permalink: http://127.0.0.1:8501/concentration?period=year",
        "Filters: all models",
        "Tier rule: positioning v1",
        "Blend: 3:1 input:output",
        "Source line printed on the chart: Source: list prices published by",
    ):
        assert needle in text, needle


def test_csv_needs_no_browser_and_images_say_how_to_get_one(
    chart: Chart, scope: Scope, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.delenv("TOKENTIDE_CHROMIUM", raising=False)
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    monkeypatch.setattr(export, "BROWSER_NAMES", ("no-such-browser",))
    assert export.export_bytes(chart, scope, "csv") == export.csv_bytes(chart)
    with pytest.raises(export.ExportError, match="apt-get install chromium"):
        export.export_bytes(chart, scope, "png")


def test_cli_writes_the_same_csv_as_the_app(default_warehouse: Path, scope: Scope, tmp_path: Path) -> None:
    code = main(["--db", str(default_warehouse), "export", "--chart", "movers", "--format", "csv", "--out",
                 str(tmp_path), "--option", "dir=cut"])  # fmt: skip
    assert code == 0
    written = pd.read_csv(tmp_path / "movers_2026-10-26_dir-cut.csv")
    expected = build_chart("movers", scope, {"dir": "cut"})
    assert len(written) == len(expected.data) > 0
    assert set(written["direction"]) == {"down"}
    assert written["pct_change"].tolist() == pytest.approx(expected.data["pct_change"].tolist(), abs=0.05)


def test_cli_applies_filters_and_a_permalink(default_warehouse: Path, tmp_path: Path) -> None:
    link = "http://127.0.0.1:8501/price_curves?tier=economy&color=author"
    code = main(
        [
            "--db",
            str(default_warehouse),
            "export",
            "--chart",
            "price-curves",
            "--format",
            "csv",
            "--out",
            str(tmp_path),
            "--link",
            link,
            "--author",
            "openai,google",
        ]
    )
    assert code == 0
    csv = pd.read_csv(tmp_path / "price-curves_2026-10-26_author-openai+google_color-author_tier-economy.csv")
    launch = csv[csv["layer"] == "launch"]
    assert set(launch["assigned_tier"]) == {"economy"} and set(launch["author"]) == {"openai", "google"}
    assert {"frontier", "trend"} <= set(csv["layer"])  # coloured by maker, the tier lines stay


def test_cli_png_with_no_matching_data_still_explains_itself(default_warehouse: Path, tmp_path: Path) -> None:
    chromium_or_skip()
    code = main(["--db", str(default_warehouse), "export", "--chart", "shares", "--format", "png", "--out",
                 str(tmp_path), "--country", "ZZ"])  # fmt: skip
    assert code == 0
    assert png_size((tmp_path / "shares_2026-10-26_country-ZZ.png").read_bytes()) == (2400, 1440)


def test_cli_rejects_an_unknown_option(default_warehouse: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    code = main(
        [
            "--db",
            str(default_warehouse),
            "export",
            "--chart",
            "movers",
            "--out",
            str(tmp_path),
            "--option",
            "colour=red",
        ]
    )
    assert code == 2
    assert "KEY one of" in capsys.readouterr().err


USAGE_CSV = "period,author,tokens,country\n2025,openai,600,US\n2025,deepseek,300,CN\n2025,mistral,100,FR\n"


def test_concentration_on_a_usage_file(scope: Scope, default_warehouse: Path, tmp_path: Path) -> None:
    usage = pd.read_csv(io.StringIO(USAGE_CSV))
    chart = build_chart("concentration", scope, {"basis": "usage"}, usage)
    assert chart.data["hhi"].tolist() == pytest.approx([60**2 + 30**2 + 10**2])
    assert "usage" in chart.subtitle
    split = build_chart("country-split", scope, {"basis": "usage"}, usage)
    assert dict(zip(split.data["country_group"].astype(str), split.data["share_pct"], strict=True)) == pytest.approx(
        {"US": 60.0, "CN": 30.0, "other": 10.0}
    )
    (tmp_path / "usage.csv").write_text(USAGE_CSV, encoding="utf-8")
    code = main(
        [
            "--db",
            str(default_warehouse),
            "export",
            "--chart",
            "shares",
            "--format",
            "csv",
            "--out",
            str(tmp_path),
            "--option",
            "basis=usage",
            "--usage",
            str(tmp_path / "usage.csv"),
        ]
    )
    assert code == 0
    shares = pd.read_csv(tmp_path / "shares_2026-10-26_basis-usage.csv")
    assert shares["share_pct"].sum() == pytest.approx(100.0)


def test_usage_basis_without_a_file_draws_nothing_and_says_so(scope: Scope) -> None:
    chart = build_chart("concentration", scope, {"basis": "usage"})
    assert chart.empty
