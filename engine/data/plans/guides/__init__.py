"""How each plan's guide presents its table: sections, groups and worked examples (data only)."""
