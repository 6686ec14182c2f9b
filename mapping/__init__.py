"""Stakeholder graph and reach analysis: pure functions of networkx graphs, no Flask.

`mapping.analyse(session, settings=...)` is the one entry point for pages, CLI, API and maps.
"""

from mapping.analysis import Analysis, analyse, analyse_graph, clear_cache
from mapping.settings import ReachSettings

__all__ = ["Analysis", "ReachSettings", "analyse", "analyse_graph", "clear_cache"]
