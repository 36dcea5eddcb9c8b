"""A team's dashboard page: follow-ups against the 3-month limit, plan, pulse trend, survey, responses, successes."""

from __future__ import annotations

from collections.abc import Sequence

from adapters.web.dashboard.charts_bars import bar_chart
from adapters.web.dashboard.charts_trend import trend_chart
from adapters.web.dashboard.models import ActionRow, FollowUps, PlanView, TargetRow, TeamView
from adapters.web.dashboard.page_comments import comments_section
from adapters.web.dashboard.page_evaluation import evaluation_section
from adapters.web.dashboard.page_organisation import no_data, protected_note, rate_cell
from adapters.web.dashboard.page_survey import team_survey_section
from adapters.web.page_layout import esc, scroll_box, scroll_figure
from bot.formatting import format_date
from bot.i18n import translate
from bot.plan import ActionStatus


def team_body(view: TeamView) -> str:
    """Every section of the team page, headed so a screen reader can jump between them."""
    language = view.language
    parts = []
    if view.parent_name:
        parts.append(f"<p>{esc(translate(language, 'web.team.parent', parent=view.parent_name))}</p>")
    parts.append(f'<p class="no-print"><a href="/dashboard">{esc(translate(language, "web.team.back"))}</a></p>')
    parts.append(f'<p class="note no-print">{esc(translate(language, "print.hint"))}</p>')
    # Printed, the page is the plan to take into the meeting: the figures below it stay on the screen.
    parts.append(printable_plan(view))
    screen_only = [f'<p class="note">{esc(translate(language, "web.threshold_note", threshold=view.threshold))}</p>']
    protected = any(p.protected for s in view.trend for p in s.points) or any(r.protected for r in view.response_rates)
    if protected:  # enough answered, yet hidden: the threshold note above would tell the wrong reason
        screen_only.append(protected_note(language))
    trend = translate(language, "web.team.trend")
    screen_only.append(f"<h2>{esc(trend)}</h2>")
    screen_only.append(scroll_figure(trend_chart(view.trend, view.risk_limits, language), trend))
    screen_only.append(team_survey_section(view.survey, language))  # the year's survey beside the pulse trend
    screen_only.append(_response_rates(view))
    screen_only.append(comments_section(view.comments, language, view.answer_form))  # with the results they came with
    screen_only.append(_successes(view))
    parts.append(f'<div class="no-print">{"".join(screen_only)}</div>')
    return "".join(parts)


def printable_plan(view: TeamView) -> str:
    """What a printed page holds: follow-ups, the plan with owners, dates and successes, and the evaluation."""
    language = view.language
    return (
        _follow_ups(view.follow_ups, language)
        + _plan(view.plan, language)
        + evaluation_section(view.evaluation, language)
    )


def printable_plans(views: Sequence[TeamView], language: str) -> str:
    """Every team's printable plan, each on a sheet of its own when printed."""
    lead = f'<p class="note no-print">{esc(translate(language, "print.intro"))}</p>'
    sheets = "".join(
        f'<section class="print-sheet"><h2 class="team-name">{esc(view.name)}</h2>{printable_plan(view)}</section>'
        for view in views
    )
    return lead + sheets


def _follow_ups(follow_ups: FollowUps, language: str) -> str:
    lines = [f"<h2>{esc(translate(language, 'web.team.follow_ups'))}</h2>"]
    if follow_ups.last is None:
        lines.append(f"<p>{esc(translate(language, 'web.team.no_follow_up'))}</p>")
    else:
        last = translate(language, "web.team.last_follow_up", date=format_date(follow_ups.last, language))
        lines.append(f"<p>{esc(last)}</p>")
    if follow_ups.due is None or follow_ups.days_left is None:
        lines.append(f"<p>{esc(translate(language, 'web.team.no_due'))}</p>")
    elif follow_ups.overdue:
        text = translate(
            language, "web.team.overdue", date=format_date(follow_ups.due, language), days=-follow_ups.days_left
        )
        lines.append(f'<p class="problem overdue"><strong>{esc(text)}</strong></p>')
    else:
        due = format_date(follow_ups.due, language)
        text = translate(language, "web.team.due", date=due, days=follow_ups.days_left)
        lines.append(f'<p class="notice">{esc(text)}</p>')
    lines.append(_history(follow_ups, language))
    return "".join(lines)


def _history(follow_ups: FollowUps, language: str) -> str:
    """The plan's history: every follow-up held, with what was decided when it was noted."""
    if not follow_ups.held:
        return ""
    items = []
    for day in follow_ups.held:
        notes = follow_ups.notes_of(day)
        when = f"<time datetime='{day.isoformat()}'>{esc(format_date(day, language))}</time>"
        said = "".join(f"<br>{esc(note)}" for note in notes) if notes else ""
        empty = f" <span class='note'>{esc(translate(language, 'web.team.no_note'))}</span>" if not notes else ""
        items.append(f"<li>{when}{empty}{said}</li>")
    heading = f"<h3>{esc(translate(language, 'web.team.history'))}</h3>"
    return f"{heading}<ul class='history'>{''.join(items)}</ul>"


