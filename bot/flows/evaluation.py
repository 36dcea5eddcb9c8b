"""The year-end evaluation (`arviointi` / `utvärdering` / `evaluation`): answered with the team, then next year's draft.

The supervisor (or a wellbeing officer) fills one form in the team meeting; saving it stores the answers, starts next
year's draft plan and offers it the year's unfinished actions and "what next", which the team keeps or drops one by one.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from bot.commands import Command, ParsedCommand
from bot.conversation import Clock, say
from bot.errors import DomainError
from bot.evaluation import (
    Decision,
    Evaluation,
    Outcome,
    StrengthEvaluation,
    TargetEvaluation,
    carried_items,
    keep_in_draft,
)
from bot.events import ActionSubmitted, CommandText
from bot.flows.evaluation_cards import answers_as_form, draft_card, evaluation_card, saved_card
from bot.flows.evaluation_model import (
    CARRY,
    DRAFT,
    HELPED_FIELD,
    KEPT_FIELD,
    NEXT_FIELD,
    OPEN,
    OUTCOME_FIELD,
    PREFIX,
    SAVE,
    EvaluationStore,
    PlanStore,
    SuccessCounter,
    parse_carry_value,
    parse_row_value,
)
from bot.messages import Card, OutboundMessage, Reply
from bot.organisation import Team, team_time
from bot.person import Directory, Person, led_teams, named_or_own_team
from bot.plan import DevelopmentPlan


class EvaluationFlow:
    """The evaluation form, its answers and next year's draft; only the team's supervisor or an officer may act."""

    commands = frozenset({Command.EVALUATE})
    action_prefix = PREFIX

    def __init__(
        self,
        directory: Directory,
        evaluations: EvaluationStore,
        plans: PlanStore,
        successes: SuccessCounter,
        clock: Clock,
    ) -> None:
        self.directory = directory
        self.evaluations = evaluations
        self.plans = plans
        self.successes = successes
        self.clock = clock

    def on_command(self, person: Person, command: ParsedCommand, event: CommandText) -> Reply:
        if not person.is_supervisor:
            return say(person, "evaluation.only_supervisor")
        team = named_or_own_team(person, command.args)
        if team not in led_teams(person):
            raise DomainError("evaluation.not_your_team", team=team.name)
        return self._send(person, None, self._form(person, team))

    def on_action(self, person: Person, event: ActionSubmitted) -> Reply:
        # A forged payload from staff gets the same kind answer as the command: nothing is even looked up.
        if not person.is_supervisor:
            return say(person, "evaluation.only_supervisor")
        if event.action == OPEN:
            return self._send(person, event, self._form(person, self._team(person, event.value)))
        if event.action == SAVE:
            return self._save(person, event)
        if event.action == DRAFT:
            return self._send(person, event, self._draft(person, self._team(person, event.value)))
        if event.action == CARRY:
            return self._carry(person, event)
        return say(person, "action.unknown")

    # --- The evaluation -----------------------------------------------------------------------------------------

    def _form(self, person: Person, team: Team) -> Card:
        plan = self._plan(team)
        stored = self.evaluations.for_plan(_id(plan))
        form = answers_as_form(stored) if stored is not None else None
        return evaluation_card(team, plan, self.successes.count_by_target(team.id), person.language, form=form)

    def _save(self, person: Person, event: ActionSubmitted) -> Reply:
        """Every answer checked whole; a refusal brings the form back with everything typed, and saves nothing."""
        team, plan = self._plan_from_button(person, event.value)
        try:
            evaluation = Evaluation.answer(
                plan, _target_answers(plan, event.form), _strength_answers(plan, event.form), self._today(team)
            )
        except DomainError as refused:
            counts = self.successes.count_by_target(team.id)
            problem = refused.message(person.language)
            card = evaluation_card(team, plan, counts, person.language, form=event.form, problem=problem)
            return self._send(person, event, card)
        self.evaluations.save(evaluation, plan, carried_items(plan, evaluation))
        saved = saved_card(team, plan, evaluation, person.language)
        draft = self._draft(person, team)
        return self._send(person, event, saved) + self._send(person, None, draft)

    # --- Next year's draft ----------------------------------------------------------------------------------------

    def _draft(self, person: Person, team: Team) -> Card:
        evaluated = self._plan(team)
        draft_id = self.evaluations.draft_of(_id(evaluated))
        draft = self.plans.get(draft_id) if draft_id is not None else None
        if draft is None:
            raise DomainError("evaluation.draft_none", team=team.name)
        items = self.evaluations.carried(_id(draft))
        names = self.directory.member_names({i.owner_id for i in items if i.owner_id is not None})
        return draft_card(team, draft, items, evaluated, names, person.language)

    def _carry(self, person: Person, event: ActionSubmitted) -> Reply:
        """Keep (an action under a copy of its old target in the draft) or drop one carried item; then redraw."""
        item_id, decision = parse_carry_value(event.value)
        found = self.evaluations.carried_item(item_id)
        draft = self.plans.get(found[1]) if found is not None else None
        team = next((t for t in led_teams(person) if draft is not None and t.id == draft.team_id), None)
        if found is None or draft is None or team is None:
            raise DomainError("evaluation.not_found")
        item = found[0]
        if item.decision is not Decision.OPEN:  # a double tap, or decided on another card
            return self._send(person, event, self._draft(person, team))
        if decision is Decision.DROPPED:
            self.evaluations.decide(item_id, decision)
            return self._send(person, event, self._draft(person, team))
        evaluated = self._plan(team)
        source = next((t for t in evaluated.targets if t.id == item.from_target_id), None)
        if source is None:
            raise DomainError("evaluation.plan_changed")
        copy_id = self._copy_of(_id(draft), item.from_target_id)
        changed = keep_in_draft(draft, item, source, copy_id)  # a full draft refuses here, before anything is written
        if self.evaluations.decide(item_id, Decision.KEPT):
            try:
                saved = self.plans.save(changed)
            except Exception:
                self.evaluations.reopen(item_id)  # the item stays open rather than kept without its action
                raise
            under = next((t.id for t in saved.targets if t.id == copy_id), None) or saved.targets[-1].id
            if under is not None:
                self.evaluations.placed(item_id, under)
        return self._send(person, event, self._draft(person, team))

    def _copy_of(self, draft_id: int, old_target_id: int) -> int | None:
        """The draft target an earlier kept item of the same old target went under."""
        return next(
            (
                i.draft_target_id
                for i in self.evaluations.carried(draft_id)
                if i.from_target_id == old_target_id and i.draft_target_id is not None
            ),
            None,
        )

    # --- Who may act on what, and showing it --------------------------------------------------------------------

    def _team(self, person: Person, value: str) -> Team:
        team_id = parse_row_value(value, "team")
        team = next((t for t in led_teams(person) if t.id == team_id), None)
        if team is None:
            raise DomainError("evaluation.not_found")
        return team

    def _plan(self, team: Team) -> DevelopmentPlan:
        plan = self.evaluations.plan_to_evaluate(team.id)
        if plan is None:
            raise DomainError("evaluation.no_plan", team=team.name)
        return plan

    def _plan_from_button(self, person: Person, value: str) -> tuple[Team, DevelopmentPlan]:
        """The plan a form names, if it is still the plan to evaluate of a team the person leads."""
        plan_id = parse_row_value(value, "plan")
        for team in led_teams(person):
            plan = self.evaluations.plan_to_evaluate(team.id)
            if plan is not None and plan.id == plan_id:
                return team, plan
        raise DomainError("evaluation.not_found")

    def _today(self, team: Team) -> date:
        return team_time(self.clock(), team).date()

    def _send(self, person: Person, event: ActionSubmitted | None, card: Card) -> Reply:
        """The card in place of the one pressed, or a new message."""
        replaces = event.source if event is not None else None
        return Reply((OutboundMessage(to=person.address, card=card, replaces=replaces, member_id=person.member.id),))


def _target_answers(plan: DevelopmentPlan, form: Mapping[str, str]) -> tuple[TargetEvaluation, ...]:
    """The targets answered in the form; one without an outcome is left out, and Evaluation.answer names it."""
    answers = []
    for target in plan.targets:
        outcome = form.get(f"{OUTCOME_FIELD}{target.id}", "")
        if target.id is None or outcome not in {o.value for o in Outcome}:
            continue
        helped = form.get(f"{HELPED_FIELD}{target.id}", "")
        next_step = form.get(f"{NEXT_FIELD}{target.id}", "")
        answers.append(TargetEvaluation(target.id, Outcome(outcome), helped, next_step))
    return tuple(answers)


def _strength_answers(plan: DevelopmentPlan, form: Mapping[str, str]) -> tuple[StrengthEvaluation, ...]:
    answers = []
    for strength in plan.strengths:
        kept = form.get(f"{KEPT_FIELD}{strength.id}", "")
        if strength.id is not None and kept in ("yes", "no"):
            answers.append(StrengthEvaluation(strength.id, kept == "yes"))
    return tuple(answers)


def _id(plan: DevelopmentPlan) -> int:
    assert plan.id is not None  # plans come from storage
    return plan.id
