"""The project's documentation as one text: the README and every page under docs/ (tests keep it true)."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def documentation() -> str:
    pages = [REPO / "README.md", *sorted((REPO / "docs").glob("**/*.md"))]
    return "\n".join(page.read_text(encoding="utf-8") for page in pages if page.is_file())
