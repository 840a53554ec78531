"""The Price of capability page's options (benchmark, threshold, price basis, Epoch's method choices)."""

from __future__ import annotations

from typing import Any

from tokentide.analytics.capability import CI_METHODS, ENTRY_RULES, START_RULES
from tokentide.analytics.capability_points import PRICE_BASES

# Keyword arguments of reporting.options.OptionSpec; the first choice of each is Epoch AI's.
CAPABILITY_OPTIONS: tuple[dict[str, Any], ...] = (
    {"key": "bench", "label": "Benchmark", "default": "", "kind": "text",
     "help": "the benchmark whose scores set the capability level (default: the most-scored one)"},
    {"key": "threshold", "label": "Threshold", "default": "", "kind": "text",
     "help": "a reference model (its score sets the level, e.g. GPT-4-0314) or a score such as score:50"},
    {"key": "pbasis", "label": "Price basis", "default": "listed", "choices": PRICE_BASES,
     "help": "listed = the price the score source lists beside each score (Epoch's); warehouse = every price "
             "interval tokentide holds for the model, price cuts included"},
    {"key": "entry", "label": "Models in the fit", "default": "new-lows", "choices": ENTRY_RULES,
     "help": "new-lows = only models cheaper than every earlier qualifying model (Epoch's)"},
    {"key": "cstart", "label": "Fit starts", "default": "threshold-release", "choices": START_RULES,
     "help": "threshold-release = ignore models released before the threshold model (Epoch's)"},
    {"key": "cci", "label": "Interval", "default": "ols-t", "choices": CI_METHODS,
     "help": "ols-t = the OLS slope's 90% t interval (Epoch's; too narrow for new lows, see docs/capability.md); "
             "bootstrap = case resampling; selection-bootstrap = simulates the new-low selection (calibrated)"},
    {"key": "creason", "label": "Reasoning models", "default": "exclude", "choices": ("exclude", "include"),
     "help": "exclude = leave out reasoning models, whose answers use many more tokens (Epoch's)"},
)  # fmt: skip
CAPABILITY_OPTION_KEYS: tuple[str, ...] = tuple(spec["key"] for spec in CAPABILITY_OPTIONS)
