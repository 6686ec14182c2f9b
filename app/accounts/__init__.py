"""Staff accounts, their roles and export permission (administrators only, under /admin)."""
