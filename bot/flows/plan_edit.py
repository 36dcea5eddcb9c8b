"""Supervisors edit their team's plan with `päivitä` / `uppdatera` / `update`: one card, changed in place per save."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Protocol

from bot.commands import Command, ParsedCommand
from bot.conversation import Clock, say
from bot.errors import DomainError, FormRefused
from bot.events import ActionSubmitted, CommandText
from bot.flows import plan_edit_changes as changes
from bot.flows import plan_edit_workshop as workshop
from bot.flows.plan_edit_cards import edit_card, removal_card
from bot.flows.plan_edit_form_cards import action_form, strength_form, target_form
from bot.flows.plan_edit_forms import ACTION_DUE, action_from, due_text, strength_from, target_from
from bot.flows.plan_edit_refs import (
    ADD,
    AGREE,
    CANCEL,
    EDIT,
    PREFIX,
    REMOVE,
    REMOVE_CONFIRMED,
    SAVE,
    START,
    Kind,
    Ref,
    parse_ref,
)
from bot.flows.plan_owners import given_to_owner
from bot.form_refill import refilled
from bot.formatting import format_date
from bot.messages import Card, OutboundMessage, Reply
from bot.organisation import Team, team_time
from bot.person import Directory, Person, led_teams, named_or_own_team
from bot.plan import MAX_STRENGTHS, MAX_TARGETS, DevelopmentPlan, PlanAction


class PlanStore(Protocol):
    """Reads and saves a team's current plan whole (storage's PlanRepository fits)."""

    def current(self, team_id: int) -> DevelopmentPlan | None: ...

    def save(self, plan: DevelopmentPlan) -> DevelopmentPlan: ...


Handler = Callable[[Person, Ref, ActionSubmitted], Reply]


class PlanEditFlow:
    """The edit card and its forms; every change is checked whole, then saved once, then shown in place."""

    commands = frozenset({Command.UPDATE})
    action_prefix = PREFIX

    def __init__(self, directory: Directory, plans: PlanStore, clock: Clock) -> None:
        self.directory = directory
        self.plans = plans
        self.clock = clock
        self._handlers: dict[str, Handler] = {
            CANCEL: self._back,
            START: self._start,
            AGREE: self._agree,
            REMOVE: self._ask_removal,
            REMOVE_CONFIRMED: self._remove,
            ADD[Kind.STRENGTH]: self._new_strength,
            EDIT[Kind.STRENGTH]: self._edit_strength,
            SAVE[Kind.STRENGTH]: self._save_strength,
            ADD[Kind.TARGET]: self._new_target,
            EDIT[Kind.TARGET]: self._edit_target,
            SAVE[Kind.TARGET]: self._save_target,
            ADD[Kind.ACTION]: self._new_action,
            EDIT[Kind.ACTION]: self._edit_action,
            SAVE[Kind.ACTION]: self._save_action,
            workshop.OPEN: self._workshop_form,
            workshop.SAVE: self._save_workshop,
        }

    def on_command(self, person: Person, command: ParsedCommand, event: CommandText) -> Reply:
        if not person.is_supervisor:
            return say(person, "planedit.only_supervisor")
        team = self._team_for_command(person, command.args)
        card = self._edit_card(person, team, self.plans.current(team.id))
        return Reply((OutboundMessage(to=person.address, card=card, member_id=person.member.id),))

    def on_action(self, person: Person, event: ActionSubmitted) -> Reply:
        # A forged payload from staff gets the same kind answer as the command: nothing is even looked up.
        if not person.is_supervisor:
            return say(person, "planedit.only_supervisor")
        handler = self._handlers.get(event.action)
        if handler is None:
            return say(person, "action.unknown")
        row = parse_ref(event.value)
        if event.action not in SAVE.values():
            return handler(person, row, event)
        try:
            return handler(person, row, event)
        except DomainError as error:
            form = self._form_again(person, row, event.action)
            if form is None:  # the row is gone or not theirs: there is no form to give back
                raise
            raise FormRefused(error, refilled(form, event.form, error.message(person.language))) from error

    # --- The plan as a whole ----------------------------------------------------------------------------------

    def _back(self, person: Person, row: Ref, event: ActionSubmitted) -> Reply:
        team, plan = self._locate(person, row, Kind.TEAM)
        return self._show(person, event, self._edit_card(person, team, plan))

    def _start(self, person: Person, row: Ref, event: ActionSubmitted) -> Reply:
        team, plan = self._locate(person, row, Kind.TEAM)
        year = self._local_now(team).year
        if plan is not None and plan.year >= year:  # a second tap, or another supervisor was quicker
            return self._show(person, event, self._edit_card(person, team, plan))
        return self._save(
            person, event, team, DevelopmentPlan(team_id=team.id, year=year), "planedit.done.started", year=year
        )

    def _agree(self, person: Person, row: Ref, event: ActionSubmitted) -> Reply:
        team, plan = self._locate(person, row, Kind.TEAM)
        plan = _required(team, plan)
        if plan.agreed_on is not None:
            return self._show(person, event, self._edit_card(person, team, plan))
        agreed = plan.agree(self._local_now(team).date())
        assert agreed.agreed_on is not None and agreed.next_follow_up_due is not None
        dates = {"date": agreed.agreed_on, "due": agreed.next_follow_up_due}
        params = {name: format_date(day, person.language) for name, day in dates.items()}
        return self._save(person, event, team, agreed, "planedit.done.agreed", **params)

    def _ask_removal(self, person: Person, row: Ref, event: ActionSubmitted) -> Reply:
        team, plan = self._locate(person, row, Kind.STRENGTH, Kind.TARGET, Kind.ACTION)
        number, text, actions = changes.describe(_required(team, plan), row, person.language)
        card = removal_card(team, row.kind, row.id, number, text, actions, person.language)
        return self._show(person, event, card)

    def _remove(self, person: Person, row: Ref, event: ActionSubmitted) -> Reply:
        team, plan = self._locate(person, row, Kind.STRENGTH, Kind.TARGET, Kind.ACTION)
        plan = _required(team, plan)
        if row.kind is Kind.STRENGTH:
            changed = changes.remove_strength(plan, row.id)
        elif row.kind is Kind.TARGET:
            changed = changes.remove_target(plan, row.id)
        else:
            _, holder, _ = changes.action_in(plan, row.id)
            changed = changes.remove_action(plan, holder, row.id)
        return self._save(person, event, team, changed, f"planedit.done.removed_{row.kind.value}")

    # --- Strengths ----------------------------------------------------------------------------------------------

    def _new_strength(self, person: Person, row: Ref, event: ActionSubmitted) -> Reply:
        team, plan = self._locate(person, row, Kind.TEAM)
        if len(_required(team, plan).strengths) >= MAX_STRENGTHS:  # say so now, not after the typing
            raise DomainError("plan.too_many_strengths", max=MAX_STRENGTHS)
        return self._show(person, event, strength_form(team, None, None, person.language))

    def _edit_strength(self, person: Person, row: Ref, event: ActionSubmitted) -> Reply:
        team, plan = self._locate(person, row, Kind.STRENGTH)
        number, strength = changes.strength_in(_required(team, plan), row.id)
        return self._show(person, event, strength_form(team, number, strength, person.language))

    def _save_strength(self, person: Person, row: Ref, event: ActionSubmitted) -> Reply:
        team, plan = self._locate(person, row, Kind.TEAM, Kind.STRENGTH)
        plan = _required(team, plan)
        if row.kind is Kind.TEAM:
            changed = plan.with_strength(strength_from(event.form, None))
            return self._save(person, event, team, changed, "planedit.done.strength_added")
        _, strength = changes.strength_in(plan, row.id)
        changed = changes.replace_strength(plan, strength_from(event.form, strength))
        return self._save(person, event, team, changed, "planedit.done.strength_saved")

    # --- Targets ------------------------------------------------------------------------------------------------

    def _new_target(self, person: Person, row: Ref, event: ActionSubmitted) -> Reply:
        team, plan = self._locate(person, row, Kind.TEAM)
        if len(_required(team, plan).targets) >= MAX_TARGETS:
            raise DomainError("plan.too_many_targets", max=MAX_TARGETS)
        return self._show(person, event, target_form(team, None, None, person.language))

    def _edit_target(self, person: Person, row: Ref, event: ActionSubmitted) -> Reply:
        team, plan = self._locate(person, row, Kind.TARGET)
        number, found = changes.target_in(_required(team, plan), row.id)
        return self._show(person, event, target_form(team, number, found, person.language))

    def _save_target(self, person: Person, row: Ref, event: ActionSubmitted) -> Reply:
        team, plan = self._locate(person, row, Kind.TEAM, Kind.TARGET)
        plan = _required(team, plan)
        if row.kind is Kind.TEAM:
            changed = plan.with_target(target_from(event.form, None))
            return self._save(person, event, team, changed, "planedit.done.target_added")
        _, found = changes.target_in(plan, row.id)
        changed = plan.replace_target(row.id, target_from(event.form, found))
        return self._save(person, event, team, changed, "planedit.done.target_saved")

    # --- Actions ------------------------------------------------------------------------------------------------

    def _new_action(self, person: Person, row: Ref, event: ActionSubmitted) -> Reply:
        team, plan = self._locate(person, row, Kind.TARGET)
        number, found = changes.target_in(_required(team, plan), row.id)
        changes.check_room_for_action(found)
        card = action_form(team, self.directory.members(team.id), person.language, target=(number, found))
        return self._show(person, event, card)

    def _edit_action(self, person: Person, row: Ref, event: ActionSubmitted) -> Reply:
        team, plan = self._locate(person, row, Kind.ACTION)
        plan = _required(team, plan)
        number, holder, action = changes.action_in(plan, row.id)
        members = self.directory.members(team.id)
        card = action_form(
            team, members, person.language, target=changes.target_in(plan, holder.id), action=(number, action)
        )
        return self._show(person, event, card)

    def _save_action(self, person: Person, row: Ref, event: ActionSubmitted) -> Reply:
        team, plan = self._locate(person, row, Kind.TARGET, Kind.ACTION)
        plan = _required(team, plan)
        member_ids = {m.id for m in self.directory.members(team.id)}
        now = self._local_now(team)
        if row.kind is Kind.TARGET:
            _, holder = changes.target_in(plan, row.id)
            action = action_from(event.form, None, team_member_ids=member_ids, now=now, language=person.language)
            done, params = _done("added", action, event.form, person.language)
            changed, existing = changes.add_action(plan, holder, action), None
        else:
            _, holder, existing = changes.action_in(plan, row.id)
            action = action_from(event.form, existing, team_member_ids=member_ids, now=now, language=person.language)
            done, params = _done("saved", action, event.form, person.language)
            changed = changes.replace_action(plan, holder, action)
        reply = self._save(person, event, team, changed, done, **params)
        # Saved first: the owner hears of an action that is in the plan, through the outbox (it is not their act).
        told = given_to_owner(existing, action, holder, team, person, self.directory)
        return reply + Reply((told,)) if told is not None else reply

    # --- The workshop's outcome -------------------------------------------------------------------------------

    def _workshop_form(self, person: Person, row: Ref, event: ActionSubmitted) -> Reply:
        team, plan = self._locate(person, row, Kind.TEAM)
        plan = _required(team, plan)
        if not plan.targets:
            raise DomainError("planedit.workshop.no_targets")
        card = workshop.outcome_form(team, plan, self.directory.members(team.id), person.language)
        return self._show(person, event, card)

    def _save_workshop(self, person: Person, row: Ref, event: ActionSubmitted) -> Reply:
        team, plan = self._locate(person, row, Kind.TEAM)
        member_ids = {m.id for m in self.directory.members(team.id)}
        changed = workshop.outcome_into(
            _required(team, plan),
            event.form,
            team_member_ids=member_ids,
            now=self._local_now(team),
            language=person.language,
        )
        return self._save(person, event, team, changed, "planedit.done.workshop")

    def _form_again(self, person: Person, row: Ref, save: str) -> Card | None:
        """The form whose save was refused, as it was opened; None when the row it saves to is not there to edit."""
        try:
            if save == SAVE[Kind.STRENGTH]:
                team, plan = self._locate(person, row, Kind.TEAM, Kind.STRENGTH)
                if row.kind is Kind.TEAM:
                    return strength_form(team, None, None, person.language)
                number, strength = changes.strength_in(_required(team, plan), row.id)
                return strength_form(team, number, strength, person.language)
            if save == SAVE[Kind.TARGET]:
                team, plan = self._locate(person, row, Kind.TEAM, Kind.TARGET)
                if row.kind is Kind.TEAM:
                    return target_form(team, None, None, person.language)
                number, target = changes.target_in(_required(team, plan), row.id)
                return target_form(team, number, target, person.language)
            team, plan = self._locate(person, row, Kind.TARGET, Kind.ACTION)
            plan, members = _required(team, plan), self.directory.members(team.id)
            if row.kind is Kind.TARGET:
                return action_form(team, members, person.language, target=changes.target_in(plan, row.id))
            label, holder, action = changes.action_in(plan, row.id)
            return action_form(
                team, members, person.language, target=changes.target_in(plan, holder.id), action=(label, action)
            )
        except DomainError:
            return None

    # --- Who may edit what, and showing it ----------------------------------------------------------------------

    def _team_for_command(self, person: Person, args: str) -> Team:
        """The person's own team, or with a wellbeing officer's `päivitä kotihoito` the team named."""
        team = named_or_own_team(person, args)
        if team not in led_teams(person):
            raise DomainError("planedit.not_your_team", team=team.name)
        return team

    def _locate(self, person: Person, row: Ref, *kinds: Kind) -> tuple[Team, DevelopmentPlan | None]:
        """The team and current plan the row belongs to, looked for only where the person may edit."""
        if row.kind not in kinds:
            raise DomainError("planedit.not_found")
        teams = led_teams(person)
        if row.kind is Kind.TEAM:
            team = next((t for t in teams if t.id == row.id), None)
            if team is None:
                raise DomainError("planedit.not_found")
            return team, self.plans.current(team.id)
        for team in teams:
            plan = self.plans.current(team.id)
            if plan is not None and changes.holds(plan, row):
                return team, plan
        raise DomainError("planedit.not_found")

    def _save(
        self, person: Person, event: ActionSubmitted, team: Team, plan: DevelopmentPlan, done: str, **params: object
    ) -> Reply:
        """Save the checked plan once; the card shows the saved plan, and a short line says what happened."""
        saved = self.plans.save(plan)
        confirmation = say(person, done, **params)
        return self._show(person, event, self._edit_card(person, team, saved)) + confirmation

    def _show(self, person: Person, event: ActionSubmitted, card: Card) -> Reply:
        """The card in place of the one pressed (a new message when the press came without one)."""
        message = OutboundMessage(to=person.address, card=card, replaces=event.source, member_id=person.member.id)
        return Reply((message,))

    def _edit_card(self, person: Person, team: Team, plan: DevelopmentPlan | None) -> Card:
        names = self.directory.member_names(plan.owner_ids) if plan is not None else {}
        return edit_card(team, plan, names, person.language, self._local_now(team).date())

    def _local_now(self, team: Team) -> datetime:
        """Now in the team's time zone: "ensi perjantaina" and "this year" are the team's."""
        return team_time(self.clock(), team)


def _done(verb: str, action: PlanAction, form: Mapping[str, str], language: str) -> tuple[str, dict[str, object]]:
    """What a saved action's confirmation says: with a due date newly read from words, the day they were read as,
    so "vko 12" or "kevään aikana" is seen to mean what the person meant."""
    typed = form.get(ACTION_DUE, "").strip()
    if action.due_on is None or not typed or typed == due_text(action.due_on, language):
        return f"planedit.done.action_{verb}", {}
    return f"planedit.done.action_{verb}_due", {"date": format_date(action.due_on, language), "words": typed}


def _required(team: Team, plan: DevelopmentPlan | None) -> DevelopmentPlan:
    if plan is None:
        raise DomainError("planedit.no_plan", team=team.name)
    return plan
