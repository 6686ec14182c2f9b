"""The thresholds of the rules of reach (docs/rules-of-reach.md#settings), one object for
every caller."""

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class ReachSettings:
    """Every threshold of the analysis, with the documented defaults."""

    window_days: int = 180  # REACH_WINDOW_DAYS: older contacts no longer count
    threshold: float = 0.5  # REACH_THRESHOLD: a group below this share reached directly
    min_group_size: int = 3  # MIN_GROUP_SIZE: fewer known actors is "too few known"
    max_failed_calls: int = 3  # after this many failed calls in the window: visit instead

    @classmethod
    def from_config(cls, config) -> "ReachSettings":
        """The settings from a mapping of REACH_WINDOW_DAYS, REACH_THRESHOLD, MIN_GROUP_SIZE."""
        return cls(
            window_days=int(config.get("REACH_WINDOW_DAYS", cls.window_days)),
            threshold=float(config.get("REACH_THRESHOLD", cls.threshold)),
            min_group_size=int(config.get("MIN_GROUP_SIZE", cls.min_group_size)),
            max_failed_calls=int(config.get("MAX_FAILED_CALLS", cls.max_failed_calls)),
        )

    def as_dict(self) -> dict[str, int | float]:
        """The settings by name, as reports and the API show them."""
        return asdict(self)
