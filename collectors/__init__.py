"""tokentide."""
