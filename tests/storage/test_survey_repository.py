"""Survey results round-trip on both backends; a stored year is replaced only when asked, and whole."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.dimensions import Dimension
from bot.errors import DomainError
from bot.survey import SurveyFigures, SurveyResults
from storage.db import Database
from storage.survey_repository import SurveyRepository
from tests.storage_helpers import make_org

NOW = datetime(2027, 2, 1, 9, tzinfo=UTC)


def figures(respondents: int, base: float) -> SurveyFigures:
    return SurveyFigures(respondents, respondents + 2, base, {d: base + i for i, d in enumerate(Dimension)})


def figures_of(results: SurveyResults | None) -> tuple[object, ...] | None:
    """What the file gave: the year, the organisation's figures and the units' (the frozen tree aside)."""
    return None if results is None else (results.year, results.organisation, dict(results.units))


def test_a_year_reads_back_and_is_replaced_only_when_asked(db: Database) -> None:
    org = make_org(db, {"koti": 5, "ruoka": 5})
    koti, ruoka = (t.id for t in org.teams)
    repo = SurveyRepository(db)
    first = SurveyResults(2027, figures(21, 70.5), {koti: figures(12, 73.25), ruoka: figures(6, 60.0)})
    repo.save(org.id, first, NOW, replace=False)
    assert figures_of(repo.get(org.id, 2027)) == figures_of(first)
    assert repo.get(org.id, 2026) is None
    assert repo.imported_at(org.id, 2027) == NOW and repo.years(org.id) == [2027]
    stored = repo.get(org.id, 2027)
    assert stored is not None and stored.threshold == 5
    assert {(u.id, u.parent_id) for u in stored.tree} == {(koti, None), (ruoka, None)}

    second = SurveyResults(2027, figures(20, 65.0), {koti: figures(11, 66.0)})
    with pytest.raises(DomainError) as refused:
        repo.save(org.id, second, NOW, replace=False)
    assert refused.value.key == "survey.exists" and refused.value.params == {"year": 2027}
    assert figures_of(repo.get(org.id, 2027)) == figures_of(first)

    later = datetime(2027, 2, 2, tzinfo=UTC)
    repo.save(org.id, second, later, replace=True)
    assert figures_of(repo.get(org.id, 2027)) == figures_of(second)  # ruoka's row went with the old import
    assert repo.imported_at(org.id, 2027) == later and repo.years(org.id) == [2027]


def test_a_unit_the_vendor_left_without_figures_reads_back_as_not_shown(db: Database) -> None:
    org = make_org(db, {"koti": 5, "ruoka": 5})
    koti, ruoka = (t.id for t in org.teams)
    repo = SurveyRepository(db)
    results = SurveyResults(2027, figures(21, 70.5), {koti: figures(12, 73.25), ruoka: SurveyFigures(None, 7)})
    repo.save(org.id, results, NOW, replace=False)
    stored = repo.get(org.id, 2027)
    assert figures_of(stored) == figures_of(results)
    assert stored is not None and not stored.units[ruoka].shown and stored.units[ruoka].invited == 7


def test_a_year_is_shown_under_the_units_and_threshold_it_was_imported_with(db: Database) -> None:
    """A later reorganisation or a lower threshold must not show a second view that subtracts to a few people."""
    from dataclasses import replace

    from bot.org_import import OrgSpec, UnitSpec
    from bot.survey_groups import Hidden, organisation_report
    from storage.org_repository import OrganisationRepository

    org = make_org(db, {"perus": 1, "koti": 1, "ruoka": 1}, parents={"koti": "perus", "ruoka": "perus"})
    teams = {t.key: t.id for t in org.teams}
    results = SurveyResults(
        2027,
        figures(19, 70.0),
        {teams["perus"]: figures(3, 70.0), teams["koti"]: figures(12, 72.0), teams["ruoka"]: figures(4, 66.0)},
    )
    repo = SurveyRepository(db)
    repo.save(org.id, results, NOW, replace=False)
    before = organisation_report(_stored(repo, org.id), org)
    assert before.groups[teams["ruoka"]].hidden is Hidden.FEW_RESPONDENTS

    # Ruokapalvelu moves to the top and the threshold drops to 3: recomputed, both would show it (4 answered).
    units = (
        UnitSpec("perus", "Perus", None, None, None),
        UnitSpec("koti", "Koti", "perus", None, None),
        UnitSpec("ruoka", "Ruoka", None, None, None),
    )
    OrganisationRepository(db).apply_import(OrgSpec("Testilä", "fi", None, 3, units, ()))
    today = OrganisationRepository(db).get()
    assert today is not None and today.anonymity_threshold == 3
    assert next(t for t in today.teams if t.key == "ruoka").parent_id is None
    after = organisation_report(_stored(repo, org.id), today)
    assert after == before
    assert after.groups[teams["ruoka"]].hidden is Hidden.FEW_RESPONDENTS and after.threshold == 5
    # A year imported now is grouped under today's units and threshold.
    repo.save(org.id, replace(results, year=2028), NOW, replace=False)
    now_imported = organisation_report(_stored(repo, org.id, 2028), today)
    assert now_imported.threshold == 3 and now_imported.groups[teams["ruoka"]].visible


def _stored(repo: SurveyRepository, org_id: int, year: int = 2027) -> SurveyResults:
    found = repo.get(org_id, year)
    assert found is not None
    return found
