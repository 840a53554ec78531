"""The Streamlit dashboard only: the entry point, thin pages, widgets and the glue to `tokentide.reporting`."""
