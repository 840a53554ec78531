"""Security basics: no secret in the repository, the app listens on 127.0.0.1 unless told otherwise, and the
webhook URL (which can carry a token) never reaches a log, an output file or the warehouse."""

from __future__ import annotations

import gzip
import http.server
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest

from tests.conftest import fixture_path
from tests.helpers import file_sources_config, free_port, listening_addresses, wait_for_health
from tokentide.cli import build_parser

REPO = Path(__file__).resolve().parents[2]
# Credential formats (vendor prefixes and key material), and generic `key = "long literal"` assignments.
SECRET_PATTERNS: dict[str, re.Pattern[str]] = {
    "AWS access key id": re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    "AWS secret access key": re.compile(r"aws_secret_access_key\s*[=:]\s*['\"]?[A-Za-z0-9/+]{40}"),
    "OpenAI / Anthropic style key": re.compile(r"\bsk-(?:proj-|ant-|live-|svcacct-)?[A-Za-z0-9_\-]{32,}"),
    "OpenRouter key": re.compile(r"\bsk-or-v1-[0-9a-f]{32,}"),
    "GitHub token": re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,})"),
    "Hugging Face token": re.compile(r"\bhf_[A-Za-z0-9]{34,}\b"),
    "Google API key": re.compile(r"\bAIza[0-9A-Za-z_\-]{35}\b"),
    "Slack token": re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}"),
    "Slack or Discord webhook": re.compile(
        r"hooks\.slack\.com/services/T[A-Z0-9]+/B[A-Z0-9]+/[A-Za-z0-9]+|discord(?:app)?\.com/api/webhooks/\d+/[\w-]+"
    ),
    "Stripe live key": re.compile(r"\b[rs]k_live_[0-9a-zA-Z]{24,}"),
    "private key block": re.compile(r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY( BLOCK)?-----"),
    "JSON web token": re.compile(r"\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}"),
    "credential assigned a literal": re.compile(
        r"(?i)\b(?:api[_-]?key|secret[_-]?key|access[_-]?token|auth[_-]?token|password|passwd)\b\s*[=:]\s*"
        r"['\"][A-Za-z0-9/+_\-.]{16,}['\"]"
    ),
}
SKIPPED_DIRS = {".git", ".venv", "node_modules", "__pycache__", ".cache", "test-artifacts", ".pytest_cache"}


