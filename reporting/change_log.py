"""The warehouse's price-change log and cross-source discrepancies, cut to the view and traced to intervals."""

from __future__ import annotations

import numpy as np
import pandas as pd

KEY: list[str] = ["source", "model_id", "provider"]
MOVES: tuple[str, ...] = ("price_change", "free_to_paid", "paid_to_free")  # events that are a price moving
MOVER_FIELDS: tuple[str, ...] = ("usd_per_mtok_input", "usd_per_mtok_output")
DIRECTION_OF: dict[str, str] = {"cut": "down", "rise": "up"}
_TRACE = ["interval_id", "model_name", "source_url", "captured_at", "sha256"]


def _utc(values: pd.Series) -> pd.Series:
    stamps = pd.to_datetime(values)
    return stamps.dt.tz_localize("UTC") if stamps.dt.tz is None else stamps.dt.tz_convert("UTC")


def scope_changes(log: pd.DataFrame, intervals: pd.DataFrame, moment: pd.Timestamp) -> pd.DataFrame:
    """Events of the models and providers in view, first seen by the as-of moment, newest first, each
    joined to the price interval it opened (for its source URL, capture time and snapshot hash)."""
    if log.empty or intervals.empty:
        return log.iloc[0:0].assign(**{c: pd.Series(dtype=object) for c in _TRACE})
    log = log.assign(first_seen_at=_utc(log["first_seen_at"]))
    log = log[(log["first_seen_at"] <= moment).to_numpy(dtype=bool)]
    keys = intervals[KEY].drop_duplicates()
    log = log.merge(keys, on=KEY, how="inner")
    opened = intervals[[*KEY, "valid_from", *_TRACE]].rename(columns={"valid_from": "first_seen_at"})
    opened = opened.drop_duplicates([*KEY, "first_seen_at"])
    out = log.merge(opened, on=[*KEY, "first_seen_at"], how="left")
    return out.sort_values(["first_seen_at", "source", "model_id"], ascending=[False, True, True]).reset_index(
        drop=True
    )


def filter_changes(
    changes: pd.DataFrame, *, direction: str = "all", min_pct: float = 0.0, since: pd.Timestamp | None = None
) -> pd.DataFrame:
    """Like `tokentide changes`: 'moves' keeps price moves and free/paid flips (no listings); a direction
    keeps moves and free/paid flips that way; a threshold keeps
    moves at least that large (flips count as infinite); either one drops new and delisted models."""
    keep = np.ones(len(changes), dtype=bool)
    if direction == "moves":
        keep &= changes["event"].isin(MOVES).to_numpy(dtype=bool)
    elif direction != "all":
        keep &= (changes["direction"] == DIRECTION_OF[direction]).fillna(False).to_numpy(dtype=bool)
    if min_pct > 0:
        flips = changes["event"].isin(["free_to_paid", "paid_to_free"]).to_numpy(dtype=bool)
        big = (changes["pct_change"].abs() >= min_pct).fillna(False).to_numpy(dtype=bool)
        keep &= flips | big
    if since is not None:
        keep &= (changes["first_seen_at"] >= since).fillna(False).to_numpy(dtype=bool)
    return changes[keep].reset_index(drop=True)


def moves_between(changes: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """Price moves (not listings) first seen in (start, end]."""
    at = changes["first_seen_at"]
    window = ((at > start) & (at <= end)).fillna(False).to_numpy(dtype=bool)
    return changes[window & changes["event"].isin(MOVES).to_numpy(dtype=bool)]


def biggest_movers(changes: pd.DataFrame, n: int = 15) -> pd.DataFrame:
    """The n largest input or output price moves, chosen by the size of the log ratio (so a cut to a quarter,
    -75%, ranks with a quadrupling, +300%), then listed in signed order, deepest cut first. Moving aliases
    (`...-latest`) are left out (a repointed alias is not a price change), and one move seen by several
    sources or under several dated ids of the same model counts once."""
    from tokentide.reporting.change_events import field_label
    from tokentide.reporting.model_rows import is_alias

    moved = changes[(changes["event"] == "price_change").to_numpy(dtype=bool)]
    moved = moved[moved["field"].isin(MOVER_FIELDS).to_numpy(dtype=bool)]
    moved = moved[(moved["old_value"] > 0).to_numpy(dtype=bool) & (moved["new_value"] > 0).to_numpy(dtype=bool)]
    moved = moved[~moved["model_id"].map(is_alias).to_numpy(dtype=bool)]
    day = moved["first_seen_at"].dt.floor("D")
    moved = moved.assign(_day=day).drop_duplicates(["canonical_model_id", "provider", "field", "_day"])
    size = np.log(moved["new_value"].astype(float) / moved["old_value"].astype(float)).abs()
    top = moved.loc[size.sort_values(ascending=False, kind="stable").index[:n]].drop(columns="_day")
    top = top.sort_values("pct_change", kind="stable")
    name = top["model_name"].fillna(top["model_id"]).astype(str)
    top["label"] = name + " · " + top["provider"].astype(str) + " · " + top["field"].map(field_label)
    top["label"] += " · " + top["first_seen_at"].dt.strftime("%Y-%m-%d")
    return top.reset_index(drop=True)


def scope_discrepancies(gaps: pd.DataFrame, intervals: pd.DataFrame) -> pd.DataFrame:
    """Current prices two sources state apart, for models and providers in view, with both intervals."""
    if gaps.empty or intervals.empty:
        return gaps.assign(interval_id_a=pd.Series(dtype="Int64"), interval_id_b=pd.Series(dtype="Int64"))
    in_view = intervals[["canonical_model_id", "provider"]].drop_duplicates()
    out = gaps.merge(in_view, on=["canonical_model_id", "provider"], how="inner")
    current = intervals[intervals["valid_to"].isna().to_numpy(dtype=bool)][[*KEY, "interval_id"]]
    current = current.drop_duplicates(KEY)
    for side in ("a", "b"):
        ids = current.rename(
            columns={"source": f"source_{side}", "model_id": f"model_id_{side}", "interval_id": f"interval_id_{side}"}
        )
        out = out.merge(ids, on=[f"source_{side}", f"model_id_{side}", "provider"], how="left")
    return out.reset_index(drop=True)
