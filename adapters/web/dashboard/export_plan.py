"""The workbook's plan tables of a team: actions with owners, dates and statuses, the evaluation, and successes.

Words the team wrote together (the plan, the evaluation's answers, the successes shared in the channel) go out as
they are; nothing here comes from a pulse answer or a pulse comment, which the export never reads.
"""

from __future__ import annotations

from adapters.web.dashboard.evaluation_data import EvaluationView, TeamEvaluation
from adapters.web.dashboard.export_cells import Cell, Table
from adapters.web.dashboard.models import TeamView
from adapters.web.dashboard.page_evaluation import state_text
from bot.i18n import translate


def _headers(language: str, *keys: str) -> list[str]:
    return [translate(language, f"evaluation.column.{key}") for key in keys]


def plan_tables(view: TeamView) -> list[Table]:
    """The year-end evaluation and the year's successes, each table only when it has rows (the plan's actions are
    export.py's actions table)."""
    language = view.language
    tables: list[Table] = []
    if view.evaluation is not None:
        tables += evaluation_tables(view.evaluation, language)
    if view.successes:
        success_rows: list[list[Cell]] = [[s.on, s.text, s.tied_to] for s in view.successes]
        tables.append((_headers(language, "date", "success", "linked"), success_rows))
    return tables


def evaluation_tables(view: EvaluationView, language: str) -> list[Table]:
    """The evaluation's state, then its answers per target and strength, then what was carried into the draft."""
    tables: list[Table] = [
        (
            _headers(language, "year", "state", "evaluated_on"),
            [[view.year, state_text(view, language), view.evaluated_on]],
        )
    ]
    if view.targets:
        rows: list[list[Cell]] = [[f"{t.number}. {t.title}", t.outcome, t.helped, t.next_step] for t in view.targets]
        tables.append((_headers(language, "target", "outcome", "helped", "next_step"), rows))
    if view.strengths:
        tables.append((_headers(language, "strength", "kept"), [[s.text, s.kept] for s in view.strengths]))
    if view.carried:
        rows = [[c.text, c.kind, c.decision] for c in view.carried]
        tables.append((_headers(language, "item", "kind", "decision"), rows))
    return tables


def evaluations_table(rows: tuple[TeamEvaluation, ...], language: str) -> Table:
    """Every team's evaluation state on one sheet, the missing ones first."""
    return (
        _headers(language, "team", "year", "state", "evaluated_on"),
        [[row.name, row.view.year, state_text(row.view, language), row.view.evaluated_on] for row in rows],
    )
