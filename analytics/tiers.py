"""Tier rules: named, versioned, documented ways to put each model in economy, mid or flagship."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from tokentide.analytics.capability_tiers import DESCRIPTION as CAPABILITY_DESCRIPTION
from tokentide.analytics.capability_tiers import capability_band
from tokentide.analytics.cohort_bands import cohort_terciles, first_reason
from tokentide.analytics.columns import period_labels
from tokentide.analytics.frames import TIERS, require_columns
from tokentide.analytics.prices import MODEL_KEY, PRICE_COLUMN
from tokentide.analytics.tier_model import assign_learned

TIER_COLUMN: str = "assigned_tier"  # added by apply_tier_rule; the maker's own positioning stays in `tier`
DEFAULT_TIER_RULE: str = "positioning"  # the learned rule's maker-grouped CV accuracy is below 80 %: docs/tiers.md
DETAIL_COLUMNS: tuple[str, ...] = ("tier_source", "learned_tier", "learned_probability")
MIN_COHORT_MODELS: int = 3


@dataclass(frozen=True)
class TierRule:
    """A tier rule; `assign` maps a launch table to (tier or None, reason-if-None) per row."""

    name: str
    version: int
    description: str
    assign: Callable[[pd.DataFrame], pd.DataFrame] = field(repr=False, compare=False)
    selects_on_price: bool = False  # the rule reads the price it is then used to model

    @property
    def label(self) -> str:
        """Name and version, with a warning when the rule selects on price (shown wherever the rule is)."""
        warning = " (the paper's rule: selects on price)" if self.selects_on_price else ""
        return f"{self.name} v{self.version}{warning}"


def _positioning(models: pd.DataFrame) -> pd.DataFrame:
    require_columns(models, ("tier",), "tier rule positioning")
    tier = models["tier"].where(models["tier"].isin(TIERS))
    reason = first_reason(models.index, [(tier.isna().to_numpy(), "no maker tier")])
    return pd.DataFrame({"tier": tier, "reason": reason}, index=models.index)


def _price_band(models: pd.DataFrame) -> pd.DataFrame:
    require_columns(models, ("release_date", PRICE_COLUMN), "tier rule price-band")
    cohort = period_labels(models["release_date"], "half-year")
    price = models[PRICE_COLUMN].astype(float)
    tier, small = cohort_terciles(price, cohort, MIN_COHORT_MODELS)
    reason = first_reason(
        models.index,
        [
            (cohort.isna().to_numpy(), "unknown release date"),
            (price.isna().to_numpy(), "unknown launch price"),
            (small.to_numpy(dtype=bool), f"cohort has fewer than {MIN_COHORT_MODELS} priced models"),
        ],
    )
    return pd.DataFrame({"tier": tier, "reason": reason}, index=models.index)


TIER_RULES: Mapping[str, TierRule] = {
    rule.name: rule
    for rule in (
        TierRule(
            name="positioning",
            version=1,
            description=(
                "The maker's own positioning from the curated `tier` column (e.g. Haiku = economy, "
                "Sonnet = mid, Opus = flagship). Models without a curated tier are left unassigned and counted."
            ),
            assign=_positioning,
        ),
        TierRule(
            name="price-band",
            version=1,
            description=(
                "Terciles of the launch price among models released in the same half-year (Jan-Jun, "
                "Jul-Dec): the cheapest third is economy, the middle third mid, the dearest third flagship "
                "(rank r of n, counted from 0 with ties sharing their average rank, goes to band "
                "floor(3r/n)). Free models rank cheapest. Half-years with fewer than 3 priced models are "
                "left unassigned and counted, as are models with an unknown launch price or release date."
            ),
            assign=_price_band,
            selects_on_price=True,
        ),
        TierRule(
            name="learned",
            version=1,
            description=(
                "The curated positioning tier where the curated table has one; every other model gets the tier "
                "a classifier learned from the curated labels predicts from what is not its price (words in its "
                "name such as mini, flash, pro, max; parameter size in the name; where it sits in its maker's "
                "line-up of the time; reasoning and open-weights flags; maker). Multinomial logistic "
                "regression, checked by cross-validation grouped by maker; the probability is kept per model."
            ),
            assign=assign_learned,
        ),
    )
}


def get_tier_rule(name: str) -> TierRule:
    try:
        return TIER_RULES[name]
    except KeyError:
        raise ValueError(f"unknown tier rule {name!r}; choose one of {tuple(TIER_RULES)}") from None


@dataclass(frozen=True)
class TierAssignment:
    """The assigned tier per canonical model and how many models the rule could not place."""

    rule: str
    version: int
    tiers: pd.Series  # index canonical_model_id, values in TIERS or None
    n_assigned: int
    n_unassigned: int
    unassigned_reasons: Mapping[str, int]
    n_overridden: int
    unmatched_overrides: tuple[str, ...]
    detail: pd.DataFrame | None = None  # learned rule: DETAIL_COLUMNS per canonical_model_id


def assign_tiers(
    models: pd.DataFrame,
    rule: str = DEFAULT_TIER_RULE,
    *,
    overrides: Mapping[str, str] | None = None,
    aliases: pd.DataFrame | None = None,
) -> TierAssignment:
    """Place each model of a launch table (one row per canonical model) with a rule, then apply overrides.

    Overrides map a canonical_model_id, or a source model_id resolved through `aliases` (any frame with
    model_id and canonical_model_id, e.g. the intervals), to a tier; they are applied last and win.
    Keys that match no model are returned in `unmatched_overrides`.
    """
    require_columns(models, (MODEL_KEY,), "assign_tiers")
    if models[MODEL_KEY].duplicated().any():
        raise ValueError("assign_tiers: models must have one row per canonical_model_id (a launch table)")
    chosen = get_tier_rule(rule)
    placed = chosen.assign(models)
    tiers = pd.Series(placed["tier"].to_numpy(dtype=object), index=models[MODEL_KEY].to_numpy(), name=TIER_COLUMN)
    tiers = tiers.astype(object).where(tiers.notna(), None)  # unassigned is None, whatever dtype came in
    reasons = pd.Series(placed["reason"].to_numpy(dtype=object), index=tiers.index)
    resolved, unmatched = _resolve_overrides(overrides or {}, set(tiers.index), aliases)
    for model, tier in resolved.items():
        tiers[model] = tier
        reasons[model] = None
    counts = reasons[tiers.isna()].value_counts()
    detail = None
    if set(DETAIL_COLUMNS) <= set(placed.columns):
        detail = placed[list(DETAIL_COLUMNS)].set_axis(tiers.index).astype(object)
        detail.loc[list(resolved), "tier_source"] = "override"
    return TierAssignment(
        rule=chosen.name,
        version=chosen.version,
        tiers=tiers,
        n_assigned=int(tiers.notna().sum()),
        n_unassigned=int(tiers.isna().sum()),
        unassigned_reasons={str(k): int(v) for k, v in counts.items()},
        n_overridden=len(resolved),
        unmatched_overrides=unmatched,
        detail=detail,
    )


def _resolve_overrides(
    overrides: Mapping[str, str], known: set[str], aliases: pd.DataFrame | None
) -> tuple[dict[str, str], tuple[str, ...]]:
    bad = {key: tier for key, tier in overrides.items() if tier not in TIERS}
    if bad:
        raise ValueError(f"tier overrides must use one of {TIERS}, got {bad}")
    alias_map: dict[str, str] = {}
    if aliases is not None and overrides:
        require_columns(aliases, ("model_id", MODEL_KEY), "tier override aliases")
        pairs = aliases[["model_id", MODEL_KEY]].dropna().drop_duplicates("model_id")
        alias_map = dict(zip(pairs["model_id"], pairs[MODEL_KEY], strict=True))
    resolved: dict[str, str] = {}
    unmatched: list[str] = []
    for key, tier in overrides.items():
        model = key if key in known else alias_map.get(key)
        if model in known:
            resolved[model] = tier
        else:
            unmatched.append(key)
    return resolved, tuple(unmatched)


def apply_tier_rule(
    models: pd.DataFrame,
    rule: str = DEFAULT_TIER_RULE,
    *,
    overrides: Mapping[str, str] | None = None,
    aliases: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, TierAssignment]:
    """The launch table with an `assigned_tier` column, and the assignment it came from."""
    assignment = assign_tiers(models, rule, overrides=overrides, aliases=aliases)
    out = models.copy()
    out[TIER_COLUMN] = models[MODEL_KEY].map(assignment.tiers).to_numpy(dtype=object)
    if assignment.detail is not None:
        for column in DETAIL_COLUMNS:
            out[column] = models[MODEL_KEY].map(assignment.detail[column]).to_numpy(dtype=object)
    return out, assignment


# The capability rule bands benchmark scores that the scope attaches to the launch table (capability_tiers.py).
TIER_RULES = {**TIER_RULES, "capability": TierRule("capability", 1, CAPABILITY_DESCRIPTION, capability_band)}
