"""Settings shared by every part: the TOML configuration and the default paths."""
