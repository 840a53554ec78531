"""Page furniture for every width: the stale-data banner, and narrow screens (<= 900 px) made readable."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from tokentide.reporting.dataset import Dataset
from tokentide.reporting.freshness import staleness

NARROW_PX: int = 900
_CSS = f"""
<style>
@media (max-width: {NARROW_PX}px) {{
  [data-testid="stMetricValue"] > div, [data-testid="stMetricLabel"] p {{
    white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
  }}
  [data-testid="stMetricValue"] {{ font-size: 1.6rem; }}
  [data-testid="stHorizontalBlock"] {{ flex-wrap: wrap !important; gap: 0.5rem !important; }}
  [data-testid="stHorizontalBlock"] > [data-testid="stColumn"] {{
    min-width: calc(50% - 0.5rem) !important; flex: 1 1 calc(50% - 0.5rem) !important;
  }}
  [data-testid="stDownloadButton"] button {{ white-space: nowrap; min-width: max-content; }}
}}
</style>
"""
# Streamlit decides the sidebar's first state in the browser only below its own mobile width; between that
# and NARROW_PX the filters would cover half the page. Collapse it once per browser tab (the user can open
# it again; it is not forced closed on every rerun).
_COLLAPSE = f"""
<script>
const doc = window.parent.document;
const key = "tokentide-sidebar-collapsed";
if (window.parent.innerWidth <= {NARROW_PX} && !window.parent.sessionStorage.getItem(key)) {{
  const tryCollapse = (attempt) => {{
    const bar = doc.querySelector('[data-testid="stSidebar"]');
    const button = doc.querySelector('[data-testid="stSidebarCollapseButton"] button');
    const box = bar ? bar.getBoundingClientRect() : null;
    if (box && box.width > 60 && box.right > 60 && button) {{
      button.click();
      window.parent.sessionStorage.setItem(key, "1");
    }} else if (attempt < 40) {{ setTimeout(() => tryCollapse(attempt + 1), 100); }}
  }};
  tryCollapse(0);
}}
</script>
"""


def narrow_screens() -> None:
    """Cards wrap instead of truncating, buttons keep their labels, the sidebar starts collapsed."""
    st.html(_CSS)
    st.iframe(_COLLAPSE, height=1)


def stale_banner(data: Dataset) -> None:
    """A warning at the top of every page when the newest data are more than a week old."""
    text = staleness(data.data_as_of, pd.Timestamp.now(tz="UTC")).banner
    if text:
        st.warning(text, icon=":material/update:")
