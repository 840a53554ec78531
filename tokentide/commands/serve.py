"""`tokentide app`: start the Streamlit dashboard (loads the embedded default on an empty warehouse)."""

from __future__ import annotations

import argparse
import importlib.util
import os
import signal
import subprocess
import sys
from pathlib import Path

from tokentide.collectors.schedule import start_in_app
from tokentide.collectors.sources import collect_settings
from tokentide.commands.common import settings_from
from tokentide.commands.serve_access import decide_access
from tokentide.reporting.prepare import prepare
from tokentide.settings.auth import auth_settings
from tokentide.warmup import start_warm_up


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("app", help="serve the dashboard (default http://127.0.0.1:8501)")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8501, help="port (default 8501)")
    parser.add_argument(
        "--no-auth", action="store_true",
        help="serve beyond loopback without a login (prints a warning); see docs/reliability.md",
    )  # fmt: skip
    parser.set_defaults(run=run)


def app_entry_point() -> Path:
    """The dashboard's main.py, found without importing the app (the CLI imports nothing from tokentide.app)."""
    spec = importlib.util.find_spec("tokentide.app")
    if spec is None or spec.origin is None:
        raise RuntimeError("tokentide.app is not installed")
    return Path(spec.origin).resolve().parent / "main.py"


def serve_until_stopped(command: list[str], env: dict[str, str], cwd: Path) -> int:
    """Run Streamlit as a child; SIGTERM or SIGINT to tokentide stops the child too, never orphaning it."""
    child = subprocess.Popen(command, env=env, cwd=cwd)

    def forward(signum: int, _frame: object) -> None:
        if child.poll() is None:
            child.send_signal(signum)

    previous = {sig: signal.signal(sig, forward) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        try:
            return child.wait()
        except KeyboardInterrupt:
            forward(signal.SIGINT, None)
            return child.wait(timeout=15)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if child.poll() is None:
            child.kill()
            child.wait()


def run(args: argparse.Namespace) -> int:
    entry = app_entry_point()
    access = decide_access(args.host, auth_settings(settings_from(args)), entry.parent.parent, args.no_auth)
    if access.refusal:
        print(f"tokentide app: {access.refusal}", file=sys.stderr)
        return 2
    if access.warning:
        print(f"tokentide app: warning: {access.warning}", file=sys.stderr)
    prepare(args.db, settings_from(args).tier_overrides)
    env = {**os.environ, "TOKENTIDE_DB": str(args.db), **access.env}
    if args.config:
        env["TOKENTIDE_CONFIG"] = str(args.config)
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(entry),
        "--server.address",
        args.host,
        "--server.port",
        str(args.port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--server.scriptHealthCheckEnabled",
        "true",
        *access.streamlit_options,
    ]
    print(f"tokentide: serving http://{args.host}:{args.port} (warehouse {args.db})", file=sys.stderr)
    schedule = start_in_app(args.db, collect_settings(settings_from(args), args.db))  # [schedule] in_app
    try:
        start_warm_up(args.host, args.port)  # the first visitor finds imports and caches warm
        return serve_until_stopped(command, env, entry.parent.parent)
    finally:
        if schedule is not None:
            schedule.shutdown()
