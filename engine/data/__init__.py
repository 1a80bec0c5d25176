"""Data files of the engine: legal parameters and plans (YAML)."""
