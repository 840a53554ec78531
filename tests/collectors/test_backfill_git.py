"""`tokentide backfill --git REPO`: every commit of a price file in a local repository, dated by commit time."""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from tests.collectors.wheels import price_map
from tokentide.cli import main

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
FILE = "model_prices_and_context_window.json"


def _commit(repo: Path, when: str, files: dict[str, bytes | None]) -> None:
    for name, body in files.items():
        if body is None:
            (repo / name).unlink()
        else:
            (repo / name).write_bytes(body)
    who = {f"GIT_{role}_{part}": value for role in ("AUTHOR", "COMMITTER")
           for part, value in (("NAME", "t"), ("EMAIL", "t@example.org"), ("DATE", when))}  # fmt: skip
    env = {**os.environ, **who}
    subprocess.run(["git", "-C", str(repo), "add", "-A"], check=True, env=env)
    subprocess.run(["git", "-C", str(repo), "commit", "-q", "-m", when], check=True, env=env)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    path = tmp_path / "repo"
    path.mkdir()
    subprocess.run(["git", "init", "-q", str(path)], check=True)
    _commit(path, "2024-01-02T10:00:00+00:00", {FILE: price_map(5e-06)})
    _commit(path, "2024-01-05T10:00:00+00:00", {"README.md": b"docs only"})  # does not touch the file
    _commit(path, "2024-02-01T12:30:00+02:00", {FILE: price_map(2.5e-06, extra_model=True)})
    _commit(path, "2024-03-01T00:00:00+00:00", {FILE: None})  # deleted
    return path


def test_each_commit_of_the_file_is_a_snapshot_dated_by_commit_time(repo: Path, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    db = tmp_path / "w.duckdb"
    assert main(["--db", str(db), "backfill", "--source", "litellm", "--git", str(repo), "--quiet"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("backfill litellm: 3 release(s): 2 added, 1 no-member")
    assert f"{FILE} is not in commit" in err
    with duckdb.connect(str(db), read_only=True) as conn:
        rows = conn.execute(
            "SELECT as_of, as_of_basis, payload_gzip, origin FROM raw_snapshots ORDER BY as_of"
        ).fetchall()
    assert [(r[0], r[1]) for r in rows] == [
        (datetime(2024, 1, 2, 10), "git commit time"), (datetime(2024, 2, 1, 10, 30), "git commit time")
    ]  # fmt: skip
    assert [gzip.decompress(r[2]) for r in rows] == [price_map(5e-06), price_map(2.5e-06, extra_model=True)]
    assert rows[0][3].startswith("git+file://") and rows[0][3].endswith(f"#{FILE}")
    assert main(["--db", str(db), "backfill", "--source", "litellm", "--git", str(repo), "--quiet"]) == 0
    assert "0 release(s): nothing to do; 3 already done" in capsys.readouterr().out


def test_a_folder_that_is_not_a_repository_fails_in_one_line(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    assert main(["--db", str(tmp_path / "w.duckdb"), "backfill", "--source", "litellm", "--git", str(tmp_path)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "is not a readable git repository" in err
