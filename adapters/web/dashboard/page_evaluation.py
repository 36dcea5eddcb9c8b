"""The evaluation on the dashboard: a team's answers and carried items, and the organisation's list of evaluations."""

from __future__ import annotations

from adapters.web.dashboard.evaluation_data import EvaluationState, EvaluationView, TeamEvaluation
from adapters.web.page_layout import esc, scroll_box
from bot.formatting import format_date
from bot.i18n import translate


def evaluation_section(view: EvaluationView | None, language: str) -> str:
    """The team page's section: the state, then per target and strength the answers, then the carried items."""
    if view is None:
        return ""
    heading = f'<h2 id="evaluation">{esc(translate(language, "web.evaluation.heading", year=view.year))}</h2>'
    parts = [heading, f"<p{_state_class(view)}>{esc(state_text(view, language))}</p>"]
    if view.targets:
        columns = ("target", "outcome", "helped", "next_step")
        rows = "".join(
            f'<tr><th scope="row">{t.number}. {esc(t.title)}</th><td>{esc(t.outcome)}</td>'
            f"<td>{esc(t.helped)}</td><td>{esc(t.next_step)}</td></tr>"
            for t in view.targets
        )
        parts.append(_table(columns, rows, language))
    if view.strengths:
        rows = "".join(f'<tr><th scope="row">{esc(s.text)}</th><td>{esc(s.kept)}</td></tr>' for s in view.strengths)
        parts.append(_table(("strength", "kept"), rows, language))
    if view.draft_year is not None and view.carried:
        title = translate(language, "web.evaluation.carried_heading", year=view.draft_year)
        rows = "".join(
            f'<tr><th scope="row">{esc(c.text)}</th><td>{esc(c.kind)}</td><td>{esc(c.decision)}</td></tr>'
            for c in view.carried
        )
        parts.append(f"<h3>{esc(title)}</h3>" + _table(("item", "kind", "decision"), rows, language))
    return f'<section class="evaluation">{"".join(parts)}</section>'


def evaluations_section(rows: tuple[TeamEvaluation, ...], language: str) -> str:
    """The organisation page's list: every team with an agreed plan, the missing evaluations first and marked."""
    heading = f'<h2 id="evaluations">{esc(translate(language, "web.evaluations.heading"))}</h2>'
    if not rows:
        return heading + f"<p>{esc(translate(language, 'web.evaluations.empty'))}</p>"
    waiting = sum(1 for row in rows if row.view.waiting)
    lead = ""
    if waiting:
        count = translate(language, "web.evaluations.waiting_count", count=waiting)
        lead = f'<p class="problem">{esc(count)}</p>'
    body = "".join(
        f'<tr><th scope="row">{esc(row.name)}</th>'
        f"<td>{row.view.year}</td>"
        f"<td{' class=overdue' if row.view.waiting else ''}>{esc(state_text(row.view, language))}</td></tr>"
        for row in rows
    )
    return heading + lead + _table(("team", "year", "state"), body, language)


def state_text(view: EvaluationView, language: str) -> str:
    """Where the evaluation stands, in words (never only a colour)."""
    if view.state is EvaluationState.DONE and view.evaluated_on is not None:
        return translate(language, "web.evaluation.done", date=format_date(view.evaluated_on, language))
    if view.state is EvaluationState.NOT_SCHEDULED or view.due_on is None:
        return translate(language, "web.evaluation.not_scheduled")
    key = "web.evaluation.waiting" if view.waiting else "web.evaluation.not_due"
    return translate(language, key, date=format_date(view.due_on, language))


def _state_class(view: EvaluationView) -> str:
    return ' class="problem"' if view.waiting else ""


def _table(columns: tuple[str, ...], rows: str, language: str) -> str:
    names = [translate(language, f"evaluation.column.{c}") for c in columns]
    head = "".join(f"<th scope='col'>{esc(name)}</th>" for name in names)
    # Named by its columns: a keyboard user scrolling it sideways on a phone hears what the table holds.
    return scroll_box(f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>", ", ".join(names))
