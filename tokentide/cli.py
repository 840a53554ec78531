"""The `tokentide` command: one entry point for every job."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from tokentide import __version__
from tokentide.commands import COMMANDS
from tokentide.settings.config import ConfigError
from tokentide.settings.paths import CONFIG_ENV, default_config_path, default_db_path
from tokentide.warehouse.connection import WarehouseError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tokentide",
        description="Market intelligence for LLM API token prices.",
    )
    parser.add_argument("--version", action="version", version=f"tokentide {__version__}")
    parser.add_argument(
        "--db",
        type=Path,
        default=None,
        help=f"warehouse file (default: $TOKENTIDE_DB or {default_db_path()})",
    )
    parser.add_argument(
        "--config",
        type=Path,
        default=None,
        help=f"settings file (default: $TOKENTIDE_CONFIG or {default_config_path()})",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in COMMANDS:
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    args.db = (args.db or default_db_path()).expanduser()
    if args.config is not None:  # every reader of the settings in this process sees the same file
        os.environ[CONFIG_ENV] = str(args.config.expanduser())
    try:
        return int(args.run(args))
    except (WarehouseError, ConfigError) as exc:
        print(f"tokentide {args.command}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"tokentide {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head` and the like: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
