"""The dashboard's default warehouse fixtures, shared with the UI-free reporting tests."""

from tests.app.conftest import app_db, dataset, default_warehouse, scope  # noqa: F401 - pytest fixtures