def _plan(plan: PlanView | None, language: str) -> str:
    if plan is None:
        heading = translate(language, "web.team.plan_none_heading")
        return f"<h2>{esc(heading)}</h2><p>{esc(translate(language, 'web.team.no_plan'))}</p>"
    lines = [f"<h2>{esc(translate(language, 'web.team.plan', year=plan.year))}</h2>"]
    if plan.agree_by is not None:
        draft = translate(language, "dashboard.plan.draft_agree_by", date=format_date(plan.agree_by, language))
        lines.append(f"<p>{esc(draft)}</p>")
    elif plan.agreed_on is None:
        lines.append(f'<p class="warn">{esc(translate(language, "dashboard.risk.not_agreed"))}</p>')
    else:
        agreed = translate(language, "web.team.agreed", date=format_date(plan.agreed_on, language))
        lines.append(f"<p>{esc(agreed)}</p>")
    counts = plan.action_counts
    summary = translate(
        language,
        "web.team.actions_summary",
        done=counts[ActionStatus.DONE],
        in_progress=counts[ActionStatus.IN_PROGRESS],
        stuck=counts[ActionStatus.STUCK],
        planned=counts[ActionStatus.PLANNED],
    )
    lines.append(f"<p>{esc(summary)}</p>")
    late = sum(a.late for t in plan.targets for a in t.actions)
    if late:
        lines.append(
            f'<p class="problem"><strong>{esc(translate(language, "web.team.late_actions", count=late))}</strong></p>'
        )
    if plan.strengths:
        items = "".join(f"<li>{esc(s)}</li>" for s in plan.strengths)
        lines.append(f"<h3>{esc(translate(language, 'web.team.strengths'))}</h3><ul>{items}</ul>")
    lines.extend(_target(target, language) for target in plan.targets)
    return "".join(lines)


def _target(target: TargetRow, language: str) -> str:
    heading = translate(language, "web.team.target", number=target.number, goal=target.title)
    details = [
        translate(language, "plan.goal", text=target.goal) if target.goal else translate(language, "web.team.no_goal"),
        translate(language, "web.team.dimensions", names=", ".join(target.dimensions)) if target.dimensions else "",
        translate(language, "web.team.practice", text=target.practice) if target.practice else "",
        translate(language, "web.team.follow_up_how", text=target.follow_up) if target.follow_up else "",
        translate(language, "web.team.successes_tied", count=target.successes),
    ]
    lines = [f"<h3>{esc(heading)}</h3>", "<ul>", *(f"<li>{esc(d)}</li>" for d in details if d), "</ul>"]
    if target.actions:
        columns = ("action", "owner", "due", "status")
        head = "".join(f"<th scope='col'>{esc(translate(language, f'web.column.{c}'))}</th>" for c in columns)
        rows = "".join(
            f'<tr><th scope="row">{esc(a.text)}</th><td>{esc(a.owner) if a.owner else no_data(language)}</td>'
            f"<td>{esc(_due(a, language)) if a.due_on else no_data(language)}</td>"
            f"<td{' class=warn' if a.status is ActionStatus.STUCK or a.late else ''}>{esc(a.status_label)}"
            f"{_late(a, language)}</td></tr>"
            for a in target.actions
        )
        caption = translate(language, "web.team.actions")
        table = f"<table><caption>{esc(caption)}</caption><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
        lines.append(scroll_box(table, f"{caption}: {heading}"))
    if target.success_texts:
        heading = translate(language, "print.successes", count=target.successes)
        items = "".join(f"<li>{esc(text)}</li>" for text in target.success_texts)
        lines.append(f'<p class="successes-heading">{esc(heading)}</p><ul class="successes">{items}</ul>')
    return "".join(lines)


def _late(action: ActionRow, language: str) -> str:
    """The flag of an action past its day and not done."""
    if not action.late:
        return ""
    return f' <strong class="problem late">{esc(translate(language, "web.team.action_late"))}</strong>'


def _response_rates(view: TeamView) -> str:
    language = view.language
    title = translate(language, "web.team.response_rate")
    heading = f"<h2>{esc(title)}</h2>"
    if not view.response_rates:
        return heading + f"<p>{esc(translate(language, 'web.team.rates_empty'))}</p>"
    labels = [format_date(cell.closes_on, language) if cell.closes_on else "" for cell in view.response_rates]
    values = [cell.value for cell in view.response_rates]
    title_words = translate(language, "web.team.response_chart")
    hidden_to_protect = [cell.protected for cell in view.response_rates]
    chart = bar_chart(values, labels, language, title=title_words, percent=True, protected=hidden_to_protect)
    head = "".join(
        f"<th scope='col'>{esc(translate(language, f'dashboard.column.{c}'))}</th>"
        for c in ("round", "invited", "response_rate")
    )
    rows = "".join(
        f'<tr><th scope="row">{esc(label)}</th><td class="num">{cell.invited if cell.invited is not None else ""}</td>'
        f'<td class="num">{rate_cell(cell, language)}</td></tr>'
        for label, cell in zip(labels, view.response_rates, strict=True)
    )
    table = scroll_box(f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>", title)
    return f"{heading}{scroll_figure(chart, title)}{table}"


def _successes(view: TeamView) -> str:
    language = view.language
    title = translate(language, "web.team.successes")
    months = view.successes_by_month
    chart = bar_chart([float(m.count) for m in months], [m.label for m in months], language, title=title)
    total = translate(language, "web.team.successes_total", count=sum(m.count for m in months))
    return f"<h2>{esc(title)}</h2>{scroll_figure(f'{chart}<figcaption>{esc(total)}</figcaption>', title)}"


def _due(action: ActionRow, language: str) -> str:
    """The day, with the planner's words beside it when they were kept ("31.5.2027 (kevään aikana)")."""
    day = format_date(action.due_on, language) if action.due_on else ""
    return f"{day} ({action.due_words})" if action.due_words else day
