"""The development workshop as the model runs it: rotating stations, one per target, then presenting and agreeing."""

from __future__ import annotations

from dataclasses import dataclass

AGENDA_LEAD_DAYS = 7  # the supervisor gets the agenda a week before: time to book a room and brief the groups
OPENING_MINUTES = 15  # the results and the choices, so every group starts from the same picture
STATION_MINUTES = 20  # each group spends about this long at each station
PRESENTATION_MINUTES = 10  # each station's results presented to all
TOGETHER_MINUTES = 30  # what is agreed together goes into the plan
DEFAULT_STATIONS = 3  # the model's example: the staff split into three groups, three targets


@dataclass(frozen=True)
class Outline:
    """The workshop's phases for a number of targets: every group visits every station."""

    stations: int

    @property
    def station_minutes(self) -> int:
        """The rotation: each group visits every station."""
        return self.stations * STATION_MINUTES

    @property
    def presentation_minutes(self) -> int:
        """Each station's results presented in turn."""
        return self.stations * PRESENTATION_MINUTES

    @property
    def total_minutes(self) -> int:
        """The whole workshop without breaks; the model books 2–4 h, so there is room for them."""
        return OPENING_MINUTES + self.station_minutes + self.presentation_minutes + TOGETHER_MINUTES


def outline(targets: int) -> Outline:
    """The outline for the team's targets; before any are chosen, the model's three stations."""
    return Outline(targets if targets > 0 else DEFAULT_STATIONS)
