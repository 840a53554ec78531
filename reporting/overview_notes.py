"""Overview captions that name each estimator and flag figures resting on too few makers or models."""

from __future__ import annotations

from tokentide.analytics.concentration import Concentration
from tokentide.analytics.pairs import PairPremium
from tokentide.analytics.premium import GroupPremium
from tokentide.analytics.uncertainty_json import GROUP_PREMIUM_ESTIMATOR
from tokentide.reporting import formatting as fmt


def premium_caption(premium: PairPremium | GroupPremium, how: str) -> str:
    """The premium's interval (or why there is none), its estimator and, for pairs, the other averages."""
    if not premium.ok:
        return str(premium.reason)
    if isinstance(premium, PairPremium):
        spread = f"median {fmt.ratio(premium.median_ratio)}, arithmetic mean {fmt.ratio(premium.arithmetic_mean_ratio)}"
        left_out = f"; {premium.n_mismatched} mismatched pair(s) left out" if premium.n_mismatched else ""
        ci = f"no interval: {premium.thin_reason}" if premium.thin else fmt.interval(premium.ci_low, premium.ci_high)
        return f"{ci} · {how}{left_out} · {premium.estimator}; {spread}"
    return f"{fmt.interval(premium.ci_low, premium.ci_high)} · {how} · {GROUP_PREMIUM_ESTIMATOR}"


def hhi_thin_note(hhi: Concentration) -> str:
    """' · thin: ...' when the latest period rests on fewer than 5 makers or 20 models, else ''."""
    if hhi.series.empty or "thin" not in hhi.series.columns:
        return ""
    latest = hhi.series.iloc[-1]
    return f" · thin: {latest['thin_reason']}" if bool(latest["thin"]) else ""