def repository_files() -> list[Path]:
    """What is (or would be) committed: tracked plus untracked-but-not-ignored files; a plain walk without git."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=REPO,
            capture_output=True,
            check=True,
            timeout=60,
        ).stdout
        return [REPO / name for name in listed.decode().split("\0") if name and (REPO / name).is_file()]
    except (OSError, subprocess.SubprocessError):
        return [p for p in REPO.rglob("*") if p.is_file() and not SKIPPED_DIRS & set(p.relative_to(REPO).parts)]


def readable_text(path: Path) -> str | None:
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)  # recorded payloads are kept compressed: look inside
    if b"\0" in data[:4096]:
        return None
    return data.decode("utf-8", errors="replace")


def find_secrets(text: str) -> list[str]:
    return [name for name, pattern in SECRET_PATTERNS.items() if pattern.search(text)]


def test_the_scanner_catches_each_kind_of_secret() -> None:
    """Samples are assembled at run time, so this file holds none of them."""
    samples = {
        "AWS access key id": "AKIA" + "Q" * 16,
        "OpenAI / Anthropic style key": "sk-" + "proj-" + "a1B2" * 10,
        "OpenRouter key": "sk-or-v1-" + "0f" * 32,
        "GitHub token": "ghp_" + "x" * 36,
        "Google API key": "AIza" + "y" * 35,
        "Slack or Discord webhook": "https://hooks.slack.com/services/" + "T0123/B0456/abcdefABCDEF",
        "private key block": "-----BEGIN " + "RSA PRIVATE KEY-----",
        "credential assigned a literal": "api_key = " + "'" + "Zz9" * 8 + "'",
    }
    for name, sample in samples.items():
        assert name in find_secrets(f"prefix {sample} suffix"), name
    assert not find_secrets("price_hash = md5(...); sk-ip the sample_spec; token_count = 128000")


def test_no_secret_is_committed_anywhere_in_the_repository() -> None:
    files = repository_files()
    assert len(files) > 50, "the scan must see the repository"
    found = {}
    for path in files:
        text = readable_text(path)
        hits = find_secrets(text) if text is not None else []
        if hits:
            found[str(path.relative_to(REPO))] = hits
    assert not found, f"possible secrets committed: {found}"


def test_the_app_listens_on_127_0_0_1_only_by_default(tmp_path: Path) -> None:
    """The real server's socket, read from the kernel's table: no stub stands in for Streamlit."""
    assert build_parser().parse_args(["app"]).host == "127.0.0.1"
    if not Path("/proc/net/tcp").exists():
        pytest.skip("reads the kernel's socket table (Linux)")
    port = free_port()
    command = [sys.executable, "-m", "tokentide.cli", "--db", str(tmp_path / "w.duckdb"), "--config",
               str(tmp_path / "none.toml"), "app", "--port", str(port)]  # fmt: skip
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_for_health(f"http://127.0.0.1:{port}", proc)
        assert listening_addresses(port) == {"0100007F"}, "listening beyond 127.0.0.1"
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=60)
    config = REPO / ".streamlit" / "config.toml"
    if config.exists():  # the project's Streamlit config, used when streamlit runs from the repo
        assert re.search(r'(?m)^address\s*=\s*"127\.0\.0\.1"', config.read_text(encoding="utf-8"))


class _Receiver(http.server.BaseHTTPRequestHandler):
    paths: list[str] = []

    def do_POST(self) -> None:  # noqa: N802 - the stdlib's name
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        _Receiver.paths.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def webhook_receiver() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_the_webhook_url_never_reaches_logs_outputs_or_the_warehouse(tmp_path: Path) -> None:
    """A real collect, verbose logging on, an alert delivered to a webhook whose URL holds a token."""
    token = "tok-" + "5ecret" * 4
    mirror = tmp_path / "models.json"
    config = tmp_path / "config.toml"
    config = file_sources_config(tmp_path, {"openrouter": mirror}, extra='[[alerts.rules]]\nname = "every change"\n')
    db = tmp_path / "w.duckdb"
    outputs = []
    with webhook_receiver() as base:
        env = {**os.environ, "TOKENTIDE_WEBHOOK_URL": f"{base}/services/T000/B000/{token}"}
        for day in ("877c8fc77a", "9868fb6ca3"):  # the second day changes prices: alerts fire
            mirror.write_bytes(fixture_path(f"openrouter_2026-02-27_{day}_bare_array.json").read_bytes())
            command = [
                sys.executable,
                "-m",
                "tokentide.cli",
                "-v",
                "--db",
                str(db),
                "--config",
                str(config),
                "collect",
                "--once",
            ]
            done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
            assert done.returncode == 0, done.stderr
            outputs += [done.stdout, done.stderr]
    assert any(p.endswith(token) for p in _Receiver.paths), "the alert must really have been posted"
    outputs += [p.read_text(encoding="utf-8") for p in tmp_path.iterdir() if p.suffix in (".jsonl", ".atom")]
    with duckdb.connect(str(db), read_only=True) as conn:
        for table, column in conn.execute(
            "SELECT table_name, column_name FROM duckdb_columns() WHERE data_type = 'VARCHAR' AND NOT internal "
            "AND schema_name = 'main'"
        ).fetchall():
            outputs += [str(v[0]) for v in conn.execute(f'SELECT "{column}" FROM "{table}"').fetchall()]  # noqa: S608
    leaks = [text[:200] for text in outputs if token in text]
    assert not leaks, f"the webhook token leaked: {leaks}"
