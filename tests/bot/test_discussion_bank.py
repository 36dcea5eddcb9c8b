"""The discussion bank: our own questions per theme in three languages, and a fair, repeatable weekly rotation."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest

from bot.dimensions import Dimension
from bot.discussion_bank import (
    DISCUSSION_BANK,
    THEME_DIMENSIONS,
    Theme,
    pick_starter,
    questions_for,
    themes_for,
    week_index,
)
from bot.i18n import SUPPORTED_LANGUAGES
from bot.plan import DevelopmentPlan, Target

PLAN = DevelopmentPlan(
    team_id=1,
    year=2026,
    targets=(
        Target("Työvuorot ennakoitaviksi", (Dimension.PROCESSES, Dimension.SAFETY), id=1),
        Target("Palautetta säännöllisesti", (Dimension.SUPERVISOR_WORK,), id=2),
    ),
)


def test_every_theme_has_at_least_four_questions_with_unique_ids() -> None:
    counts = Counter(q.theme for q in DISCUSSION_BANK)
    assert set(counts) == set(Theme) and min(counts.values()) >= 4
    assert len({q.id for q in DISCUSSION_BANK}) == len(DISCUSSION_BANK)


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_every_question_is_written_in_every_language_as_a_question(language: str) -> None:
    texts = [q.text(language) for q in DISCUSSION_BANK]
    assert len(set(texts)) == len(texts)
    assert all(text.rstrip().endswith("?") and len(text) < 200 for text in texts)


def test_the_languages_are_translations_not_copies() -> None:
    for question in DISCUSSION_BANK:
        assert len({question.text(language) for language in SUPPORTED_LANGUAGES}) == 3, question.id


def test_the_themes_cover_every_dimension_as_the_model_pairs_them() -> None:
    covered = [d for dimensions in THEME_DIMENSIONS.values() for d in dimensions]
    assert sorted(covered) == sorted(Dimension)  # each dimension is supported by exactly one theme
    assert THEME_DIMENSIONS[Theme.SUPERVISOR_WORK] == (Dimension.SUPERVISOR_WORK, Dimension.LEADERSHIP)
    assert themes_for((Dimension.PROCESSES, Dimension.SAFETY)) == (Theme.TRUST, Theme.SERVICE_PROCESSES)
    assert themes_for(()) == ()


def test_targets_take_turns_and_each_walks_its_own_themes_questions() -> None:
    first_themes = {Theme.TRUST, Theme.SERVICE_PROCESSES}
    starters = [pick_starter(PLAN, week) for week in range(40)]
    assert [s.target_number for s in starters[:4]] == [1, 2, 1, 2]
    assert all(s.target is PLAN.targets[(week % 2)] for week, s in enumerate(starters))
    firsts = [s.question for s in starters[0::2]]
    seconds = [s.question for s in starters[1::2]]
    assert all(q.theme in first_themes for q in firsts)
    assert all(q.theme is Theme.SUPERVISOR_WORK for q in seconds)
    # Every question of the target's themes comes up before any comes twice.
    assert len(set(firsts[:10])) == 10 and set(firsts[:10]) == set(questions_for(tuple(first_themes)))
    assert len(set(seconds[:5])) == 5 and seconds[5] == seconds[0]


def test_the_pick_is_repeatable() -> None:
    assert [pick_starter(PLAN, w) for w in range(12)] == [pick_starter(PLAN, w) for w in range(12)]


def test_without_a_plan_or_dimensions_the_whole_bank_rotates() -> None:
    untied = [pick_starter(None, week) for week in range(len(DISCUSSION_BANK))]
    assert {s.question for s in untied} == set(DISCUSSION_BANK) and all(s.target is None for s in untied)
    assert pick_starter(DevelopmentPlan(team_id=1, year=2026), 3).target is None
    open_target = DevelopmentPlan(team_id=1, year=2026, targets=(Target("Jotain uutta", id=4),))
    starters = [pick_starter(open_target, week) for week in range(len(DISCUSSION_BANK))]
    assert {s.question for s in starters} == set(DISCUSSION_BANK)
    assert all(s.target_number == 1 for s in starters)


def test_weeks_start_on_monday_and_run_on_across_new_year() -> None:
    monday = date(2026, 11, 23)
    assert week_index(monday) == week_index(monday + timedelta(days=6)) == week_index(monday + timedelta(days=7)) - 1
    assert week_index(monday - timedelta(days=1)) == week_index(monday) - 1
    assert week_index(date(2027, 1, 4)) - week_index(date(2026, 12, 28)) == 1
