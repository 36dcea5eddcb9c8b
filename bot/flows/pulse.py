"""Answering a pulse round: picks stay on the person's device, Send brings and counts them, the thank-you follows."""

from __future__ import annotations

from bot.card_limits import shorten
from bot.commands import Command, ParsedCommand
from bot.conversation import Clock, say
from bot.errors import AlreadyAnswered, DomainError
from bot.events import ActionSubmitted, CommandText
from bot.flows.previous_results import PreviousResults
from bot.flows.pulse_card import (
    ANSWER_ACTION,
    COMMENT_FIELD,
    COMMENT_MAX,
    COMMENT_REFUSED_OVER,
    SEND_ACTION,
    Draft,
    ended_card,
    read_draft,
)
from bot.flows.pulse_rounds import PulseStore, card_message, round_team
from bot.flows.pulse_thanks import PreviousResult, thanks_card
from bot.messages import OutboundMessage, Reply, SentRef
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
        """A tap on a card drawn when each tap redrew it: a fresh card in its place, whose picks stay on the device."""
        found = self._ballot(person, event)
        if isinstance(found, Reply):
            return found
        pulse_round, team, _ = found
        comment = shorten(event.form.get(COMMENT_FIELD, ""), COMMENT_MAX)  # what was typed survives the redraw
        return Reply((card_message(person, pulse_round, team, comment=comment, replaces=event.source),))

    def _send(self, person: Person, event: ActionSubmitted) -> Reply:
        """Count the answers picked on the card and the comment in one go, then put the thank-you where the card was.

        A Send with an answer missing brings the card back once, with what was picked, so nothing is lost.
        """
        found = self._ballot(person, event, sending=True)
        if isinstance(found, Reply):
            return found
        pulse_round, team, draft = found
        assert pulse_round.id is not None
        draft = draft.with_picks(event.form)
        comment = event.form.get(COMMENT_FIELD, "").strip()
        if draft.missing:
            if self.pulses.has_answered(pulse_round.id, person.member.id):  # an old card, answered elsewhere
                if event.source is None:
                    raise AlreadyAnswered()
                return self._ended(person, team, event.source, answered=True)
            if event.source is None:  # no card to draw again (a payload without its message)
                raise DomainError("pulse.answer_every_question", missing=draft.missing)
            kept = shorten(comment, COMMENT_MAX)
            again = card_message(
                person, pulse_round, team, draft=draft, comment=kept, replaces=event.source, refused=True
            )
            return Reply((again,))
        if len(comment) > COMMENT_REFUSED_OVER:
            raise DomainError("pulse.comment_too_long", max=COMMENT_MAX, length=len(comment))
        values = draft.values(pulse_round.questions_for(team.id))
        validate_answers(pulse_round, team.id, values, self.clock())
        previous = self._previous(person, pulse_round, team)  # read before writing: a failure leaves nothing half-done
        try:
            self.pulses.record_answers(
                pulse_round.id, person.member.id, team.id, values, comment=shorten(comment, COMMENT_MAX) or None
            )
        except AlreadyAnswered:
            if event.source is None:
                raise
            return self._ended(person, team, event.source, answered=True)
        card = thanks_card(
            person.language, team, previous, person.organisation.anonymity_threshold, commented=bool(comment)
        )
        return Reply((OutboundMessage(person.address, card=card, replaces=event.source, member_id=person.member.id),))

    def _ballot(
        self, person: Person, event: ActionSubmitted, *, sending: bool = False
    ) -> tuple[PulseRound, Team, Draft] | Reply:
        """The round, team and draft a button value names, refused unless the person may still answer with it.

        A card of a round that has closed, or that the person has answered, becomes a neutral card in its place.
        A Send is not checked for an earlier answer here: the answer's own insert refuses a second one (_send).
        """
        draft = read_draft(event.value)
        pulse_round = self.pulses.get_round(draft.round_id, person.member.team_ids)
        if pulse_round is None or pulse_round.id is None:
            raise DomainError("pulse.card_unreadable")
        team = round_team(person.member, person.organisation, pulse_round)
        if team is None:
            raise DomainError("pulse.not_your_round")
        if len(draft.answers) != len(pulse_round.questions_for(team.id)):
            raise DomainError("pulse.card_unreadable")
        answered = not sending and self.pulses.has_answered(pulse_round.id, person.member.id)
        if answered or not pulse_round.is_open(self.clock()):
            if event.source is None:
                raise DomainError("pulse.already_answered" if answered else "pulse.round_closed")
            return self._ended(person, team, event.source, answered=answered)
        return pulse_round, team, draft

    def _ended(self, person: Person, team: Team, card_at: SentRef, *, answered: bool) -> Reply:
        """A neutral card in place of one that can no longer be answered."""
        card = ended_card(team, person.language, answered=answered)
        return Reply((OutboundMessage(person.address, card=card, replaces=card_at, member_id=person.member.id),))

    def _previous(self, person: Person, pulse_round: PulseRound, team: Team) -> PreviousResult | None:
        earlier = self.pulses.previous_round(person.organisation.id, team.id, pulse_round)
        if earlier is None:
            return None
        return self.previous_results.for_team(team, earlier)
