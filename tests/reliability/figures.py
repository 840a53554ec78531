"""The reliability suite's figures (kills survived, payloads fuzzed, faults injected, rows lost), written to
test-artifacts/reliability/<name>.json so the README's numbers come from a real run."""

from __future__ import annotations

import json
from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "reliability"


def record(name: str, **figures: object) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"{name}.json").write_text(json.dumps(figures, indent=2, default=str) + "\n", encoding="utf-8")
