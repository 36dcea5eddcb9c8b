"""A development plan told as plain text in a person's language: for `tyhy plan show` and card fallbacks."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from bot.formatting import format_date
from bot.i18n import translate
from bot.organisation import Team
from bot.plan import DevelopmentPlan, PlanAction


def plan_as_text(
    plan: DevelopmentPlan | None, team: Team, member_names: Mapping[int, str], language: str, today: date
) -> str:
    """The whole plan: strengths, targets with their actions, and where the follow-up clock stands."""
    if plan is None:
        return translate(language, "plan.none", team=team.name)
    lines = [translate(language, "plan.heading", team=team.name, year=plan.year), ""]
    lines.append(translate(language, "plan.strengths_heading"))
    lines += [f"  • {s.text}" for s in plan.strengths]
    lines += ["", translate(language, "plan.targets_heading")]
    for number, target in enumerate(plan.targets, start=1):
        lines.append(f"  {number}. {target.goal}")
        if target.practice:
            lines.append("     " + translate(language, "plan.practice", text=target.practice))
        if target.follow_up:
            lines.append("     " + translate(language, "plan.follow_up_method", text=target.follow_up))
        lines += ["     – " + _action(action, member_names, language) for action in target.actions]
    lines.append("")
    lines.append(_clock(plan, language, today))
    return "\n".join(lines)


def _action(action: PlanAction, member_names: Mapping[int, str], language: str) -> str:
    owner = member_names.get(action.owner_id, "") if action.owner_id is not None else ""
    return translate(
        language,
        "plan.action_line",
        text=action.text,
        owner=owner or translate(language, "plan.no_owner"),
        due=due_shown(action, language),
        status=translate(language, f"action.status.{action.status.value}"),
    )


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
