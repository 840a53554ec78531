"""Alerts and the Atom feed: telling people that a price moved."""
