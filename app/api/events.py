"""API routes of events, invitations and the representation report (issue 5)."""
