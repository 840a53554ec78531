"""The dashboard pages (one script per page, run by st.navigation; not named `pages/`, which would switch
Streamlit to its older folder-based navigation on a fresh server)."""
