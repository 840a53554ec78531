"""The parts keep their directions: the import graph (read with ast) has no import that points the wrong way."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.architecture_graph import PART_DIRS, imports_of, source_files, violations

ROOT = Path(__file__).resolve().parents[1]


def test_the_checker_reads_every_part_of_the_real_tree() -> None:
    files = list(source_files(ROOT))
    parts = {path.relative_to(ROOT).parts[0] for path in files}
    assert parts == set(PART_DIRS)
    targets = {t for path in files for item in imports_of(ROOT, path) for t in item.targets}
    # the graph really holds the cross-part imports the rules are about
    assert {"tokentide.warehouse.load", "streamlit", "apscheduler.triggers.interval"} <= targets


def test_no_import_breaks_a_direction() -> None:
    found = violations(ROOT)
    assert not found, "imports that break the architecture's directions:\n" + "\n".join(map(str, found))


def _plant(tmp_path: Path, relative: str, source: str) -> Path:
    path = tmp_path / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    for parent in path.relative_to(tmp_path).parents:
        if parent != Path("."):
            (tmp_path / parent / "__init__.py").touch()
    path.write_text(source, encoding="utf-8")
    return path


PLANTED_WRONG = [
    ("warehouse/load.py", "from tokentide.collectors.registry import source_module\n", "must not import collectors"),
    ("warehouse/load.py", "from ..collectors import registry\n", "must not import collectors"),
    ("warehouse/sub/deep.py", "from ...analytics import halflife\n", "must not import analytics"),
    ("warehouse/load.py", "import tokentide.reporting.scope\n", "must not import reporting"),
    ("warehouse/load.py", "from tokentide.commands import serve\n", "must not import cli"),
    ("warehouse/load.py", "from tokentide.settings.config import Settings\n", "must not import settings"),
    ("analytics/tiers.py", "from tokentide.warehouse import queries\n", "must not import warehouse"),
    ("analytics/tiers.py", "from tokentide.reporting.theme import COLOURS\n", "must not import reporting"),
    ("collectors/run.py", "from tokentide.cli import main\n", "must not import cli"),
    ("collectors/run.py", "from tokentide.reporting import prepare\n", "must not import reporting"),
    ("tokentide/cli.py", "from tokentide import app\n", "nothing outside app/ may import tokentide.app"),
    ("reporting/figures.py", "import tokentide.app.ui\n", "nothing outside app/ may import tokentide.app"),
    ("reporting/figures.py", "import streamlit as st\n", "only app/ may import streamlit"),
    ("reporting/figures.py", "from tokentide.commands.serve import run\n", "must not import cli"),
    ("warehouse/load.py", "from apscheduler.schedulers.background import BackgroundScheduler\n", "only collectors/"),
    ("tokentide/commands/schedule.py", "import apscheduler\n", "only collectors/ may import apscheduler"),
]


@pytest.mark.parametrize(("relative", "statement", "expected"), PLANTED_WRONG)
def test_a_planted_wrong_import_is_reported_with_file_and_line(
    tmp_path: Path, relative: str, statement: str, expected: str
) -> None:
    _plant(tmp_path, relative, f'"""Planted."""\n\nimport json\n{statement}')
    found = violations(tmp_path)
    assert [f"{v.path.as_posix()}:{v.line}" for v in found] == [f"{relative}:4"]
    assert expected in found[0].message
    assert str(found[0]).startswith(f"{relative}:4: ")


def test_an_import_inside_a_function_is_found(tmp_path: Path) -> None:
    source = '"""Planted."""\n\n\ndef later() -> None:\n    from tokentide.collectors import registry  # noqa\n'
    _plant(tmp_path, "warehouse/queries.py", source)
    assert [f"{v.path.as_posix()}:{v.line}" for v in violations(tmp_path)] == ["warehouse/queries.py:5"]


@pytest.mark.parametrize(
    ("relative", "statement"),
    [
        ("collectors/run.py", "from tokentide.warehouse.load import LoadOutcome\n"),
        ("reporting/scope.py", "from tokentide.analytics import tiers\n"),
        ("app/ui.py", "import streamlit as st\nfrom tokentide.reporting import figures\n"),
        ("app/views/overview.py", "from tokentide.app import ui\nfrom .. import state\n"),
        ("collectors/schedule.py", "from apscheduler.triggers.interval import IntervalTrigger\n"),
        ("tokentide/commands/report.py", "from tokentide.reporting.report_runner import run_report\n"),
        ("warehouse/export_parquet.py", "from tokentide import __version__\nfrom . import queries\n"),
        ("analytics/curves.py", "from tokentide.analytics.frames import TIERS\nimport pandas as pd\n"),
    ],
)
def test_imports_in_the_allowed_directions_pass(tmp_path: Path, relative: str, statement: str) -> None:
    _plant(tmp_path, relative, f'"""Planted."""\n\n{statement}')
    assert violations(tmp_path) == []
