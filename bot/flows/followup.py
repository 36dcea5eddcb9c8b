"""Supervisors follow up their team's plan with `seuranta` / `uppföljning` / `followup`: statuses, discussed, remind."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC

from bot.commands import Command, ParsedCommand
from bot.comments import CommentAnswer, answer_post, checked_answer
from bot.conversation import Clock, say
from bot.dates import parse_future_when
from bot.errors import DomainError
from bot.events import ActionSubmitted, CommandText
from bot.flows.followup_card import follow_up_card, recorded_card
from bot.flows.followup_model import (
    ANSWER,
    ANSWER_FIELD,
    DISCUSSED,
    NOTE_FIELD,
    OPEN,
    PREFIX,
    REMIND,
    REMINDER_KIND,
    STATUS,
    WHEN_FIELD,
    FollowUpPlans,
    Reminder,
    ReminderStore,
    find_team,
    parse_action_value,
    parse_answer_value,
    parse_row_value,
)
from bot.flows.followup_view import FollowUpCards
from bot.follow_up_rhythm import FollowUpRhythm
from bot.formatting import format_clock as clock_time
from bot.formatting import format_date
from bot.language import channel_languages
from bot.messages import Card, OutboundMessage, Reply
from bot.organisation import Role, Team, team_time
from bot.person import Person, led_teams, named_or_own_team
from bot.plan import ActionStatus, DevelopmentPlan


class FollowUpFlow:
    """The follow-up card and its buttons; only the team's supervisor or a wellbeing officer may act on it."""

    commands = frozenset({Command.FOLLOW_UP, Command.REMIND})
    action_prefix = PREFIX

    def __init__(
        self,
        plans: FollowUpPlans,
        cards: FollowUpCards,
        reminders: ReminderStore,
        clock: Clock,
        rhythm: FollowUpRhythm | None = None,
    ) -> None:
        self.plans = plans
        self.cards = cards
        self.reminders = reminders
        self.clock = clock
        self.rhythm = rhythm or FollowUpRhythm()

    def on_command(self, person: Person, command: ParsedCommand, event: CommandText) -> Reply:
        if not person.is_supervisor:
            return say(person, "followup.only_supervisor")
        if command.command is Command.REMIND:  # `muistuta ensi maanantaina`: the card again at that time
            team = self._team_for_command(person, "")
            return self._schedule(person, team, followable(team, self.plans.current(team.id)), command.args)
        team = self._team_for_command(person, command.args)
        return self._send_card(person, team, followable(team, self.plans.current(team.id)))

    def on_action(self, person: Person, event: ActionSubmitted) -> Reply:
        # A forged payload from staff gets the same kind answer as the command: nothing is even looked up.
        if not person.is_supervisor:
            return say(person, "followup.only_supervisor")
        if event.action == STATUS:
            return self._status(person, event)
        if event.action == DISCUSSED:
            return self._discussed(person, event)
        if event.action == REMIND:
            return self._remind(person, event)
        if event.action == OPEN:
            return self._open(person, event)
        if event.action == ANSWER:
            return self._answer(person, event)
        return say(person, "action.unknown")

    def _status(self, person: Person, event: ActionSubmitted) -> Reply:
        """Done / in progress / stuck on one action: saved, and the card redrawn in place."""
        action_id, status = parse_action_value(event.value)
        team, plan = self._plan_with_action(person, action_id)
        changed = with_action_status(plan, action_id, status)
        if changed != plan:  # a second tap on the same status writes nothing
            plan = self.plans.save(changed)
        view = self.cards.view(person.organisation, team, plan, self.clock())
        typed, answer_typed = event.form.get(WHEN_FIELD, ""), event.form.get(ANSWER_FIELD, "")
        card = follow_up_card(view, person.language, typed=typed, answer_typed=answer_typed)
        return self._show(person, event, card)

    def _discussed(self, person: Person, event: ActionSubmitted) -> Reply:
        """The plan was discussed in the team meeting: the follow-up is recorded with what was decided (optional),
        and the 3-month clock restarts."""
        team, plan = self._plan_from_button(person, event.value)
        plan_id = plan.id
        assert plan_id is not None  # plans come from storage
        today = team_time(self.clock(), team).date()
        note = event.form.get(NOTE_FIELD, "").strip()
        if plan.last_follow_up_on != today:  # a double tap records one follow-up
            plan = self.plans.record_follow_up(plan_id, today, note)
        self.reminders.cancel(REMINDER_KIND, plan_id)  # nothing left to remind anyone of
        held = next((f for f in reversed(plan.follow_ups) if f.held_on == today), None)
        card = recorded_card(team, today, plan.next_follow_up_due, person.language, held.note if held else "")
        return self._show(person, event, card)

    def _remind(self, person: Person, event: ActionSubmitted) -> Reply:
        """Remind me later: the time in words is read first, and only a good one is stored."""
        team, plan = self._plan_from_button(person, event.value)
        return self._schedule(person, team, plan, event.form.get(WHEN_FIELD, ""))

    def _schedule(self, person: Person, team: Team, plan: DevelopmentPlan, words: str) -> Reply:
        """Store a reminder at the time in words; a time that can't be read, is past or too late stores nothing.

        The reminder holds back the weekly overdue card, so it may reach only `snooze_days` past the due date:
        after that the card comes weekly whatever anyone asked.
        """
        assert plan.id is not None  # plans come from storage
        now = team_time(self.clock(), team)
        when = parse_future_when(words.strip(), now=now, language=person.language)
        due = plan.next_follow_up_due
        if due is not None and team_time(when, team).date() > self.rhythm.snooze_limit(due):
            limit = self.rhythm.snooze_limit(due)
            if limit < now.date():
                raise DomainError("followup.snooze_spent", due=due, days=self.rhythm.reminder_days)
            raise DomainError("followup.snooze_too_late", due=due, limit=limit)
        self.reminders.schedule(Reminder(person.member.id, REMINDER_KIND, plan.id, when.astimezone(UTC)))
        local = team_time(when, team)
        return say(
            person,
            "followup.reminder_set",
            team=team.name,
            date=format_date(local.date(), person.language),
            time=clock_time(local, person.language),
        )

    def _answer(self, person: Person, event: ActionSubmitted) -> Reply:
        """You said – we do: the team's own supervisor answers the shown comments once, in the team's channel."""
        plan_id, round_id = parse_answer_value(event.value)
        team, plan = self._plan_from_button(person, f"plan:{plan_id}")
        if person.member.role is not Role.SUPERVISOR or team.id not in person.member.team_ids:
            return say(person, "comments.answer_refused")
        now = self.clock()
        typed = event.form.get(ANSWER_FIELD, "")
        view = self.cards.view(person.organisation, team, plan, now)
        store = self.cards.answers
        if store is None or view.comments is None or view.comments.round_id != round_id or not view.comments.shown:
            raise DomainError("comments.answer_nothing")
        text = checked_answer(typed.replace("\r\n", "\n"))
        languages = channel_languages(team, self.cards.directory.members(team.id), person.organisation)
        answered = CommentAnswer(round_id, team.id, text, now)
        if not store.answer(answered, person.member.id, lambda kept: answer_post(team, kept, languages)):
            raise DomainError("comments.answer_already")
        card = follow_up_card(self.cards.view(person.organisation, team, plan, now), person.language)
        return self._show(person, event, card) + say(person, "comments.answer_sent")

    def _open(self, person: Person, event: ActionSubmitted) -> Reply:
        """A wellbeing officer opens a team's follow-up from an escalation; the escalation stays as it was."""
        team = find_team(led_teams(person), parse_row_value(event.value, "team"))
        if team is None:
            raise DomainError("followup.not_found")
        return self._send_card(person, team, followable(team, self.plans.current(team.id)))

    # --- Who may act on what, and showing it --------------------------------------------------------------------

    def _team_for_command(self, person: Person, args: str) -> Team:
        """The person's own team, or with `seuranta kotihoito` the team named, if the person leads its follow-up."""
        team = named_or_own_team(person, args)
        if team not in led_teams(person):
            raise DomainError("followup.not_your_team", team=team.name)
        return team

    def _plan_with_action(self, person: Person, action_id: int) -> tuple[Team, DevelopmentPlan]:
        """The current plan holding the action, looked for only in the teams the person follows up."""
        for team in led_teams(person):
            plan = self.plans.current(team.id)
            if plan is not None and any(a.id == action_id for t in plan.targets for a in t.actions):
                return team, followable(team, plan)
        raise DomainError("followup.not_found")

    def _plan_from_button(self, person: Person, value: str) -> tuple[Team, DevelopmentPlan]:
        """The plan a button names, if it is the current plan of a team the person follows up."""
        plan = self.plans.get(parse_row_value(value, "plan"))
        team = find_team(led_teams(person), plan.team_id) if plan is not None else None
        if plan is None or team is None:
            raise DomainError("followup.not_found")
        current = self.plans.current(team.id)
        if current is None or current.id != plan.id:  # a card of last year's plan
            raise DomainError("followup.not_found")
        return team, followable(team, current)

    def _send_card(self, person: Person, team: Team, plan: DevelopmentPlan) -> Reply:
        view = self.cards.view(person.organisation, team, plan, self.clock())
        card = follow_up_card(view, person.language)
        return Reply((OutboundMessage(to=person.address, card=card, member_id=person.member.id),))

    def _show(self, person: Person, event: ActionSubmitted, card: Card) -> Reply:
        """The card in place of the one pressed (a new message when the press came without one)."""
        message = OutboundMessage(to=person.address, card=card, replaces=event.source, member_id=person.member.id)
        return Reply((message,))


def followable(team: Team, plan: DevelopmentPlan | None) -> DevelopmentPlan:
    """The plan, if there is an agreed one to follow up."""
    if plan is None:
        raise DomainError("followup.no_plan", team=team.name)
    if plan.agreed_on is None:
        raise DomainError("followup.not_agreed", team=team.name)
    return plan


def with_action_status(plan: DevelopmentPlan, action_id: int, status: ActionStatus) -> DevelopmentPlan:
    """The plan with one action's status changed."""
    targets = tuple(
        replace(t, actions=tuple(replace(a, status=status) if a.id == action_id else a for a in t.actions))
        for t in plan.targets
    )
    return replace(plan, targets=targets)
