"""The possible duplicates page and the merge screen (issue 12)."""
