"""The follow-up cards: the team's plan in one card, the confirmation once discussed, and the escalation."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from bot.card_limits import MAX_HEADING, shorten
from bot.comments import ANSWER_LIMIT, unshown_text
from bot.dimensions import risk_limit
from bot.flows.followup_model import (
    ANSWER,
    ANSWER_FIELD,
    DISCUSSED,
    NOTE_FIELD,
    OPEN,
    REMIND,
    STATUS,
    TAPPABLE,
    WHEN_FIELD,
    action_value,
    answer_value,
)
from bot.flows.followup_trend import DimensionTrend
from bot.flows.followup_view import FollowUpView, TargetView
from bot.flows.needs_cards import OPEN as NEEDS_OPEN
from bot.flows.needs_cards import about_value
from bot.flows.row_values import row_value
from bot.formatting import format_date, format_percent
from bot.i18n import translate
from bot.messages import Block, Button, Buttons, Card, Choice, Heading, Question, Text, TextInput
from bot.org_needs import NeedSource
from bot.organisation import Team, team_time
from bot.plan import MAX_FOLLOW_UP_NOTE, PlanAction
from bot.plan_text import action_line
from bot.questions import dimension_name

MAX_ACTIONS_SHOWN = 4  # per target: three targets of four actions stay well under Slack's 50 blocks
MAX_SUCCESSES_SHOWN = 3
GOAL_LIMIT = 300
ACTION_LIMIT = 300
SUCCESS_LIMIT = 160
MAX_COMMENTS_SHOWN = 8  # the rest are on the team's page in the dashboard
COMMENT_LIMIT = 300


def days_text(days: int, language: str) -> str:
    """How long, as in "1 päivän" or "34 päivää" late: the catalogs have no plural forms, so two messages."""
    if days == 1:
        return translate(language, "followup.days_one", count=days)
    return translate(language, "followup.days_other", count=days)


def follow_up_card(
    view: FollowUpView, language: str, *, reminded: bool = False, typed: str = "", answer_typed: str = ""
) -> Card:
    """The team's plan for the follow-up meeting; `typed` keeps a half-written reminder time over a redraw, and
    `answer_typed` a half-written answer to the team's comments."""
    team = view.team
    overdue = view.days_overdue > 0
    if overdue:
        heading = translate(language, "followup.heading_overdue", team=team.name)
    else:
        heading = translate(language, "followup.heading", team=team.name)
    blocks: list[Block] = [Heading(shorten(heading, MAX_HEADING)), Text(_clock(view, language))]
    if reminded:
        blocks.append(Text(translate(language, "followup.reminded_note")))
    for target in view.targets:
        blocks += _target_blocks(view, target, language)
    blocks += _comment_blocks(view, language, answer_typed)
    blocks.append(Text(_successes(view, language)))
    # Sent with "discussed": what the meeting decided goes into the plan's history with the day.
    blocks.append(
        TextInput(
            NOTE_FIELD,
            translate(language, "followup.note_label"),
            placeholder=translate(language, "followup.note_placeholder"),
            multiline=True,
            max_length=MAX_FOLLOW_UP_NOTE,
        )
    )
    discussed = Button(DISCUSSED, translate(language, "followup.discussed"), _plan_ref(view), "primary")
    # What came up that the team cannot change itself goes to the organisation's list (bot/flows/needs.py).
    need = Button(NEEDS_OPEN, translate(language, "needs.button"), f"{team.id}:{about_value(NeedSource.FOLLOW_UP)}")
    blocks.append(Buttons((discussed, need)))
    blocks.append(
        TextInput(
            WHEN_FIELD,
            translate(language, "followup.when_label"),
            placeholder=translate(language, "followup.when_placeholder"),
            max_length=100,
            initial=shorten(typed, 100),
        )
    )
    blocks.append(Buttons((Button(REMIND, translate(language, "followup.remind"), _plan_ref(view)),)))
    return Card(kind="followup", fallback_text=_fallback(view, language), blocks=tuple(blocks))


