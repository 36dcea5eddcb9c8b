"""The Excel export's views read in one pass: organisation, every visible team, calendar, evaluations, undeliverable."""

from __future__ import annotations

from datetime import datetime

from adapters.web.dashboard.data import calendar_view_of, organisation_view_of, team_view_of, undeliverable_view
from adapters.web.dashboard.evaluation_data import EvaluationsView
from adapters.web.dashboard.evaluation_snapshot import organisation_evaluations_of
from adapters.web.dashboard.export import View
from adapters.web.dashboard.snapshot import load
from storage.db import Database


def workbook_views(
    db: Database, now: datetime, language: str, team_ids: set[int] | None, *, officer: bool
) -> list[View]:
    """The sheets' views in order, from one snapshot: the database is read once, not once per team."""
    snapshot = load(db, now)
    organisation = organisation_view_of(snapshot, now, language, team_ids)
    views: list[View] = [organisation]
    if snapshot is not None:
        views += [team_view_of(snapshot, row.team_id, now, language, team_ids) for row in organisation.rows]
    views.append(calendar_view_of(db, snapshot, now, language, team_ids))
    views.append(EvaluationsView(language, organisation_evaluations_of(snapshot, now, language, team_ids)))
    if officer:
        views.append(undeliverable_view(db, now, language, snapshot=snapshot))
    return views
