"""A closed pulse round in which some of the demo's teams answered and a few of them left comments."""

from __future__ import annotations

from datetime import timedelta

from bot.pulse import PulseRound
from storage.org_repository import OrganisationRepository
from storage.pulse_repository import PulseRepository
from tests.bot.flows.conftest import Clock, Demo

SAID = ["Kiire painaa iltapäivisin", "Hyvä yhteishenki", "Tauot jäävät pitämättä"]


def comment_round(demo: Demo, clock: Clock, answered: dict[str, int], comments: dict[str, list[str]]) -> int:
    """A round closed an hour ago: `answered[team key]` people answered, the first of them left `comments`."""
    members = OrganisationRepository(demo.db).members()
    pulses = PulseRepository(demo.db)
    closes_at = clock.now - timedelta(hours=1)
    staff = {t.key: [m.id for m in members if t.id in m.team_ids] for t in demo.org.teams}
    pulse_round = pulses.create_round(
        demo.org.id,
        PulseRound(closes_at - timedelta(days=7), closes_at, {t.id: ("FE1",) for t in demo.org.teams}),
        invited={t.id: len(staff[t.key]) for t in demo.org.teams},
    )
    assert pulse_round.id is not None
    for key, count in answered.items():
        said = comments.get(key, [])
        for number, member_id in enumerate(staff[key][:count]):
            comment = said[number] if number < len(said) else None
            pulses.record_answers(pulse_round.id, member_id, demo.team(key).id, {"FE1": 4}, comment)
    pulses.settle(pulse_round.id)
    return pulse_round.id
