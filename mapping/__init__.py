"""Stakeholder graph and reach analysis (pure functions, no Flask). Filled by the analysis issue."""
