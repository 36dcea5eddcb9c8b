"""A finished choosing in the demo's kotihoito, for the workshop's and the needs' tests."""

from __future__ import annotations

from datetime import timedelta

from bot.dimensions import Dimension
from bot.flows.choose_model import Pick, PickKind, Stage
from storage.choose_repository import ChooseRepository
from tests.bot.flows.conftest import Clock, Demo


def choose(demo: Demo, clock: Clock, pickers: int) -> None:
    """A finished choosing in kotihoito: `pickers` people each picked safety and 'Perehdytys' as targets."""
    choices = ChooseRepository(demo.db)
    team = demo.team("kotihoito")
    session = choices.start(team.id, demo.supervisor("kotihoito").id, clock.now, clock.now + timedelta(days=7))
    staff = [m for m in demo.staff("kotihoito")][:pickers]
    for member in staff:
        picks = [
            Pick(member.id, PickKind.TARGET, Dimension.SAFETY.value),
            Pick(member.id, PickKind.TARGET, "Perehdytys"),
            Pick(member.id, PickKind.STRENGTH, Dimension.BELONGING.value),
        ]
        choices.replace_picks(session.id, member.id, picks)
    choices.save_pairs(session.id, [[m.id for m in staff]])
    choices.advance(session.id, Stage.US, Stage.ALL)
