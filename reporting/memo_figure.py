"""A plotly figure that serialises once: Streamlit and kaleido call `to_dict()` on every rerun and export.

Charts are memoised per filter state (Scope.memo) and shared by every rerun and session, yet
`go.Figure.to_dict()` deep-copies every trace and re-encodes every array each time it is called: for the
price curves that was most of a warm rerun. A MemoFigure keeps the dict until the figure changes: every
change plotly makes to a figure (restyle, relayout, update, add/move/delete traces) passes through one of
the `_send_*_msg` hooks plotly provides for live widgets, and each of those drops the kept dict.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go


class MemoFigure(go.Figure):
    """go.Figure whose `to_dict()` is computed once per state of the figure. Callers must treat the returned
    dict as read-only (Streamlit and kaleido only serialise it)."""

    _memo_dict: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        if self._frame_objs:  # frames change without a hook; tokentide draws none, so never keep those
            return super().to_dict()
        if self._memo_dict is None:
            object.__setattr__(self, "_memo_dict", super().to_dict())
        return self._memo_dict  # type: ignore[return-value]

    def _forget(self, *args: object, **kwargs: object) -> None:
        object.__setattr__(self, "_memo_dict", None)

    _send_addTraces_msg = _forget
    _send_moveTraces_msg = _forget
    _send_deleteTraces_msg = _forget
    _send_restyle_msg = _forget
    _send_relayout_msg = _forget
    _send_update_msg = _forget
    _send_animate_msg = _forget
