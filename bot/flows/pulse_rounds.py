"""Pulse rounds for the scheduler: opening a round with a card to everyone asked, and its one reminder."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Protocol, TypeVar

from bot.errors import DomainError
from bot.flows.plan_view import PlanReader
from bot.flows.pulse_card import Draft, answer_card, ended_card
from bot.flows.pulse_questions import choose_questions
from bot.messages import OutboundMessage, Reply, SentRef
from bot.organisation import Member, Organisation, Team
from bot.person import Directory, Person, person_for
from bot.pulse import PulseRound
from bot.results import RoundTallies

CardName = TypeVar("CardName")  # the caller's name for a sent card, handed back with its update


class PulseStore(Protocol):
    """Pulse rounds and their counters (storage's PulseRepository fits)."""

    def create_round(self, org_id: int, pulse_round: PulseRound, invited: Mapping[int, int]) -> PulseRound: ...

    def get_round(self, round_id: int, team_ids: Iterable[int] | None = None) -> PulseRound | None:
        """The round; with `team_ids`, holding only those of its teams."""
        ...

    def previous_round(self, org_id: int, team_id: int, current: PulseRound) -> PulseRound | None:
        """The team's latest round that closed before `current` opened."""
        ...

    def rounds(self, org_id: int) -> list[PulseRound]: ...

    def open_round_for(self, team_ids: Iterable[int], now: datetime) -> PulseRound | None: ...

    def record_answers(
        self, round_id: int, member_id: int, team_id: int, values: Mapping[str, int], comment: str | None = None
    ) -> None: ...

    def has_answered(self, round_id: int, member_id: int) -> bool: ...

    def non_responders(self, round_id: int, member_ids: Iterable[int]) -> list[int]: ...

    def tallies(self, round_id: int) -> RoundTallies: ...

    def claim_reminder(self, round_id: int) -> bool: ...


def round_team(member: Member, organisation: Organisation, pulse_round: PulseRound) -> Team | None:
    """The team a person answers for in a round: their first team (in the organisation's order) that was asked.

    Someone in two asked teams gets one card, for one team, since a round takes one answer per person.
    """
    return next((t for t in organisation.teams if t.id in member.team_ids and t.id in pulse_round.team_questions), None)


def card_message(
    person: Person,
    pulse_round: PulseRound,
    team: Team,
    *,
    draft: Draft | None = None,
    comment: str = "",
    reminder: bool = False,
    replaces: SentRef | None = None,
    refused: bool = False,
) -> OutboundMessage:
    """The person's answer card for the round, fresh, or drawn again with a refused Send's draft (`refused`)."""
    assert pulse_round.id is not None  # rounds come from storage with their id
    questions = pulse_round.questions_for(team.id)
    draft = draft or Draft.empty(pulse_round.id, len(questions))
    card = answer_card(
        draft,
        questions,
        team,
        pulse_round.closes_at,
        person.language,
        comment=comment,
        reminder=reminder,
        refused=refused,
    )
    return OutboundMessage(
        to=person.address, card=card, replaces=replaces, member_id=person.member.id, topic=card_topic(pulse_round.id)
    )


def card_topic(round_id: int) -> str:
    """What a round's answer card is about, as its outbox key ends: the round's close finds the sent cards by it."""
    return f"pulse:{round_id}"


class PulseRounds:
    """The scheduler's use cases; they return the messages to send and leave the sending to the caller."""

    def __init__(self, directory: Directory, pulses: PulseStore, plans: PlanReader) -> None:
        self.directory = directory
        self.pulses = pulses
        self.plans = plans

    def open_round(
        self, organisation: Organisation, teams: Sequence[Team], closes_at: datetime, now: datetime
    ) -> tuple[PulseRound, Reply]:
        """Create a round for the teams, open from `now` to `closes_at`, and a card to everyone asked."""
        if closes_at <= now:
            raise DomainError("pulse.deadline_passed")
        asked_ids = {t.id for t in teams}
        asked = [t for t in organisation.teams if t.id in asked_ids]
        people: dict[int, list[Member]] = {t.id: [] for t in asked}
        # Everyone in one read (a city has a thousand teams; one query each took seconds), in name order.
        for member in self.directory.members():
            # The first asked team in the organisation's order, as round_team decides on every tap.
            first = next((t for t in asked if t.id in member.team_ids), None)
            if first is not None:
                people[first.id].append(member)
        people = {team_id: members for team_id, members in people.items() if members}
        if not people:
            raise DomainError("pulse.no_one_to_ask")

        earlier = self.pulses.rounds(organisation.id)
        questions = {
            team_id: choose_questions(self.plans.current(team_id), sum(team_id in r.team_questions for r in earlier))
            for team_id in people
        }
        created = self.pulses.create_round(
            organisation.id,
            PulseRound(opens_at=now, closes_at=closes_at, team_questions=questions),
            invited={team_id: len(members) for team_id, members in people.items()},
        )
        by_id = {t.id: t for t in asked}
        messages = tuple(
            card_message(person_for(member, organisation), created, by_id[team_id])
            for team_id, members in people.items()
            for member in members
        )
        return created, Reply(messages)

    def send_reminder(self, round_id: int, now: datetime) -> Reply:
        """One reminder card to each person asked who has not answered; nothing on a second call or once closed."""
        pulse_round = self.pulses.get_round(round_id)
        if pulse_round is None:
            raise LookupError(f"no pulse round {round_id}")
        organisation = self.directory.get()
        if organisation is None or not pulse_round.is_open(now):
            return Reply()
        messages: list[OutboundMessage] = []
        # One read for the whole organisation, as when the round opened, grouped by the team each answers for.
        answering: dict[int, list[Member]] = {}
        for member in self.directory.members():
            answering_for = round_team(member, organisation, pulse_round)
            if answering_for is not None:
                answering.setdefault(answering_for.id, []).append(member)
        for team in organisation.teams:
            if team.id not in pulse_round.team_questions:
                continue
            members = answering.get(team.id, [])
            waiting = set(self.pulses.non_responders(round_id, [m.id for m in members]))
            messages += [
                card_message(person_for(m, organisation), pulse_round, team, reminder=True)
                for m in members
                if m.id in waiting
            ]
        # Claimed last: everything above only reads, so a failure there leaves the reminder still to send.
        if not self.pulses.claim_reminder(round_id):
            return Reply()
        return Reply(tuple(messages))

    def close_cards(
        self, pulse_round: PulseRound, sent: Mapping[CardName, tuple[int, SentRef]], now: datetime
    ) -> list[tuple[CardName, OutboundMessage]]:
        """For each card of a closed round sent to a person who has not answered, the neutral closed card in its place.

        `sent` names each card sent for the round: (member id, where it is). Those who answered are left alone: one of
        their cards holds the thank-you, and nothing says which. A card whose person is gone, no longer answers for an
        asked team, or is now reached on another platform, is left too: the closed card could not be drawn or sent.
        """
        organisation = self.directory.get()
        if organisation is None or pulse_round.id is None or now < pulse_round.closes_at or not sent:
            return []
        waiting = set(self.pulses.non_responders(pulse_round.id, {member_id for member_id, _ in sent.values()}))
        members = {m.id: m for m in self.directory.members() if m.id in waiting}
        updates: list[tuple[CardName, OutboundMessage]] = []
        for name, (member_id, ref) in sent.items():
            member = members.get(member_id)
            team = round_team(member, organisation, pulse_round) if member is not None else None
            if member is None or team is None:
                continue
            person = person_for(member, organisation)
            if person.address.platform != ref.platform:
                continue
            card = ended_card(team, person.language, answered=False)
            updates.append((name, OutboundMessage(person.address, card=card, replaces=ref, member_id=member.id)))
        return updates
