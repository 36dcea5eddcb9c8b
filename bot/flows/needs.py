"""Needs beyond the team (`tarve` / `behov` / `need`): the supervisor carries to the organisation what the team
cannot change itself; the wellbeing officer's answer comes back to the team's channel (adapters/web/dashboard)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from bot.commands import Command, ParsedCommand
from bot.conversation import Clock, say
from bot.errors import DomainError
from bot.events import ActionSubmitted, CommandText
from bot.flows.choose_cards import item_label
from bot.flows.choose_model import PickKind
from bot.flows.choose_tally import TallyItem, of_kind, tally
from bot.flows.discuss import channel_language
from bot.flows.needs_cards import ABOUT_FIELD, KIND_FIELD, OPEN, RAISE, TEXT_FIELD, need_form, raised_card
from bot.flows.workshop_agenda import ChoiceReader, PlanReader
from bot.messages import OutboundMessage, Reply
from bot.org_needs import NeedKind, NeedSource, OrgNeed, need_text
from bot.organisation import Team
from bot.person import Directory, Person, led_teams, named_or_own_team


class NeedStore(Protocol):
    """Where needs are kept (storage's NeedRepository fits)."""

    def add(self, need: OrgNeed) -> OrgNeed: ...


class NeedsFlow:
    """The form and its receipt; what is stored names the team and the subject, never who chose it."""

    commands = frozenset({Command.NEED})
    action_prefix = "needs."

    def __init__(
        self, directory: Directory, plans: PlanReader, choices: ChoiceReader, needs: NeedStore, clock: Clock
    ) -> None:
        self.directory = directory
        self.plans = plans
        self.choices = choices
        self.needs = needs
        self.clock = clock

    def on_command(self, person: Person, command: ParsedCommand, event: CommandText) -> Reply:
        if not person.is_supervisor:
            return say(person, "needs.only_supervisor")
        team = named_or_own_team(person, command.args)
        if team not in led_teams(person):
            raise DomainError("needs.not_your_team", team=team.name)
        return self._form(person, team, "")

    def on_action(self, person: Person, event: ActionSubmitted) -> Reply:
        if not person.is_supervisor:  # a forged press from staff: nothing is looked up
            return say(person, "needs.only_supervisor")
        team_id, _, about = event.value.partition(":")
        team = next((t for t in led_teams(person) if str(t.id) == team_id), None)
        if team is None:
            raise DomainError("needs.not_found")
        if event.action == OPEN:
            return self._form(person, team, about)
        if event.action == RAISE:
            return self._raise(person, team, event)
        return say(person, "action.unknown")

    def _form(self, person: Person, team: Team, about: str) -> Reply:
        plan = self.plans.current(team.id)
        targets = plan.targets if plan is not None else ()
        card = need_form(team, targets, self._choices(team), person.language, about)
        # Opened from a follow-up or an agenda card: a new message, so the card it came from stays as it was.
        return Reply((OutboundMessage(to=person.address, card=card, member_id=person.member.id),))

    def _raise(self, person: Person, team: Team, event: ActionSubmitted) -> Reply:
        # The subject is kept in the team's language: the team reads it again in the officer's answer.
        language = channel_language(team, person.organisation)
        source, subject = self._subject(team, event.form.get(ABOUT_FIELD, ""), language)
        try:
            kind = NeedKind(event.form.get(KIND_FIELD, ""))
        except ValueError:
            raise DomainError("needs.pick_kind") from None
        text = need_text(event.form.get(TEXT_FIELD))
        need = self.needs.add(OrgNeed(team.id, source, kind, text, self.clock(), subject=subject))
        card = raised_card(team, need, person.language)
        return Reply((OutboundMessage(to=person.address, card=card, replaces=event.source),))

    def _subject(self, team: Team, about: str, language: str) -> tuple[NeedSource, str]:
        """The source and the words of what the need is about, as the team's plan or tally has them."""
        kind, _, key = about.partition(":")
        if kind == NeedSource.FOLLOW_UP.value and not key:
            return NeedSource.FOLLOW_UP, ""
        if kind == NeedSource.TARGET.value:
            plan = self.plans.current(team.id)
            target = next((t for t in (plan.targets if plan else ()) if str(t.id) == key), None)
            if target is not None:
                return NeedSource.TARGET, target.named(language)
        if kind == NeedSource.CHOICE.value:
            item = _by_key(self._choices(team)).get(key)
            if item is not None:  # the tally's words: how many chose it is known, who is not
                return NeedSource.CHOICE, item_label(item, language)
        raise DomainError("needs.pick_subject")

    def _choices(self, team: Team) -> tuple[TallyItem, ...]:
        """The targets of the team's latest choosing, when enough took part for its tally to be shown."""
        session = self.choices.latest_tallied(team.id)
        if session is None:
            return ()
        picks = self.choices.picks(session.id)
        organisation = self.directory.get()
        threshold = organisation.anonymity_threshold if organisation is not None else 5
        if len({pick.member_id for pick in picks}) < threshold:
            return ()
        return of_kind(tally(picks), PickKind.TARGET)


def _by_key(items: tuple[TallyItem, ...]) -> Mapping[str, TallyItem]:
    return {item.key: item for item in items}
