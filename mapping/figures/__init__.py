"""Maps and charts of the reach analysis: pure functions, an `Analysis` in, a plotly Figure out.

`network` (the stakeholder network and the group map), `power_interest` (the Mendelow grid) and
`dashboard` (the reach charts) share their palette and markers in `style`. Colours are
colour-blind safe: the Okabe-Ito palette for the four reach statuses, 'Cividis' for shares.
"""

from mapping.figures.dashboard import (
    CHANNEL_COLOURS,
    channel_mix_figure,
    reach_bar_figure,
    reach_heatmap_figure,
    reach_over_time_figure,
)
from mapping.figures.network import NODE_LIMIT, GroupCell, group_map_cells, network_figure
from mapping.figures.power_interest import (
    ACTOR_LIMIT,
    PowerInterestCell,
    actor_needs_attention,
    power_interest_cells,
    power_interest_figure,
    power_interest_level,
    power_interest_positions,
)
from mapping.figures.style import CITY_COLOUR, KIND_SYMBOLS, STATUS_COLOURS

__all__ = [
    "ACTOR_LIMIT",
    "CHANNEL_COLOURS",
    "CITY_COLOUR",
    "KIND_SYMBOLS",
    "NODE_LIMIT",
    "STATUS_COLOURS",
    "GroupCell",
    "PowerInterestCell",
    "actor_needs_attention",
    "channel_mix_figure",
    "group_map_cells",
    "network_figure",
    "power_interest_cells",
    "power_interest_figure",
    "power_interest_level",
    "power_interest_positions",
    "reach_bar_figure",
    "reach_heatmap_figure",
    "reach_over_time_figure",
]
