"""API routes of the invitation list exports: CSV and XLSX (issue 5)."""
