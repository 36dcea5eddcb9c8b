"""The pulse question bank: short statements per wellbeing dimension and the agree–disagree answer scale."""

from __future__ import annotations

from dataclasses import dataclass

from bot.dimensions import Dimension
from bot.errors import DomainError
from bot.i18n import translate

# The values match bot.pulse (CANT_SAY = 0, LIKERT_VALUES = 1..5); a test holds them together. They are not
# imported from there so that bot.pulse may one day import this bank without an import cycle.
CANT_SAY = 0
LIKERT_VALUES = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class Question:
    """One pulse statement; its wording lives in the catalogs under `question.<id>`."""

    id: str
    dimension: Dimension

    @property
    def key(self) -> str:
        """The catalog key of the statement."""
        return f"question.{self.id}"

    def text(self, language: str) -> str:
        """The statement in the given language."""
        return translate(language, self.key)


def _questions(dimension: Dimension, count: int) -> tuple[Question, ...]:
    return tuple(Question(f"{dimension.value}{number}", dimension) for number in range(1, count + 1))


# Ids are stable: answers are counted per question id, so a statement is reworded only when its meaning stays.
# The foundation dimensions get one more item each, since their risk limits make them the ones watched most.
QUESTION_BANK: tuple[Question, ...] = (
    *_questions(Dimension.SAFETY, 5),
    *_questions(Dimension.BELONGING, 5),
    *_questions(Dimension.GOALS, 5),
    *_questions(Dimension.SUPERVISOR_WORK, 4),
    *_questions(Dimension.COMPETENCE, 4),
    *_questions(Dimension.LEADERSHIP, 4),
    *_questions(Dimension.PROCESSES, 4),
    *_questions(Dimension.CULTURE, 4),
)

_BY_ID = {question.id: question for question in QUESTION_BANK}


def questions_for(dimension: Dimension) -> tuple[Question, ...]:
    """The bank's questions of one dimension, in id order."""
    return tuple(question for question in QUESTION_BANK if question.dimension is dimension)


def question_by_id(question_id: str) -> Question:
    """The question with that id; DomainError("pulse.unknown_question") when the bank has none."""
    try:
        return _BY_ID[question_id]
    except KeyError:
        raise DomainError("pulse.unknown_question", question=question_id) from None


@dataclass(frozen=True)
class AnswerOption:
    """A point on the answer scale as a button shows it: the stored value and the catalog key of its label."""

    value: int
    key: str

    def label(self, language: str) -> str:
        """The button text, at most 75 characters (Slack's button limit) in every language."""
        return translate(language, self.key)


# Disagree to agree, then "can't say" apart at the end: it is an answer, but never part of a mean.
ANSWER_SCALE: tuple[AnswerOption, ...] = (
    *(AnswerOption(value, f"likert.{value}") for value in LIKERT_VALUES),
    AnswerOption(CANT_SAY, "likert.cant_say"),
)


def answer_label(value: int, language: str) -> str:
    """The label of an answer value (0 = can't say, 1..5 = disagree..agree); DomainError for anything else."""
    for option in ANSWER_SCALE:
        # bool is an int in Python; True must not pass for "strongly disagree".
        if option.value == value and not isinstance(value, bool):
            return option.label(language)
    raise DomainError("pulse.bad_value", value=value)


def dimension_name(dimension: Dimension, language: str) -> str:
    """The dimension's name for cards and dashboards."""
    return translate(language, f"dimension.{dimension.value}")
