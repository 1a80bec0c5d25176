"""Per-language date and number formats (FORMAT_MODULE_PATH), in front of Django's own."""
