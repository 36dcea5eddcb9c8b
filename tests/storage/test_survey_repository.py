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


def test_a_year_reads_back_and_is_replaced_only_when_asked(db: Database) -> None:
    org = make_org(db, {"koti": 5, "ruoka": 5})
    koti, ruoka = (t.id for t in org.teams)
    repo = SurveyRepository(db)
    first = SurveyResults(2027, figures(21, 70.5), {koti: figures(12, 73.25), ruoka: figures(6, 60.0)})
    repo.save(org.id, first, NOW, replace=False)
    assert repo.get(org.id, 2027) == first
    assert repo.get(org.id, 2026) is None
    assert repo.imported_at(org.id, 2027) == NOW and repo.years(org.id) == [2027]

    second = SurveyResults(2027, figures(20, 65.0), {koti: figures(11, 66.0)})
    with pytest.raises(DomainError) as refused:
        repo.save(org.id, second, NOW, replace=False)
    assert refused.value.key == "survey.exists" and refused.value.params == {"year": 2027}
    assert repo.get(org.id, 2027) == first

    later = datetime(2027, 2, 2, tzinfo=UTC)
    repo.save(org.id, second, later, replace=True)
    assert repo.get(org.id, 2027) == second  # ruoka's row went with the old import
    assert repo.imported_at(org.id, 2027) == later and repo.years(org.id) == [2027]


def test_a_unit_the_vendor_left_without_figures_reads_back_as_not_shown(db: Database) -> None:
    org = make_org(db, {"koti": 5, "ruoka": 5})
    koti, ruoka = (t.id for t in org.teams)
    repo = SurveyRepository(db)
    results = SurveyResults(2027, figures(21, 70.5), {koti: figures(12, 73.25), ruoka: SurveyFigures(None, 7)})
    repo.save(org.id, results, NOW, replace=False)
    stored = repo.get(org.id, 2027)
    assert stored == results
    assert stored is not None and not stored.units[ruoka].shown and stored.units[ruoka].invited == 7
