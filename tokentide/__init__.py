"""tokentide: LLM API token price intelligence."""

from __future__ import annotations

__version__ = "0.1.0"
