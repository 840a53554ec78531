"""`tokentide backfill` end to end on a fake index: bytes kept verbatim, failures named, reruns add nothing."""

from __future__ import annotations

import gzip
import hashlib
import tempfile
from datetime import datetime
from pathlib import Path

import duckdb
import httpx
import pytest

from tests.collectors.wheels import MEMBER, FakeIndex, build_wheel, corrupt_crc, price_map, recorded_page
from tokentide.cli import main
from tokentide.collectors import fetching
from tokentide.commands import backfill as backfill_command

# Release files of the recorded page, oldest first: 0.1.2 (2023-07-29), 1.62.1 (2025-03-03),
# 1.63.2 (2025-03-06), 1.99.4 (2026-09-25, the smaller of its two platform wheels is chosen).
V0 = "litellm-0.1.2-py3-none-any.whl"
V1 = "litellm-1.62.1-py3-none-any.whl"
V2 = "litellm-1.63.2-py3-none-any.whl"
V3_LINUX = "litellm-1.99.4-cp310-abi3-manylinux_2_28_x86_64.whl"
V3_WIN = "litellm-1.99.4-cp310-abi3-win_amd64.whl"
MAP_A = price_map(5e-06)
MAP_B = price_map(2.5e-06, extra_model=True)


def _wheels(v3: bytes | None = None) -> dict[str, bytes]:
    v3 = v3 if v3 is not None else build_wheel(MAP_B, seed=3)
    return {V0: build_wheel(None), V1: build_wheel(MAP_A), V2: build_wheel(MAP_A, seed=2), V3_LINUX: v3,
            V3_WIN: v3 + b"\0" * 10}  # fmt: skip


