"""A user can move a model to another tier in the config; the override applies after any tier rule."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tokentide.cli import main
from tokentide.settings.config import ConfigError, load_settings


def _config(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(body)
    return path


def test_overrides_are_read_and_checked(tmp_path: Path) -> None:
    good = _config(tmp_path, '[tiers.overrides]\n"gpt-4o-mini" = "flagship"\n"openai/gpt-4.1" = "mid"\n')
    assert load_settings(good).tier_overrides == {"gpt-4o-mini": "flagship", "openai/gpt-4.1": "mid"}
    with pytest.raises(ConfigError, match="must be one of economy, mid, flagship, got 'premium'"):
        load_settings(_config(tmp_path, '[tiers.overrides]\n"gpt-4o" = "premium"\n'))
    with pytest.raises(ConfigError, match=r"unknown key\(s\) in \[tiers\]: overide"):
        load_settings(_config(tmp_path, '[tiers.overide]\n"gpt-4o" = "mid"\n'))


def test_report_and_dashboard_scope_use_the_override(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def tiers(*config: str) -> dict:
        assert main(["--db", str(db_path), *config, "report", "--json", "--draws", "100"]) == 0
        return json.loads(capsys.readouterr().out)["tiers"]

    plain = tiers()
    config = _config(tmp_path, '[tiers.overrides]\n"gpt-4o-mini" = "flagship"\n')
    moved = tiers("--config", str(config))
    assert plain["n_overridden"] == 0 and moved["n_overridden"] == 1
    assert moved["counts"]["economy"] == plain["counts"]["economy"] - 1
    assert moved["counts"]["flagship"] == plain["counts"]["flagship"] + 1

    from tokentide.reporting.dataset import load_dataset
    from tokentide.reporting.filters import Filters
    from tokentide.reporting.scope import build_scope

    scope = build_scope(load_dataset(db_path), Filters(tiers=("flagship",)))
    assert "gpt-4o-mini" in set(scope.launch["canonical_model_id"])
