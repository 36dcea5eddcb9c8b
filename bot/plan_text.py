"""A development plan told as plain text in a person's language: for `tyhy plan show` and card fallbacks."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from bot.dimensions import Dimension
from bot.formatting import format_date
from bot.i18n import translate
from bot.organisation import Team
from bot.plan import DevelopmentPlan, PlanAction, Strength
from bot.questions import dimension_name


def plan_as_text(
    plan: DevelopmentPlan | None, team: Team, member_names: Mapping[int, str], language: str, today: date
) -> str:
    """The whole plan: strengths, targets with the model's columns and their actions, the follow-up clock, and the
    follow-ups held with what was decided."""
    if plan is None:
        return translate(language, "plan.none", team=team.name)
    lines = [translate(language, "plan.heading", team=team.name, year=plan.year), ""]
    lines.append(translate(language, "plan.strengths_heading"))
    lines += [f"  • {strength_line(s, language)}" for s in plan.strengths]
    lines += ["", translate(language, "plan.targets_heading")]
    for number, target in enumerate(plan.targets, start=1):
        lines.append(f"  {number}. {target.named(language)}")
        details = [
            translate(language, "plan.goal", text=target.goal) if target.goal else "",
            translate(language, "plan.practice", text=target.practice) if target.practice else "",
            translate(language, "plan.follow_up_method", text=target.follow_up) if target.follow_up else "",
            translate(language, "plan.dimensions", names=dimension_names(target.dimensions, language))
            if target.dimensions
            else "",
        ]
        lines += ["     " + detail for detail in details if detail]
        lines += ["     – " + action_line(action, member_names, language, today) for action in target.actions]
    lines.append("")
    lines.append(_clock(plan, language, today))
    lines += ["", *follow_up_history(plan, language)]
    return "\n".join(lines)


def follow_up_history(plan: DevelopmentPlan, language: str) -> list[str]:
    """The follow-ups held, oldest first, each with what was decided."""
    if not plan.follow_ups:
        return [translate(language, "plan.history_none")]
    lines = [translate(language, "plan.history_heading")]
    for held in plan.follow_ups:
        day = format_date(held.held_on, language)
        lines.append(f"  • {day}: {held.note}" if held.note else f"  • {day}")
    return lines


def dimension_names(dimensions: Iterable[Dimension], language: str) -> str:
    """The dimensions' names in the reader's language, as a list."""
    return ", ".join(dimension_name(d, language) for d in dimensions)


def strength_line(strength: Strength, language: str) -> str:
    """The strength with its dimension; one chosen as the dimension itself is not named twice."""
    named = strength.named(language)
    if strength.dimension is None or named == dimension_name(strength.dimension, language):
        return named
    return f"{named} ({dimension_name(strength.dimension, language)})"


def action_line(action: PlanAction, member_names: Mapping[int, str], language: str, today: date | None = None) -> str:
    """An action with who is responsible, its schedule and status; flagged when its day has passed undone."""
    owner = member_names.get(action.owner_id, "") if action.owner_id is not None else ""
    line = translate(
        language,
        "plan.action_line",
        text=action.text,
        owner=owner or translate(language, "plan.no_owner"),
        due=due_shown(action, language),
        status=translate(language, f"action.status.{action.status.value}"),
    )
    if today is not None and action.is_late(today):
        line += " · " + translate(language, "plan.action_late")
    return line


def due_shown(action: PlanAction, language: str) -> str:
    """An action's schedule: the day, with the planner's words beside it when they were kept ("31.5.2027 (kevään
    aikana)"), or that it has none yet."""
    if action.due_on is None:
        return translate(language, "plan.no_due")
    day = format_date(action.due_on, language)
    return f"{day} ({action.due_words})" if action.due_words else day


def _clock(plan: DevelopmentPlan, language: str, today: date) -> str:
    due = plan.next_follow_up_due
    if plan.agreed_on is None or due is None:
        return translate(language, "plan.not_yet_agreed")
    agreed = translate(language, "plan.agreed_on", date=format_date(plan.agreed_on, language))
    if plan.is_follow_up_overdue(today):
        return agreed + " " + translate(language, "plan.follow_up_overdue", date=format_date(due, language))
    return agreed + " " + translate(language, "plan.next_follow_up", date=format_date(due, language))
