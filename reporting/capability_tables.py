"""Tables of the Price of capability page and its CSV: the new lows with provenance, Epoch's table side by side."""

from __future__ import annotations

import pandas as pd

from tokentide.analytics.capability import CapabilityTrend
from tokentide.analytics.capability_replication import Replication, replication_frame

LOW_COLUMNS: tuple[str, ...] = (
    "date", "model", "new_low", "score", "usd_per_mtok_blended", "source", "source_url", "captured_at", "sha256",
    "snapshot_id",
)  # fmt: skip


def qualifying_table(result: CapabilityTrend | None) -> pd.DataFrame:
    """Every qualifying model in date order, the new lows flagged, each traced to the raw snapshot its score
    or price came from."""
    if result is None:
        return pd.DataFrame(columns=list(LOW_COLUMNS))
    return result.qualifying.reindex(columns=list(LOW_COLUMNS))


def replication_table(inputs: Replication, live: Replication) -> pd.DataFrame:
    """Epoch's factor and CI, tokentide's from Epoch's inputs, and tokentide's on the live warehouse."""
    left = replication_frame(inputs)
    right = replication_frame(live)[
        ["tokentide_factor", "tokentide_ci_low", "tokentide_ci_high", "tokentide_n", "inside_epoch_ci", "comparable"]
    ]
    right = right.rename(columns=lambda c: "live_" + c.removeprefix("tokentide_"))
    columns = [
        "benchmark", "threshold_model", "threshold_score", "epoch_factor", "epoch_ci_low", "epoch_ci_high", "epoch_n",
        "tokentide_factor", "tokentide_ci_low", "tokentide_ci_high", "tokentide_n", "inside_epoch_ci", "comparable",
    ]  # fmt: skip
    return pd.concat([left[columns], right], axis=1)
