"""The UI-free layer shared by the dashboard, `tokentide report` and `tokentide export`: filter state -> scoped frames -> analyses -> plotly figures and tables."""
