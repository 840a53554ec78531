"""Release-date conflicts and the first-seen lag on hand-made candidates with known answers."""

from __future__ import annotations

import pandas as pd

from tokentide.analytics.release_dates import conflicts, first_seen_lag

SEEN = "first seen in litellm price list (estimate)"


def _candidates(rows: list[tuple[str, int, str, str, bool]]) -> pd.DataFrame:
    return pd.DataFrame(
        [(m, "s", rank, basis, pd.Timestamp(day).date(), est) for m, rank, basis, day, est in rows],
        columns=["canonical_model_id", "source", "rank", "basis", "release_date", "is_estimate"],
    )


def test_only_candidates_more_than_30_days_from_the_chosen_date_are_conflicts() -> None:
    candidates = _candidates([
        ("a", 1, "curated table", "2024-01-01", False),
        ("a", 2, "Epoch AI publication date", "2024-01-31", False),  # 30 days: agrees
        ("a", 6, SEEN, "2024-03-01", True),  # 60 days late
        ("b", 4, "models.dev release_date", "2024-05-01", False),
        ("b", 6, SEEN, "2024-03-20", True),  # 42 days early
    ])  # fmt: skip
    chosen = pd.DataFrame({
        "canonical_model_id": ["a", "b"], "release_date": [pd.Timestamp("2024-01-01").date(),
                                                           pd.Timestamp("2024-05-01").date()],
        "release_date_basis": ["curated table", "models.dev release_date"],
    })  # fmt: skip
    found = conflicts(candidates, chosen)
    assert list(zip(found["canonical_model_id"], found["gap_days"], strict=True)) == [("a", 60), ("b", -42)]


def test_first_seen_lag_median_and_shares_on_known_lags() -> None:
    rows = []
    for i, lag in enumerate([0, 3, 10, 20, 40, -5, 7, 100, 14, 30]):
        day = pd.Timestamp("2025-01-01") + pd.Timedelta(days=lag)
        rows += [(f"m{i}", 1, "curated table", "2025-01-01", False), (f"m{i}", 6, SEEN, str(day.date()), True)]
    lag = first_seen_lag(_candidates(rows))
    assert lag.ok and lag.n == 10
    assert lag.median_lag_days == 12.0  # sorted: -5 0 3 7 10 14 20 30 40 100
    assert lag.share_within_14_days == 0.6 and lag.share_within_30_days == 0.8


def test_too_few_pairs_say_so_instead_of_a_number() -> None:
    lag = first_seen_lag(
        _candidates([("m", 1, "curated table", "2025-01-01", False), ("m", 6, SEEN, "2025-01-05", True)])
    )
    assert not lag.ok and lag.median_lag_days is None and "only 1 models" in (lag.reason or "")
