"""The README stays short and points into docs/, whose links resolve and whose config, sources and licences are true."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import pytest

from tests.docs_text import REPO, documentation
from tokentide.collectors import sources as collect_sources
from tokentide.collectors.registry import COLLECTED, SOURCES
from tokentide.settings.config import load_settings
from tokentide.warehouse.guard import GuardSettings

README = REPO / "README.md"
DOCS = REPO / "docs"
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


def _pages() -> list[Path]:
    return [README, *sorted(DOCS.glob("**/*.md"))]


def _documented_example_config(tmp_path: Path) -> Path:
    text = (DOCS / "configuration.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```toml\n(.*?)```", text, flags=re.S)
    assert blocks, "docs/configuration.md has no TOML example"
    path = tmp_path / "config.toml"
    path.write_text(blocks[0], encoding="utf-8")
    return path


def test_the_readme_is_short_and_shows_the_overview_screenshot() -> None:
    text = README.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 250
    assert "](docs/overview.png)" in text
    assert (DOCS / "overview.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("page", _pages(), ids=lambda p: str(p.relative_to(REPO)))
def test_every_relative_link_resolves(page: Path) -> None:
    targets = [t for t in LINK.findall(page.read_text(encoding="utf-8")) if not re.match(r"[a-z]+:", t)]
    missing = [t for t in targets if not (page.parent / t).exists()]
    assert not missing, f"{page.relative_to(REPO)} links to missing files: {missing}"


def test_every_source_and_its_licence_is_in_the_sources_page() -> None:
    text = (DOCS / "sources.md").read_text(encoding="utf-8")
    missing = [name for name in SOURCES if f"`{name}`" not in text]
    missing += [f"{name} URL" for name, (url, _every) in COLLECTED.items() if url not in text]
    # the licence's name (before any parenthesis), e.g. "MIT" or "CC BY 4.0"
    missing += [f"{n} licence" for n, m in SOURCES.items() if m.LICENCE.split(" (")[0].split(";")[0] not in text]
    assert not missing, "docs/sources.md does not name: " + ", ".join(missing)


def test_the_documented_example_config_loads_without_error(tmp_path: Path) -> None:
    settings = load_settings(_documented_example_config(tmp_path))
    collect = collect_sources.collect_settings(settings, tmp_path / "w.duckdb")
    assert collect.alerts.rules, "the example's alert rule was read"
    assert collect.sources["openrouter-endpoints"].follow


def test_every_config_key_the_code_reads_is_documented(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    read: set[str] = set()
    original = collect_sources._Table.get

    def recording_get(self: Any, key: str, kind: Any, default: Any) -> Any:
        read.add(key)
        return original(self, key, kind, default)

    monkeypatch.setattr(collect_sources._Table, "get", recording_get)
    collect_sources.collect_settings(load_settings(_documented_example_config(tmp_path)), tmp_path / "w.duckdb")
    read |= {f.name for f in dataclasses.fields(GuardSettings)}
    assert len(read) > 20
    text = documentation()
    # `key = ...` in a TOML example, or a table such as `[[alerts.rules]]`
    undocumented = [k for k in read if not re.search(rf"^\s*{re.escape(k)}\s*=|\.{re.escape(k)}\]", text, flags=re.M)]
    assert sorted(undocumented) == []