def recorded_card(team: Team, held_on: date, next_due: date | None, language: str, note: str = "") -> Card:
    """What takes the card's place once the plan was discussed in the team meeting, with what was decided."""
    heading = translate(language, "followup.recorded_heading", team=team.name)
    text = translate(
        language,
        "followup.recorded_text",
        date=format_date(held_on, language),
        due=format_date(next_due, language) if next_due is not None else "–",
    )
    blocks: list[Block] = [Heading(shorten(heading, MAX_HEADING)), Text(text)]
    if note:
        blocks.append(Text(translate(language, "followup.recorded_note", note=note)))
    return Card(kind="followup_recorded", fallback_text=text, blocks=tuple(blocks))


def escalation_card(team: Team, due: date, days: int, supervisors: list[str], language: str) -> Card:
    """The wellbeing officer's note that a team's follow-up has gone past its 3-month limit."""
    heading = translate(language, "followup.escalation_heading", team=team.name)
    names = ", ".join(supervisors) if supervisors else translate(language, "followup.escalation_no_supervisor")
    text = translate(
        language,
        "followup.escalation_text",
        team=team.name,
        date=format_date(due, language),
        days=days_text(days, language),
        supervisors=names,
    )
    button = Button(OPEN, translate(language, "followup.escalation_open"), row_value("team", team.id))
    return Card(
        kind="followup_escalation",
        fallback_text=shorten(heading, 300),
        blocks=(Heading(shorten(heading, MAX_HEADING)), Text(text), Buttons((button,))),
    )


def _plan_ref(view: FollowUpView) -> str:
    return row_value("plan", view.plan.id)


def _fallback(view: FollowUpView, language: str) -> str:
    due = format_date(view.due, language) if view.due is not None else "–"
    if view.days_overdue:
        return translate(language, "followup.fallback_overdue", team=view.team.name, date=due)
    return translate(language, "followup.fallback", team=view.team.name, date=due)


def _clock(view: FollowUpView, language: str) -> str:
    """Where the 3-month clock stands; an overdue follow-up stands out."""
    due = format_date(view.due, language) if view.due is not None else "–"
    if view.days_overdue:
        line = translate(language, "followup.overdue", date=due, days=days_text(view.days_overdue, language))
    else:
        line = translate(language, "followup.due", date=due)
    plan = view.plan
    if plan.last_follow_up_on is not None:
        line += " " + translate(language, "followup.last", date=format_date(plan.last_follow_up_on, language))
    elif plan.agreed_on is not None:
        line += " " + translate(language, "followup.agreed", date=format_date(plan.agreed_on, language))
    return line


def _target_blocks(view: FollowUpView, target: TargetView, language: str) -> list[Block]:
    lines = [f"*{target.number}. {shorten(target.target.named(language), GOAL_LIMIT)}*"]
    if target.target.goal:
        lines.append(translate(language, "plan.goal", text=shorten(target.target.goal, GOAL_LIMIT)))
    lines += [_trend(trend, view.threshold, language) for trend in target.trends]
    since = format_date(view.since, language) if view.since is not None else "–"
    lines.append(translate(language, "followup.target_successes", date=since, count=target.successes))
    blocks: list[Block] = [Text("\n".join(lines))]
    actions = target.target.actions
    blocks += [_action_question(action, view, language) for action in actions[:MAX_ACTIONS_SHOWN]]
    if len(actions) > MAX_ACTIONS_SHOWN:
        blocks.append(Text(translate(language, "followup.more_actions", count=len(actions) - MAX_ACTIONS_SHOWN)))
    if not actions:
        blocks.append(Text(translate(language, "followup.no_actions")))
    return blocks


