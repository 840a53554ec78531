"""Tables for st.dataframe converted to Arrow once per frame, not on every rerun.

st.dataframe converts a pandas frame to Arrow each time it is drawn; given a pyarrow.Table it only
serialises it. The frames the pages show are memoised per filter state (Scope.memo) and shared read-only
between reruns and sessions, so their Arrow form is kept beside them, keyed by the frame's identity and
dropped when the frame is garbage-collected.
"""

from __future__ import annotations

import weakref

import pandas as pd
import pyarrow as pa

# Single dict operations are atomic under the GIL, so sessions (threads) share this without a lock; a lock
# would risk a deadlock when garbage collection runs a frame's weakref callback inside the locked region.
_TABLES: dict[int, tuple[weakref.ref[pd.DataFrame], pa.Table]] = {}


def arrow_of(frame: pd.DataFrame) -> pa.Table | pd.DataFrame:
    """The frame as a pyarrow.Table, converted once while the frame lives; a frame Arrow cannot type as it
    stands (mixed object columns) is returned as is, for Streamlit's own conversion, which repairs those.
    Treat the frame as read-only afterwards: a change made in place would not reach the kept table."""
    key = id(frame)
    kept = _TABLES.get(key)
    if kept is not None and kept[0]() is frame:
        return kept[1]
    try:
        table = pa.Table.from_pandas(frame, preserve_index=False)
    except (pa.ArrowException, TypeError, ValueError):
        return frame

    # the callback runs while the frame is freed, before its id can be reused by another object
    def forget(_ref: object, key: int = key) -> None:
        _TABLES.pop(key, None)

    _TABLES[key] = (weakref.ref(frame, forget), table)
    return table


def kept_tables() -> int:
    """How many converted tables are held (for tests: they must go when their frames go)."""
    return len(_TABLES)
