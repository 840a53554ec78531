"""The UI-free layer shared by the app, `report` and `export`: filters -> scope -> analyses -> figures, tables."""
