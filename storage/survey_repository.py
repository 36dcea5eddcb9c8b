"""The annual survey's results: saved per organisation and year (a second import replaces the year), read back whole."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError

from bot.anonymity import UnitNode
from bot.dimensions import Dimension
from bot.errors import DomainError
from bot.survey import SurveyFigures, SurveyResults
from storage.db import Database
from storage.models import OrganisationRow, TeamRow
from storage.survey_models import SurveyGroupRow, SurveyImportRow, SurveyImportUnitRow


class SurveyRepository:
    """Reads and replaces the survey results of an organisation's years."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def imported_at(self, org_id: int, year: int) -> datetime | None:
        """When the year's results were imported, or None when there are none."""
        with self.db.transaction() as session:
            return session.scalars(
                select(SurveyImportRow.imported_at).where(
                    SurveyImportRow.org_id == org_id, SurveyImportRow.year == year
                )
            ).first()

    def years(self, org_id: int) -> list[int]:
        """The years with results, oldest first."""
        with self.db.transaction() as session:
            query = select(SurveyImportRow.year).where(SurveyImportRow.org_id == org_id).order_by(SurveyImportRow.year)
            return list(session.scalars(query))

    def save(self, org_id: int, results: SurveyResults, now: datetime, *, replace: bool) -> None:
        """Store the year's results in one transaction; a stored year is replaced only when `replace` says so."""
        try:
            with self.db.transaction() as session:
                old = session.scalars(
                    select(SurveyImportRow).where(
                        SurveyImportRow.org_id == org_id, SurveyImportRow.year == results.year
                    )
                ).first()
                if old is not None:
                    if not replace:
                        raise DomainError("survey.exists", year=results.year)
                    session.execute(delete(SurveyGroupRow).where(SurveyGroupRow.import_id == old.id))
                    session.execute(delete(SurveyImportUnitRow).where(SurveyImportUnitRow.import_id == old.id))
                    session.delete(old)
                    session.flush()
                # The organisation's threshold and unit tree are frozen with the year, in the same transaction.
                threshold = session.execute(
                    select(OrganisationRow.anonymity_threshold).where(OrganisationRow.id == org_id)
                ).scalar_one()
                imported = SurveyImportRow(
                    org_id=org_id, year=results.year, imported_at=now, anonymity_threshold=threshold
                )
                session.add(imported)
                session.flush()
                tree = session.execute(select(TeamRow.id, TeamRow.parent_id).where(TeamRow.org_id == org_id)).all()
                if tree:
                    session.execute(
                        insert(SurveyImportUnitRow),
                        [{"import_id": imported.id, "unit_id": u, "parent_id": p} for u, p in tree],
                    )
                session.add(_row(imported.id, None, results.organisation))
                for team_id, figures in results.units.items():
                    session.add(_row(imported.id, team_id, figures))
        except IntegrityError:  # another import of the same year committed in between
            raise DomainError("survey.exists", year=results.year) from None

    def get(self, org_id: int, year: int) -> SurveyResults | None:
        """The year's results, or None when none were imported."""
        with self.db.transaction() as session:
            imported = session.scalars(
                select(SurveyImportRow).where(SurveyImportRow.org_id == org_id, SurveyImportRow.year == year)
            ).first()
            if imported is None:
                return None
            rows = session.scalars(select(SurveyGroupRow).where(SurveyGroupRow.import_id == imported.id)).all()
            organisation = next(_figures(r) for r in rows if r.team_id is None)
            units = {r.team_id: _figures(r) for r in rows if r.team_id is not None}
            frozen = session.execute(
                select(SurveyImportUnitRow.unit_id, SurveyImportUnitRow.parent_id)
                .where(SurveyImportUnitRow.import_id == imported.id)
                .order_by(SurveyImportUnitRow.unit_id)
            ).all()
            tree = tuple(UnitNode(unit_id, parent_id) for unit_id, parent_id in frozen)
            return SurveyResults(year, organisation, units, tree, imported.anonymity_threshold)


def _row(import_id: int, team_id: int | None, figures: SurveyFigures) -> SurveyGroupRow:
    by_code = {d.value.lower(): figures.dimensions.get(d) for d in Dimension}
    return SurveyGroupRow(
        import_id=import_id,
        team_id=team_id,
        respondents=figures.respondents,
        invited=figures.invited,
        qwl_index=figures.qwl_index,
        **by_code,
    )


def _figures(row: SurveyGroupRow) -> SurveyFigures:
    if row.qwl_index is None:  # the vendor left the unit's figures out
        return SurveyFigures(row.respondents, row.invited)
    return SurveyFigures(
        respondents=row.respondents,
        invited=row.invited,
        qwl_index=row.qwl_index,
        dimensions={d: float(getattr(row, d.value.lower())) for d in Dimension},
    )
