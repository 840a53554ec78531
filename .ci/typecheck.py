"""Type-check the installed package layout: mypy sees `tokentide.*` through a tree of links to the part folders."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TREE = ROOT / "build" / "typecheck"


def package_dirs() -> dict[str, str]:
    """pyproject's [tool.setuptools.package-dir]: installed package -> folder in the repo."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return pyproject["tool"]["setuptools"]["package-dir"]


def build_tree() -> Path:
    """build/typecheck/tokentide/<part> -> the repo's <part>/ folder, as the installed package lays them out."""
    shutil.rmtree(TREE, ignore_errors=True)
    package = TREE / "tokentide"
    package.mkdir(parents=True)
    dirs = package_dirs()
    for entry in (ROOT / dirs["tokentide"]).iterdir():
        if entry.name != "__pycache__":
            (package / entry.name).symlink_to(entry)
    for name, folder in dirs.items():
        if name != "tokentide":
            (package / name.removeprefix("tokentide.")).symlink_to(ROOT / folder)
    return TREE


def main() -> int:
    tree = build_tree()
    command = [sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml"), "-p", "tokentide"]
    return subprocess.call(command, cwd=tree)


if __name__ == "__main__":
    sys.exit(main())