def _trend(trend: DimensionTrend, threshold: int, language: str) -> str:
    name = dimension_name(trend.dimension, language)
    if trend.closes_on is None:
        return translate(language, "followup.trend_none", dimension=name)
    round_date = format_date(trend.closes_on, language)
    if trend.index is None and trend.protected:  # enough answered: hidden only so that no smaller group is exposed
        return translate(language, "followup.trend_protected", dimension=name, date=round_date)
    if trend.index is None:
        return translate(language, "followup.trend_hidden", dimension=name, date=round_date, threshold=threshold)
    index = format_percent(trend.index, language)
    limit = risk_limit(trend.dimension)
    if limit is not None and trend.index < limit:
        index = translate(language, "followup.below_risk_limit", index=index, limit=format_percent(limit, language))
    if trend.change is None:
        return translate(language, "followup.trend_first", dimension=name, index=index, date=round_date)
    return translate(
        language, "followup.trend", dimension=name, index=index, change=_change(trend.change), date=round_date
    )


def _change(change: float) -> str:
    """The change in percentage points with an arrow: ↑ +5, ↓ −3, → ±0."""
    points = round(change)
    if points > 0:
        return f"↑ +{points}"
    if points < 0:
        return f"↓ −{-points}"
    return "→ ±0"


def _action_question(action: PlanAction, view: FollowUpView, language: str) -> Question:
    # Past its day and not done: flagged, so the meeting sees it before anyone has to ask.
    prompt = action_line(replace(action, text=shorten(action.text, ACTION_LIMIT)), view.names, language, view.today)
    choices = tuple(
        Choice(translate(language, f"followup.status.{status.value}"), action_value(action.id, status))
        for status in TAPPABLE
    )
    selected = action_value(action.id, action.status) if action.status in TAPPABLE else None
    return Question(f"action-{action.id}", prompt, STATUS, choices, selected)


def _successes(view: FollowUpView, language: str) -> str:
    since = format_date(view.since, language) if view.since is not None else "–"
    if not view.successes:
        return translate(language, "followup.successes_none", date=since)
    lines = [translate(language, "followup.successes_heading", date=since, count=len(view.successes))]
    lines += [f"• {shorten(s.text, SUCCESS_LIMIT)}" for s in view.successes[:MAX_SUCCESSES_SHOWN]]
    if len(view.successes) > MAX_SUCCESSES_SHOWN:
        lines.append(translate(language, "followup.more_successes", count=len(view.successes) - MAX_SUCCESSES_SHOWN))
    return "\n".join(lines)


def _comment_blocks(view: FollowUpView, language: str, typed: str) -> list[Block]:
    """What the team said in the newest closed round, in a fresh random order, and the supervisor's one answer."""
    comments = view.comments
    if comments is None:
        return []
    lines = [translate(language, "comments.card_heading", date=format_date(comments.closes_on, language))]
    if not comments.shown:
        return [Text("\n".join([*lines, unshown_text(comments, language)]))]
    lines += [f"• {shorten(text, COMMENT_LIMIT)}" for text in comments.shown[:MAX_COMMENTS_SHOWN]]
    if len(comments.shown) > MAX_COMMENTS_SHOWN:
        lines.append(translate(language, "comments.card_more", count=len(comments.shown) - MAX_COMMENTS_SHOWN))
    blocks: list[Block] = [Text("\n".join(lines))]
    answer = view.comment_answer
    if answer is not None:
        answered_on = team_time(answer.answered_at, view.team).date()  # the day on the team's clock, not UTC's
        said = translate(language, "comments.answered", date=format_date(answered_on, language))
        blocks.append(Text(f"*{said}*\n{shorten(answer.text, ANSWER_LIMIT)}"))
        return blocks
    blocks.append(
        TextInput(
            ANSWER_FIELD,
            translate(language, "comments.answer_label"),
            placeholder=translate(language, "comments.answer_hint"),
            multiline=True,
            max_length=ANSWER_LIMIT,
            initial=shorten(typed, ANSWER_LIMIT),
        )
    )
    value = answer_value(view.plan.id, comments.round_id)
    blocks.append(Buttons((Button(ANSWER, translate(language, "comments.answer_send"), value),)))
    return blocks
