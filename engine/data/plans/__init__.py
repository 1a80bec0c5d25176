"""Plan files (YAML), one per plan code."""
