"""The pulse question bank: every dimension covered, every statement and answer label in fi, sv and en."""

from __future__ import annotations

import pytest

from bot import pulse
from bot.dimensions import Dimension
from bot.errors import DomainError
from bot.i18n import SUPPORTED_LANGUAGES
from bot.questions import (
    ANSWER_SCALE,
    CANT_SAY,
    QUESTION_BANK,
    Question,
    answer_label,
    dimension_name,
    question_by_id,
    questions_for,
)

SLACK_BUTTON_LIMIT = 75  # Slack: button text at most 75 characters (DESIGN.md, platform facts)
STATEMENT_LIMIT = 100  # answered in a chat in a few seconds: one short sentence


@pytest.mark.parametrize("dimension", list(Dimension))
def test_every_dimension_has_at_least_three_questions_of_its_own(dimension: Dimension) -> None:
    questions = questions_for(dimension)
    assert len(questions) >= 3
    assert all(q.dimension is dimension and q.id.startswith(dimension.value) for q in questions)


def test_ids_are_unique_and_every_question_is_in_a_dimension() -> None:
    ids = [q.id for q in QUESTION_BANK]
    assert len(ids) == len(set(ids))
    assert sum(len(questions_for(d)) for d in Dimension) == len(QUESTION_BANK)


@pytest.mark.parametrize("question", QUESTION_BANK, ids=lambda q: q.id)
def test_every_statement_is_short_and_present_in_every_language(question: Question) -> None:
    for language in SUPPORTED_LANGUAGES:
        text = question.text(language)
        assert text.strip() and len(text) <= STATEMENT_LIMIT, (language, text)


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_no_two_statements_read_the_same(language: str) -> None:
    texts = [q.text(language) for q in QUESTION_BANK]
    assert len(texts) == len(set(texts))


def test_a_question_is_found_by_id_and_an_unknown_id_is_a_domain_error() -> None:
    assert question_by_id("FE1") == Question("FE1", Dimension.SAFETY)
    with pytest.raises(DomainError) as raised:
        question_by_id("XX9")
    assert raised.value.key == "pulse.unknown_question" and raised.value.params == {"question": "XX9"}
    assert "XX9" in raised.value.message("fi")


def test_the_scale_matches_what_pulse_accepts() -> None:
    assert tuple(sorted(option.value for option in ANSWER_SCALE)) == tuple(sorted(pulse.ANSWER_VALUES))
    assert CANT_SAY == pulse.CANT_SAY
    assert [option.value for option in ANSWER_SCALE] == [1, 2, 3, 4, 5, 0]  # disagree → agree, then can't say


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_answer_labels_fit_a_button_and_are_distinct(language: str) -> None:
    labels = [option.label(language) for option in ANSWER_SCALE]
    assert all(label.strip() and len(label) <= SLACK_BUTTON_LIMIT for label in labels)
    assert len(set(labels)) == len(labels)


def test_answer_label_by_value_and_a_value_off_the_scale() -> None:
    assert answer_label(1, "fi") == "Täysin eri mieltä"
    assert answer_label(5, "fi") == "Täysin samaa mieltä"
    assert answer_label(CANT_SAY, "fi") == "En osaa sanoa"
    for bad in (6, -1, True):
        with pytest.raises(DomainError) as raised:
            answer_label(bad, "fi")
        assert raised.value.key == "pulse.bad_value"


@pytest.mark.parametrize("dimension", list(Dimension))
def test_every_dimension_has_a_name_in_every_language(dimension: Dimension) -> None:
    names = [dimension_name(dimension, language) for language in SUPPORTED_LANGUAGES]
    assert all(name.strip() and len(name) <= SLACK_BUTTON_LIMIT for name in names)
