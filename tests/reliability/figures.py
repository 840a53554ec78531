"""The reliability suite's figures (kills survived, payloads fuzzed, faults injected, rows lost), written to
test-artifacts/reliability/<name>.json (or $TOKENTIDE_RELIABILITY_FIGURES) so the numbers in docs/reliability.md come
from a real run."""

from __future__ import annotations

import json
import os
from pathlib import Path

DEFAULT = Path(__file__).resolve().parents[2] / "test-artifacts" / "reliability"


def record(name: str, **figures: object) -> None:
    folder = Path(os.environ.get("TOKENTIDE_RELIABILITY_FIGURES") or DEFAULT)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.json").write_text(json.dumps(figures, indent=2, default=str) + "\n", encoding="utf-8")
