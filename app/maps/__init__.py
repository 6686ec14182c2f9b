"""Stakeholder maps (issue 4): the network map, the power/interest grid and the reach dashboard."""