@pytest.fixture
def serve(monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    """Route the command's HTTP client to a FakeIndex."""

    def install(index: FakeIndex) -> FakeIndex:
        monkeypatch.setattr(
            backfill_command, "make_client", lambda **kw: fetching.make_client(transport=index.transport())
        )
        return index

    return install


def _snapshots(db: Path) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as conn:
        return conn.execute(
            "SELECT origin, as_of, as_of_basis, sha256, status, payload_gzip FROM raw_snapshots "
            "WHERE source = 'litellm' ORDER BY as_of"
        ).fetchall()


def _state(db: Path) -> tuple[list[tuple], list[tuple]]:
    with duckdb.connect(str(db), read_only=True) as conn:
        snaps = conn.execute(
            "SELECT origin, as_of, sha256, status FROM raw_snapshots ORDER BY as_of, origin"
        ).fetchall()
        intervals = conn.execute(
            "SELECT model_id, source_provider, valid_from, valid_to, price_hash, close_reason FROM price_intervals "
            "ORDER BY ALL"
        ).fetchall()
    return snaps, intervals


def test_backfill_stores_one_snapshot_per_distinct_map_byte_identical_dated_by_upload(
    tmp_path: Path, serve, capsys: pytest.CaptureFixture[str]
) -> None:
    index = serve(FakeIndex(_wheels()))
    db = tmp_path / "w.duckdb"
    assert main(["--db", str(db), "backfill", "--source", "litellm", "--quiet"]) == 0
    out, err = capsys.readouterr()
    snaps = _snapshots(db)
    assert [gzip.decompress(row[5]) for row in snaps] == [MAP_A, MAP_B]  # 1.63.2 repeats 1.62.1's map
    v3_uploads = [e["upload-time"] for e in recorded_page()["files"] if e["filename"] in (V3_LINUX, V3_WIN)]
    assert [row[1] for row in snaps] == [
        datetime(2025, 3, 3, 22, 29, 55, 288045),
        datetime.fromisoformat(min(v3_uploads).replace("Z", "")),
    ]
    assert all(row[2] == "package upload time" and row[4] == "applied" for row in snaps)
    assert [row[3] for row in snaps] == [hashlib.sha256(MAP_A).hexdigest(), hashlib.sha256(MAP_B).hexdigest()]
    assert snaps[0][0].endswith(f"/{V1}#{MEMBER}") and snaps[1][0].endswith(f"/{V3_LINUX}#{MEMBER}")
    assert err.strip() == f"no-member: {V0}: member not in the archive: {MEMBER} is not in the archive"
    assert out.startswith("backfill litellm: 4 release(s): 2 added, 1 no-member, 1 unchanged; 0 already done")
    assert index.body_bytes < sum(len(w) for w in _wheels().values()) / 2
    assert not Path(tempfile.gettempdir(), "tokentide-backfill-executed").exists()


def test_a_second_run_fetches_nothing_and_adds_nothing(tmp_path: Path, serve, capsys) -> None:  # noqa: ANN001
    db = tmp_path / "w.duckdb"
    serve(FakeIndex(_wheels()))
    main(["--db", str(db), "backfill", "--source", "litellm", "--quiet"])
    before = _state(db)
    again = serve(FakeIndex(_wheels()))
    capsys.readouterr()
    assert main(["--db", str(db), "backfill", "--source", "litellm", "--quiet"]) == 0
    assert _state(db) == before
    assert [u for u in again.requests if u.endswith(".whl")] == []
    assert "0 release(s): nothing to do; 4 already done" in capsys.readouterr().out


def test_bad_releases_are_named_kept_raw_and_the_others_load(tmp_path: Path, serve, capsys) -> None:  # noqa: ANN001
    db = tmp_path / "w.duckdb"
    wheels = _wheels(v3=corrupt_crc(build_wheel(MAP_B, seed=3)))
    serve(FakeIndex(wheels, not_found={V2}))
    assert main(["--db", str(db), "backfill", "--source", "litellm", "--quiet"]) == 1
    _, err = capsys.readouterr()
    lines = err.strip().splitlines()
    assert len(lines) == 3 and "Traceback" not in err
    assert lines[1].startswith(f"failed: {V2}: not found (HTTP 404)")
    assert lines[2].startswith(f"failed: {V3_LINUX}: corrupt member: {MEMBER}: CRC-32")
    snaps = _snapshots(db)
    assert [(row[4], gzip.decompress(row[5])) for row in snaps] == [("applied", MAP_A), ("failed", MAP_B)]

    serve(FakeIndex(_wheels()))  # the index is healthy again: the failures are tried again, and load
    assert main(["--db", str(db), "backfill", "--source", "litellm", "--quiet"]) == 0
    # the kept bytes were sound after all (only the directory's CRC was wrong): the same row is now applied
    assert [(row[4], gzip.decompress(row[5])) for row in _snapshots(db)] == [("applied", MAP_A), ("applied", MAP_B)]


def test_an_index_page_that_is_not_json_fails_in_one_line(tmp_path: Path, serve, capsys) -> None:  # noqa: ANN001
    serve(FakeIndex({}, page=b"<html><title>Maintenance</title></html>"))
    assert main(["--db", str(tmp_path / "w.duckdb"), "backfill", "--source", "litellm"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "listing litellm releases at https://pypi.org failed" in err


def test_interrupted_then_rerun_ends_equal_to_an_uninterrupted_run(
    tmp_path: Path, serve, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:  # noqa: ANN001
    whole = tmp_path / "whole.duckdb"
    serve(FakeIndex(_wheels()))
    main(["--db", str(whole), "backfill", "--source", "litellm", "--quiet"])

    cut = tmp_path / "cut.duckdb"
    original = backfill_command.Progress.__call__
    seen = []

    def interrupt_after_two(self, outcome, tally) -> None:  # noqa: ANN001
        seen.append(outcome.release.version)
        if len(seen) == 2:
            raise KeyboardInterrupt
        original(self, outcome, tally)

    monkeypatch.setattr(backfill_command.Progress, "__call__", interrupt_after_two)
    serve(FakeIndex(_wheels()))
    assert main(["--db", str(cut), "backfill", "--source", "litellm", "--quiet"]) == 130
    partial = _state(cut)[0]
    assert 0 < len([s for s in partial if s[0].startswith("http")]) < len(_state(whole)[0])
    monkeypatch.setattr(backfill_command.Progress, "__call__", original)
    resumed = serve(FakeIndex(_wheels()))
    assert main(["--db", str(cut), "backfill", "--source", "litellm", "--quiet"]) == 0
    assert _state(cut) == _state(whole)
    assert not any(V0 in u or V1 in u for u in resumed.requests)  # finished releases are not fetched again


def test_dry_run_lists_releases_and_estimates_bytes_without_writing(tmp_path: Path, serve, capsys) -> None:  # noqa: ANN001
    db = tmp_path / "w.duckdb"
    serve(FakeIndex(_wheels()))
    assert main(["--db", str(db), "backfill", "--source", "litellm", "--dry-run", "--since", "2025-03-01"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line.split()[4] for line in out[:-1]] == ["1.62.1", "1.63.2", "1.99.4"]
    assert out[-1].startswith("dry run: 3 of 3 selected releases to fetch") and "whole wheels would be" in out[-1]
    assert not db.exists()  # a dry run writes nothing, not even an empty warehouse


def test_server_errors_are_retried_by_the_collectors_policy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    index = FakeIndex(_wheels())
    failures = {"left": 2}

    def flaky(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith(V1) and failures["left"]:
            failures["left"] -= 1
            return httpx.Response(503)
        return index.handler(request)

    monkeypatch.setattr(
        backfill_command, "make_client", lambda **kw: fetching.make_client(transport=httpx.MockTransport(flaky))
    )
    db, cfg = tmp_path / "w.duckdb", tmp_path / "c.toml"
    cfg.write_text("[collect]\nbackoff_base_seconds = 0.01\nbackoff_max_seconds = 0.02\n")
    assert main(["--db", str(db), "--config", str(cfg), "backfill", "--source", "litellm", "--quiet"]) == 0
    assert failures["left"] == 0 and len(_snapshots(db)) == 2


@pytest.mark.parametrize("point", ["mid-load:2", "after-commit:2"])
def test_sigkill_mid_backfill_then_rerun_ends_equal_to_an_uninterrupted_run(tmp_path: Path, serve, point: str) -> None:  # noqa: ANN001
    import os
    import signal
    import subprocess
    import sys

    whole = tmp_path / "whole.duckdb"
    serve(FakeIndex(_wheels()))
    main(["--db", str(whole), "backfill", "--source", "litellm", "--quiet"])
    cut = tmp_path / "cut.duckdb"
    env = {**os.environ, "TOKENTIDE_FAULT": f"sigkill:{point}"}
    root = Path(__file__).resolve().parents[2]
    child = [sys.executable, "-m", "tests.collectors.backfill_child", str(cut)]
    killed = subprocess.run(child, env=env, cwd=root, capture_output=True, text=True, timeout=300)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert main(["--db", str(cut), "backfill", "--source", "litellm", "--quiet"]) == 0
    assert _state(cut) == _state(whole)


def test_a_backfill_of_same_price_releases_is_compacted_when_it_ends(
    tmp_path: Path, serve, capsys: pytest.CaptureFixture[str]
) -> None:
    """Three releases restating one price map (new bytes each): the middle one only confirms the prices."""
    last = build_wheel(MAP_A + b"\n\n", seed=3)
    wheels = {V0: build_wheel(None), V1: build_wheel(MAP_A), V2: build_wheel(MAP_A + b"\n", seed=2),
              V3_LINUX: last, V3_WIN: last + b"\0"}  # fmt: skip
    serve(FakeIndex(wheels))
    db = tmp_path / "w.duckdb"
    assert main(["--db", str(db), "backfill", "--source", "litellm", "--quiet"]) == 0
    assert "compacted: folded " in capsys.readouterr().out
    with duckdb.connect(str(db), read_only=True) as conn:
        snapshots, loaded, kept, intervals = conn.execute(
            "SELECT (SELECT count(*) FROM raw_snapshots WHERE status = 'applied'), "
            "(SELECT sum(n_records) FROM raw_snapshots), (SELECT count(*) FROM observations), "
            "(SELECT count(*) FROM price_intervals)"
        ).fetchone()
    assert snapshots == 3 and loaded == 3 * intervals  # every release listed every model
    assert kept <= 2 * intervals  # the middle release folded: rows kept for the first and the newest
    assert main(["--db", str(db), "check"]) == 0
