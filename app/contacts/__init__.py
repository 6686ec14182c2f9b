"""contacts pages."""
