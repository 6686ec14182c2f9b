"""Outreach pages: the plan, "my calls and visits" and claims (the read side is mapping.plan)."""
