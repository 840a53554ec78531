"""The collect settings: defaults, every key read from TOML, and typos refused with the key named."""

from __future__ import annotations

from pathlib import Path

import pytest

from tokentide.collectors.sources import collect_settings, duration_seconds, format_duration
from tokentide.settings.config import ConfigError, load_settings

EXAMPLE = """
[sources.openrouter]
url = "file:///srv/mirror/models.json"
every = "15m"
[sources.openrouter-endpoints]
follow = ["anthropic/claude-3.5-haiku"]
request_interval_seconds = 2.5
[sources.epoch]
enabled = false
[collect]
max_attempts = 6
backoff_base_seconds = 0.5
lock_wait_seconds = 5
[schedule]
in_app = true
misfire_grace_seconds = 60
[discrepancies]
threshold_pct = 25
[alerts]
atom_path = ""
webhook_url = "https://hooks.example.test/x"
[[alerts.rules]]
name = "cuts"
models = ["openai/*"]
min_pct = 10
direction = "down"
"""


def load(tmp_path: Path, text: str):
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return collect_settings(load_settings(path), tmp_path / "data" / "w.duckdb")


def test_defaults_follow_the_issue(tmp_path: Path) -> None:
    config = collect_settings(load_settings(tmp_path / "absent.toml"), tmp_path / "w.duckdb")
    every = {name: source.every_seconds for name, source in config.sources.items()}
    assert every == {"openrouter": 3600, "openrouter-endpoints": 3600, "modelsdev": 21600, "litellm": 21600,
                     "genai-prices": 21600, "epoch": 86400, "epoch-benchmarks": 86400,
                     "artificial-analysis": 86400}  # fmt: skip
    assert [s.name for s in config.enabled()] == ["openrouter", "modelsdev", "litellm", "genai-prices", "epoch",
                                                  "epoch-benchmarks"]  # fmt: skip
    assert config.run_in_app is False and config.alerts.rules == () and config.alerts.webhook_url is None
    assert (config.alerts.atom_path, config.alerts.jsonl_path) == (tmp_path / "changes.atom", tmp_path / "alerts.jsonl")
    assert config.sources["openrouter"].url == "https://openrouter.ai/api/v1/models"


def test_every_key_is_read(tmp_path: Path) -> None:
    config = load(tmp_path, EXAMPLE)
    assert config.sources["openrouter"].url == "file:///srv/mirror/models.json"
    assert config.sources["openrouter"].every_seconds == 900
    endpoints = config.sources["openrouter-endpoints"]
    assert endpoints.enabled and endpoints.follow == ("anthropic/claude-3.5-haiku",)
    assert endpoints.request_interval_seconds == 2.5 and not config.sources["epoch"].enabled
    assert (config.retry.max_attempts, config.retry.base_delay_seconds, config.lock_wait_seconds) == (6, 0.5, 5)
    assert config.run_in_app and config.misfire_grace_seconds == 60 and config.discrepancy_threshold_pct == 25
    assert config.alerts.atom_path is None and config.alerts.webhook_url == "https://hooks.example.test/x"
    [rule] = config.alerts.rules
    assert (rule.name, rule.models, rule.min_pct, rule.direction) == ("cuts", ("openai/*",), 10.0, "down")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[sources.openrouterr]\n", r"unknown source\(s\) openrouterr"),
        ("[sources.openrouter]\nevry = '1h'\n", r"unknown key\(s\) in \[sources.openrouter\]: evry"),
        ("[sources.openrouter]\nevery = 'hourly'\n", "not a duration"),
        ("[collect]\nmax_attempts = 0\n", "collect.max_attempts"),
        ("[collect]\ntimeout_seconds = 'slow'\n", "collect.timeout_seconds"),
        ("[schedule]\nin_app = 'yes'\n", "schedule.in_app"),
        ("[[alerts.rules]]\ndirection = 'sideways'\n", "direction"),
        ("[alerts]\nwebhook_url = 'hooks.example.test'\n", "must start with https://"),
    ],
)
def test_unusable_settings_are_refused_with_the_key_named(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load(tmp_path, text)


def test_durations() -> None:
    assert [duration_seconds(v) for v in ("30s", "15m", "1h", "6h", "1d", 90, "0.5h")] == [
        30,
        900,
        3600,
        21600,
        86400,
        90,
        1800,
    ]
    for bad in ("0s", "-1h", "1w", True, 0):
        with pytest.raises(ValueError):
            duration_seconds(bad)
    assert [format_duration(s) for s in (1, 90, 900, 3600, 21600, 86400)] == ["1s", "90s", "15m", "1h", "6h", "1d"]


def test_artificial_analysis_is_collected_only_when_its_key_is_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    absent = collect_settings(load_settings(tmp_path / "absent.toml"), tmp_path / "w.duckdb")
    assert not absent.sources["artificial-analysis"].enabled
    monkeypatch.setenv("ARTIFICIAL_ANALYSIS_API_KEY", "tt-test-key")
    present = collect_settings(load_settings(tmp_path / "absent.toml"), tmp_path / "w.duckdb")
    assert present.sources["artificial-analysis"].enabled
    off = load(tmp_path, "[sources.artificial-analysis]\nenabled = false\n")
    assert not off.sources["artificial-analysis"].enabled
