"""The import graph of tokentide's parts, read with `ast`, and the directions the parts must keep."""

from __future__ import annotations

import ast
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

# Top-level folder -> installed package, read from pyproject.toml's [tool.setuptools.package-dir] (the layout
# the install and .ci/typecheck.py use), so a new part is known here the moment it is packaged.
PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"
PART_DIRS: dict[str, str] = {
    folder: package
    for package, folder in tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["setuptools"][
        "package-dir"
    ].items()
}
# The package prefixes that make each part; the CLI is everything under tokentide.* that is not another part.
PART_PACKAGES: dict[str, str] = {folder: package for folder, package in PART_DIRS.items() if folder != "tokentide"}
CLI = "cli"
TOKENTIDE_PARTS = (*PART_PACKAGES, CLI)

# part -> (forbidden parts, forbidden third-party top-level modules)
RULES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "analytics": (frozenset(p for p in TOKENTIDE_PARTS if p != "analytics"), frozenset()),
    "warehouse": (frozenset({"collectors", "analytics", "reporting", "app", CLI, "settings", "notify"}), frozenset()),
    "collectors": (frozenset({"app", "reporting", CLI}), frozenset()),
    "reporting": (frozenset({"app", CLI}), frozenset({"streamlit"})),
}
# Only these parts may import these third-party libraries.
OWNED_LIBRARIES: dict[str, str] = {"streamlit": "app", "apscheduler": "collectors"}


@dataclass(frozen=True)
class Import:
    """One import statement, its targets resolved to absolute module names."""

    path: Path
    line: int
    importer: str
    targets: tuple[str, ...]


@dataclass(frozen=True)
class Violation:
    """An import that breaks a direction, with the place it is written."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


ROOT_PACKAGE = "tokentide"  # its __init__ holds only __version__, shared by every part


def part_of(module: str) -> str | None:
    """The part a `tokentide.*` module belongs to: None for third-party modules, ROOT_PACKAGE for the root."""
    if module in (ROOT_PACKAGE, f"{ROOT_PACKAGE}.__version__"):
        return ROOT_PACKAGE
    if not module.startswith("tokentide."):
        return None
    for part, package in PART_PACKAGES.items():
        if module == package or module.startswith(package + "."):
            return part
    return CLI


def module_name(root: Path, path: Path) -> str:
    """The installed dotted name of a source file under one of the part folders."""
    relative = path.relative_to(root)
    package = PART_DIRS[relative.parts[0]]
    rest = list(relative.parts[1:])
    rest[-1] = rest[-1].removesuffix(".py")
    if rest[-1] == "__init__":
        rest.pop()
    return ".".join([package, *rest])


def _resolve_relative(importer: str, is_package: bool, level: int, module: str | None) -> str:
    base = importer.split(".")
    if not is_package:
        base = base[:-1]
    if level > 1:
        base = base[: len(base) - (level - 1)]
    return ".".join([*base, module] if module else base)


def imports_of(root: Path, path: Path) -> Iterator[Import]:
    """Every import in one file, at any depth (inside functions too), as absolute module names."""
    importer = module_name(root, path)
    is_package = path.name == "__init__.py"
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(path, node.lineno, importer, (alias.name,))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = _resolve_relative(importer, is_package, node.level, node.module)
            else:
                base = node.module or ""
            # `from tokentide import app` imports the sub-package itself, so each name is a target too.
            yield Import(path, node.lineno, importer, (base, *(f"{base}.{a.name}" for a in node.names)))


def source_files(root: Path) -> Iterator[Path]:
    """The package source files of every part folder under root."""
    for folder in PART_DIRS:
        directory = root / folder
        if directory.is_dir():
            yield from sorted(p for p in directory.rglob("*.py") if ".venv" not in p.parts)


def _check_target(source_part: str, target: str) -> str | None:
    target_part = part_of(target)
    if target_part is None:
        library = target.split(".")[0]
        owner = OWNED_LIBRARIES.get(library)
        if owner is not None and source_part != owner:
            return f"{source_part} imports {library}; only {owner}/ may import {library}"
        if library in RULES.get(source_part, (frozenset(), frozenset()))[1]:
            return f"{source_part} imports {library}, which {source_part} must not"
        return None
    if target_part == source_part:
        return None
    if target_part == "app":
        return f"{source_part} imports {target}; nothing outside app/ may import tokentide.app"
    if target_part in RULES.get(source_part, (frozenset(), frozenset()))[0]:
        return f"{source_part} imports {target} ({target_part}); {source_part} must not import {target_part}"
    return None


def _check(item: Import) -> str | None:
    """The first direction one import statement breaks, or None."""
    source_part = part_of(item.importer)
    if source_part is None:
        return None
    for target in item.targets:
        message = _check_target(source_part, target)
        if message is not None:
            return message
    return None


def violations(root: Path) -> list[Violation]:
    """Every import under root that breaks a direction, one per (file, line, message)."""
    found: list[Violation] = []
    for path in source_files(root):
        for item in imports_of(root, path):
            message = _check(item)
            if message is not None:
                found.append(Violation(path.relative_to(root), item.line, message))
    return sorted(found, key=lambda v: (str(v.path), v.line, v.message))


if __name__ == "__main__":
    found = violations(Path(__file__).resolve().parents[1])
    print("\n".join(map(str, found)) or "no wrong-direction imports")
    print(f"{len(found)} wrong-direction imports")
