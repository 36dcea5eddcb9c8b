"""Answering a pulse round: taps redraw the card in place, Send counts the answers, the thank-you follows."""

from __future__ import annotations

from bot.card_limits import shorten
from bot.commands import Command, ParsedCommand
from bot.conversation import Clock, say
from bot.errors import DomainError
from bot.events import ActionSubmitted, CommandText
from bot.flows.previous_results import PreviousResults
from bot.flows.pulse_card import (
    ANSWER_ACTION,
    COMMENT_FIELD,
    COMMENT_MAX,
    COMMENT_REFUSED_OVER,
    SEND_ACTION,
    Draft,
    read_draft,
)
from bot.flows.pulse_rounds import PulseStore, card_message, round_team
from bot.flows.pulse_thanks import PreviousResult, thanks_card
from bot.messages import OutboundMessage, Reply
from bot.organisation import Team
from bot.person import Person
from bot.pulse import PulseRound, validate_answers


class PulseFlow:
    """`pulse` / `pulssi` / `puls` and the taps on a pulse card."""

    commands = frozenset({Command.PULSE})
    action_prefix = "pulse."

    def __init__(self, pulses: PulseStore, clock: Clock) -> None:
        self.pulses = pulses
        self.clock = clock
        self.previous_results = PreviousResults(pulses.tallies)

    def on_command(self, person: Person, command: ParsedCommand, event: CommandText) -> Reply:
        """A fresh card for the open round of the person's team, unless they have answered it already."""
        if not person.member.team_ids:
            return say(person, "team.none")
        pulse_round = self.pulses.open_round_for(person.member.team_ids, self.clock())
        team = round_team(person.member, person.organisation, pulse_round) if pulse_round is not None else None
        if pulse_round is None or pulse_round.id is None or team is None:
            return say(person, "pulse.no_open_round")
        if self.pulses.has_answered(pulse_round.id, person.member.id):
            return say(person, "pulse.already_answered")
        return Reply((card_message(person, pulse_round, team),))

    def on_action(self, person: Person, event: ActionSubmitted) -> Reply:
        if event.action == ANSWER_ACTION:
            return self._tap(person, event)
        if event.action == SEND_ACTION:
            return self._send(person, event)
        return say(person, "action.unknown")

    def _tap(self, person: Person, event: ActionSubmitted) -> Reply:
        """Redraw the card with the tapped choice; nothing is stored until Send."""
        pulse_round, team, draft = self._ballot(person, event.value)
        comment = shorten(event.form.get(COMMENT_FIELD, ""), COMMENT_MAX)  # what was typed survives the redraw
        message = card_message(person, pulse_round, team, draft=draft, comment=comment, replaces=event.source)
        return Reply((message,))

    def _send(self, person: Person, event: ActionSubmitted) -> Reply:
        """Count the answers and the comment in one go, then put the thank-you where the card was."""
        pulse_round, team, draft = self._ballot(person, event.value)
        assert pulse_round.id is not None
        if draft.missing:
            raise DomainError("pulse.answer_every_question", missing=draft.missing)
        comment = event.form.get(COMMENT_FIELD, "").strip()
        if len(comment) > COMMENT_REFUSED_OVER:
            raise DomainError("pulse.comment_too_long", max=COMMENT_MAX, length=len(comment))
        values = draft.values(pulse_round.questions_for(team.id))
        validate_answers(pulse_round, team.id, values, self.clock())
        previous = self._previous(person, pulse_round, team)  # read before writing: a failure leaves nothing half-done
        self.pulses.record_answers(
            pulse_round.id, person.member.id, team.id, values, comment=shorten(comment, COMMENT_MAX) or None
        )
        card = thanks_card(
            person.language, team, previous, person.organisation.anonymity_threshold, commented=bool(comment)
        )
        return Reply((OutboundMessage(person.address, card=card, replaces=event.source, member_id=person.member.id),))

    def _ballot(self, person: Person, token: str) -> tuple[PulseRound, Team, Draft]:
        """The round, team and draft a button value names, refused unless the person may still answer with it."""
        draft = read_draft(token)
        pulse_round = self.pulses.get_round(draft.round_id, person.member.team_ids)
        if pulse_round is None or pulse_round.id is None:
            raise DomainError("pulse.card_unreadable")
        team = round_team(person.member, person.organisation, pulse_round)
        if team is None:
            raise DomainError("pulse.not_your_round")
        if len(draft.answers) != len(pulse_round.questions_for(team.id)):
            raise DomainError("pulse.card_unreadable")
        if not pulse_round.is_open(self.clock()):
            raise DomainError("pulse.round_closed")
        if self.pulses.has_answered(pulse_round.id, person.member.id):
            raise DomainError("pulse.already_answered")
        return pulse_round, team, draft

    def _previous(self, person: Person, pulse_round: PulseRound, team: Team) -> PreviousResult | None:
        earlier = self.pulses.previous_round(person.organisation.id, team.id, pulse_round)
        if earlier is None:
            return None
        return self.previous_results.for_team(team, earlier)
