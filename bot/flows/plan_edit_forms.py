"""Reading the plan-editing forms: every field checked before anything is built, so a refusal changes nothing."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import replace
from datetime import date, datetime

from bot.card_limits import MAX_TEXT
from bot.dates import names_a_period, parse_future_when
from bot.dimensions import Dimension
from bot.errors import DomainError
from bot.formatting import format_date
from bot.plan import ActionStatus, PlanAction, Strength, Target

# The ids of the form inputs: the cards name them, the values come back under them in ActionSubmitted.form.
STRENGTH_TEXT = "strength_text"
STRENGTH_DIMENSION = "strength_dimension"
TARGET_TITLE = "target_title"
TARGET_GOAL = "target_goal"
TARGET_PRACTICE = "target_practice"
TARGET_FOLLOW_UP = "target_follow_up"
TARGET_DIMENSIONS = "target_dimensions"
ACTION_TEXT = "action_text"
ACTION_OWNER = "action_owner"
ACTION_DUE = "action_due"
ACTION_STATUS = "action_status"

MAX_TITLE = 300  # the target is a name for it ("Perehdytys"); its goal and practice say the rest
NOTHING = "-"  # the "no dimension" / "nobody yet" choice: Slack refuses an option whose value is empty

# The general date messages suggest times of day; a due date is a day, so its examples are days.
_DUE_ERRORS = {
    "when.not_understood": "planedit.due_not_understood",
    "when.in_past": "planedit.due_in_past",
    "when.too_far": "planedit.due_too_far",
}


def strength_from(form: Mapping[str, str], existing: Strength | None) -> Strength:
    """The strength the form describes; an edit keeps the strength's id."""
    text = _text(form, STRENGTH_TEXT, required=True)
    chosen = _dimensions(form, STRENGTH_DIMENSION)
    if len(chosen) > 1:
        raise DomainError("planedit.bad_choice")
    dimension = chosen[0] if chosen else None
    return Strength(text, dimension) if existing is None else replace(existing, text=text, dimension=dimension)


def target_from(form: Mapping[str, str], existing: Target | None) -> Target:
    """The target the form describes (the target itself is required, the rest may wait); an edit keeps the target's
    id and actions."""
    title = _text(form, TARGET_TITLE, limit=MAX_TITLE)
    if not title:
        raise DomainError("planedit.target_title_missing")
    goal = _text(form, TARGET_GOAL)
    practice = _text(form, TARGET_PRACTICE)
    follow_up = _text(form, TARGET_FOLLOW_UP)
    dimensions = _dimensions(form, TARGET_DIMENSIONS)
    if existing is None:
        return Target(title, dimensions, practice, follow_up, goal=goal)
    return replace(existing, title=title, goal=goal, dimensions=dimensions, practice=practice, follow_up=follow_up)


def action_from(
    form: Mapping[str, str],
    existing: PlanAction | None,
    *,
    team_member_ids: Collection[int],
    now: datetime,
    language: str,
) -> PlanAction:
    """The action the form describes: the owner must be in the team, the due date is read from words.

    `now` is aware, in the team's time zone, so "ensi perjantaina" means the team's Friday.
    """
    text = _text(form, ACTION_TEXT, required=True)
    owner_id = _owner(form, team_member_ids)
    status = _status(form, existing)
    typed = _text(form, ACTION_DUE)
    due_on = _due(typed, existing.due_on if existing else None, now=now, language=language)
    if existing is not None and existing.due_on is not None and typed == due_text(existing.due_on, language):
        words = existing.due_words  # the day untouched: so are the words it was written in
    else:
        words = typed if names_a_period(typed, language=language) else ""
    if existing is None:
        return PlanAction(text, owner_id, due_on, status, due_words=words)
    return replace(existing, text=text, owner_id=owner_id, due_on=due_on, status=status, due_words=words)


def due_text(due_on: date | None, language: str) -> str:
    """How a saved due date is put back in the form, so an untouched field keeps the date as it was."""
    return format_date(due_on, language) if due_on is not None else ""


def _text(form: Mapping[str, str], field: str, *, required: bool = False, limit: int = MAX_TEXT) -> str:
    text = form.get(field, "").strip()
    if len(text) > limit:  # the inputs allow no more, but a forged or odd client payload may
        raise DomainError("planedit.too_long", max=limit)
    if required and not text:
        raise DomainError("plan.empty_text")
    return text


def _dimensions(form: Mapping[str, str], field: str) -> tuple[Dimension, ...]:
    """The picked dimensions; several arrive as one comma-separated string (bot.messages.Select)."""
    codes = [code.strip() for code in form.get(field, "").split(",") if code.strip() and code.strip() != NOTHING]
    known = {d.value: d for d in Dimension}
    if any(code not in known for code in codes):
        raise DomainError("planedit.bad_choice")
    return tuple(dict.fromkeys(known[code] for code in codes))  # in picking order, each once


def _owner(form: Mapping[str, str], team_member_ids: Collection[int]) -> int | None:
    value = form.get(ACTION_OWNER, "").strip()
    if value in ("", NOTHING):
        return None
    # Only someone in the team can answer for its action; any other id is a stale or forged choice.
    if not (value.isascii() and value.isdigit()) or int(value) not in team_member_ids:
        raise DomainError("planedit.bad_choice")
    return int(value)


def _status(form: Mapping[str, str], existing: PlanAction | None) -> ActionStatus:
    value = form.get(ACTION_STATUS, "").strip()
    if not value:
        return existing.status if existing is not None else ActionStatus.PLANNED
    if value not in {s.value for s in ActionStatus}:
        raise DomainError("planedit.bad_choice")
    return ActionStatus(value)


def _due(text: str, current: date | None, *, now: datetime, language: str) -> date | None:
    if not text:
        return None
    if current is not None and text == due_text(current, language):
        return current  # unchanged: an old due date stays even though it has passed
    try:
        return parse_future_when(text, now=now, language=language).date()
    except DomainError as error:
        key = _DUE_ERRORS.get(error.key)
        if key is None:
            raise
        raise DomainError(key, **error.params) from None
