"""Changes people can read: one row per model event ("input $3 → $2 (−33 %)"), aliases recognised."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from tokentide.analytics.prices import MODEL_KEY
from tokentide.reporting.model_rows import is_alias

FIELD_LABELS: dict[str, str] = {
    "usd_per_mtok_input": "input",
    "usd_per_mtok_output": "output",
    "usd_per_mtok_cache_read": "cached input",
    "usd_per_mtok_cache_write": "cache write",
    "usd_per_mtok_reasoning": "reasoning",
    "usd_per_request": "per request",
    "usd_per_image": "per image",
    "price_state": "price state",
}
FIELD_ORDER: dict[str, int] = {name: index for index, name in enumerate(FIELD_LABELS)}
EVENT_LABELS: dict[str, str] = {
    "new_model": "new model",
    "relisted": "relisted",
    "delisted": "delisted",
    "free_to_paid": "free → paid",
    "paid_to_free": "paid → free",
}
LAUNCH_SIDES: tuple[tuple[str, str], ...] = (
    ("usd_per_mtok_input", "input"),
    ("usd_per_mtok_output", "output"),
    ("usd_per_mtok_cache_read", "cached input"),
)
EVENT_COLUMNS: tuple[str, ...] = (
    "first_seen_at", "model_name", "author", "provider", "what", "change", "change_pct", "sources", "model_ids",
    "is_alias", "n_fields", MODEL_KEY, "interval_id", "source_url", "captured_at", "sha256",
)  # fmt: skip


def field_label(field: object) -> str:
    return FIELD_LABELS.get(str(field), str(field).replace("usd_per_mtok_", "").replace("_", " "))


def money(value: object) -> str:
    """'$3', '$0.075', 'unknown' (a price as people write it; at most 4 significant digits)."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value):
        return "unknown"
    number = float(str(value))  # a float, an int or a Decimal from the warehouse
    return "free" if number == 0 else f"${number:,.4g}"


def _move_text(row: pd.Series) -> str:
    pct = "" if pd.isna(row["pct_change"]) else f" ({row['pct_change']:+.0f} %)".replace("-", "−")
    return f"{field_label(row['field'])} {money(row['old_value'])} → {money(row['new_value'])}{pct}"


def _launch_text(prices: pd.Series | None) -> str:
    if prices is None:
        return "listed; price not recorded"
    parts = [f"{label} {money(prices.get(column))}" for column, label in LAUNCH_SIDES]
    known = [p for p in parts if not p.endswith("unknown")]
    return "launched at " + " · ".join(known) if known else "listed; price not published"


def _direction(pcts: pd.Series, event: str) -> str:
    if event != "price_change":
        return EVENT_LABELS.get(event, event.replace("_", " "))
    values = pcts.dropna()
    if len(values) and (values < 0).all():
        return "cut"
    if len(values) and (values > 0).all():
        return "rise"
    return "mixed" if len(values) else "price added or removed"


def _headline_pct(group: pd.DataFrame) -> float:
    """The input price's change when it moved, else the output's, else the first field's."""
    for field in ("usd_per_mtok_input", "usd_per_mtok_output"):
        moved = group.loc[group["field"] == field, "pct_change"].dropna()
        if len(moved):
            return float(moved.iloc[0])
    values = group["pct_change"].dropna()
    return float(values.iloc[0]) if len(values) else math.nan


def model_events(changes: pd.DataFrame, intervals: pd.DataFrame) -> pd.DataFrame:
    """One row per (model, provider, event, day): the per-field, per-source and per-alias rows of one change
    folded, with readable field names and, for a new model, the price it launched at."""
    if changes.empty:
        return pd.DataFrame(columns=list(EVENT_COLUMNS))
    prices = intervals.drop_duplicates("interval_id").set_index("interval_id")
    names = intervals.drop_duplicates(MODEL_KEY).set_index(MODEL_KEY)["model_name"]
    rows = changes.assign(
        _day=changes["first_seen_at"].dt.floor("D"),
        _alias=changes["model_id"].map(is_alias),
        _order=changes["field"].map(FIELD_ORDER).fillna(99),
    )
    out = []
    for (model, provider, event, _day), group in rows.groupby(
        [MODEL_KEY, "provider", "event", "_day"], sort=False, dropna=False
    ):
        group = group.sort_values(["_alias", "_order", "source"], kind="stable")
        first = group.iloc[0]
        if event == "price_change":
            fields = group.drop_duplicates("field")
            what = " · ".join(_move_text(r) for _, r in fields.iterrows())
        elif event == "new_model" or event == "relisted":
            interval = first["interval_id"]
            found = prices.loc[interval] if pd.notna(interval) and interval in prices.index else None
            fields, what = group.iloc[0:0], _launch_text(found)
        else:
            fields, what = group.iloc[0:0], EVENT_LABELS.get(str(event), str(event))
        out.append(
            {
                "first_seen_at": group["first_seen_at"].min(),
                "model_name": names.get(model, first["model_id"]),
                "author": first["author"],
                "provider": provider,
                "what": what,
                "change": _direction(fields["pct_change"] if len(fields) else pd.Series(dtype=float), str(event)),
                "change_pct": _headline_pct(fields) if len(fields) else math.nan,
                "sources": ", ".join(sorted(group["source"].dropna().unique())),
                "model_ids": ", ".join(dict.fromkeys(group["model_id"].astype(str))),
                "is_alias": bool(group["_alias"].all()),
                "n_fields": int(fields["field"].nunique()) if len(fields) else 0,
                MODEL_KEY: model,
                **{c: first.get(c) for c in ("interval_id", "source_url", "captured_at", "sha256")},
            }
        )
    events = pd.DataFrame(out, columns=list(EVENT_COLUMNS))
    return events.sort_values(["first_seen_at", "model_name"], ascending=[False, True]).reset_index(drop=True)


def event_counts(events: pd.DataFrame) -> dict[str, int]:
    change = events["change"].to_numpy(dtype=object)
    alias = events["is_alias"].to_numpy(dtype=bool)
    return {
        "events": int((~alias).sum()),
        "cuts": int(((change == "cut") & ~alias).sum()),
        "rises": int(((change == "rise") & ~alias).sum()),
        "listings": int((np.isin(change, ["new model", "relisted", "delisted"]) & ~alias).sum()),
        "aliases": int(alias.sum()),
    }
