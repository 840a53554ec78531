"""tokentide dashboard entry point: navigation, shared filters in the sidebar and the URL, data freshness."""

from __future__ import annotations

import streamlit as st

from tokentide.app import auth, cache, layout, state, ui

PAGES = (
    ("views/overview.py", "Overview", ":material/dashboard:"),
    ("views/price_curves.py", "Price curves", ":material/show_chart:"),
    ("views/half_life.py", "Half-life", ":material/hourglass_bottom:"),
    ("views/premium.py", "Reasoning premium", ":material/psychology:"),
    ("views/capability.py", "Price of capability", ":material/trending_down:"),
    ("views/concentration.py", "Concentration", ":material/donut_large:"),
    ("views/models.py", "Models & prices", ":material/table_view:"),
    ("views/changes.py", "Changes", ":material/swap_vert:"),
    ("views/methodology.py", "Methodology & data", ":material/menu_book:"),
)

st.set_page_config(page_title="tokentide · LLM token prices", page_icon=":material/tsunami:", layout="wide")
auth.require_login()  # a team's dashboard: OpenID Connect login and allow-list (app/auth.py)
navigation = st.navigation(
    [st.Page(path, title=title, icon=icon, default=index == 0) for index, (path, title, icon) in enumerate(PAGES)],
    position="top",
)
data, problem = cache.dataset()
if data is None:
    st.title("tokentide")
    st.error(ui.md(problem or "The warehouse could not be read."), icon=":material/database_off:")
    st.stop()

state.seed_from_url()
state.start_page_run()
with st.sidebar:
    st.markdown("### :material/tsunami: tokentide")
    ui.freshness(data)
    st.divider()
    st.markdown("**Filters** · every page uses them")
    state.filter_widgets(data)
filters = state.current_filters()
state.set_context(state.PageContext(data, filters, cache.scope(data, filters)))
layout.narrow_screens()
layout.stale_banner(data)
link_slot = st.sidebar.container()
try:
    navigation.run()
finally:
    with link_slot:
        st.divider()
        ui.share_link(state.write_url(filters))
