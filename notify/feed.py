"""An Atom feed file of the newest price changes, for readers who prefer a feed reader to a dashboard."""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from xml.etree import ElementTree as ET

from tokentide.warehouse.price_changes import PriceChange

ATOM_NS = "http://www.w3.org/2005/Atom"
FEED_ID = "urn:tokentide:price-changes"


def _stamp(value: datetime) -> str:
    return value.replace(microsecond=0).isoformat() + "Z"  # warehouse times are naive UTC


def entry_id(change: PriceChange) -> str:
    key = "|".join(
        str(part)
        for part in (
            change.snapshot_id,
            change.source,
            change.model_id,
            change.source_provider,
            change.event,
            change.field,
        )
    )
    return "urn:tokentide:change:" + hashlib.sha1(key.encode("utf-8"), usedforsecurity=False).hexdigest()


def _add(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attributes)
    if text is not None:
        element.text = text
    return element


FEED_TITLE = "tokentide: LLM API price changes"


def atom_feed(changes: Sequence[PriceChange], updated: datetime, title: str = FEED_TITLE) -> bytes:
    """The feed document, newest change first."""
    ET.register_namespace("", ATOM_NS)
    feed = ET.Element(f"{{{ATOM_NS}}}feed")
    _add(feed, "id", FEED_ID)
    _add(feed, "title", title)
    _add(feed, "updated", _stamp(max([c.first_seen_at for c in changes], default=updated)))
    _add(_add(feed, "author"), "name", "tokentide")
    _add(feed, "generator", "tokentide")
    for change in sorted(changes, key=lambda c: c.first_seen_at, reverse=True):
        entry = _add(feed, "entry")
        _add(entry, "id", entry_id(change))
        _add(entry, "title", change.describe())
        _add(entry, "updated", _stamp(change.first_seen_at))
        _add(entry, "category", term=change.event)
        _add(
            entry,
            "content",
            f"{change.describe()}. Source {change.source}, first seen {_stamp(change.first_seen_at)} in snapshot "
            f"{change.snapshot_id}"
            + (
                f" (previous price from snapshot {change.previous_snapshot_id})."
                if change.previous_snapshot_id
                else "."
            ),
            type="text",
        )
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def write_atom(path: Path, changes: Sequence[PriceChange], updated: datetime) -> None:
    """Replace the feed file atomically so a feed reader never sees half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        staging.write_bytes(atom_feed(changes, updated))
        os.replace(staging, path)
    finally:
        staging.unlink(missing_ok=True)
