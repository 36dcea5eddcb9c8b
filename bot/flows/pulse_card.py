"""The pulse answer card: the draft answers it carries in its buttons, and the card drawn from a draft."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from bot.card_limits import shorten
from bot.errors import DomainError
from bot.formatting import format_clock, format_date
from bot.i18n import translate
from bot.messages import Button, Buttons, Card, Choice, Heading, Question, Text, TextInput
from bot.organisation import Team, team_time
from bot.pulse import ANSWER_VALUES, MAX_QUESTIONS
from bot.questions import ANSWER_SCALE, question_by_id

ANSWER_ACTION = "pulse.answer"
SEND_ACTION = "pulse.send"
COMMENT_FIELD = "comment"
COMMENT_MAX = 1000  # what the text field allows and what is kept
# Platforms count characters their own way (Teams sends \r\n, emoji may count twice), so a little over
# the field's limit is cut to fit; this much over cannot come from our card and is refused outright.
COMMENT_REFUSED_OVER = 3000
UNANSWERED = "-"

# "<round id>:<one character per question>", e.g. "12:4-05": question 1 "4", question 2 not yet answered,
# question 3 "can't say", question 4 "5". Only ASCII digits: \d would also let other scripts' digits in.
_TOKEN = re.compile(rf"([0-9]{{1,12}}):([-0-9]{{1,{MAX_QUESTIONS}}})")


@dataclass(frozen=True)
class Draft:
    """The answers a person has tapped so far, carried by the card itself so nothing is stored about them."""

    round_id: int
    answers: tuple[int | None, ...]  # per question in card order; None while unanswered

    @classmethod
    def empty(cls, round_id: int, questions: int) -> Draft:
        """A fresh card's draft: nothing answered yet."""
        return cls(round_id, (None,) * questions)

    @property
    def token(self) -> str:
        """The draft as a button value."""
        marks = (UNANSWERED if value is None else str(value) for value in self.answers)
        return f"{self.round_id}:{''.join(marks)}"

    @property
    def missing(self) -> int:
        """How many questions are still unanswered."""
        return sum(1 for value in self.answers if value is None)

    def with_answer(self, index: int, value: int) -> Draft:
        """The draft with question `index` (0-based) answered `value`."""
        answers = list(self.answers)
        answers[index] = value
        return replace(self, answers=tuple(answers))

    def values(self, question_ids: Sequence[str]) -> dict[str, int]:
        """The answered questions as {question id: value}, ready to be counted."""
        return {q: value for q, value in zip(question_ids, self.answers, strict=True) if value is not None}


def read_draft(token: str) -> Draft:
    """A draft from a button value, read strictly: anything but our own format is refused."""
    match = _TOKEN.fullmatch(token)
    if match is None:
        raise DomainError("pulse.card_unreadable")
    answers: list[int | None] = []
    for mark in match.group(2):
        if mark == UNANSWERED:
            answers.append(None)
        elif int(mark) in ANSWER_VALUES:
            answers.append(int(mark))
        else:
            raise DomainError("pulse.bad_value", value=mark)
    return Draft(int(match.group(1)), tuple(answers))


def deadline(closes_at: datetime, team: Team, language: str) -> dict[str, str]:
    """The {date} and {time} a round closes, on the team's clock."""
    local = team_time(closes_at, team)
    return {"date": format_date(local.date(), language), "time": format_clock(local, language)}


def answer_card(
    draft: Draft,
    question_ids: Sequence[str],
    team: Team,
    closes_at: datetime,
    language: str,
    *,
    comment: str = "",
    reminder: bool = False,
) -> Card:
    """The card a person answers on, showing what they have tapped so far; Send appears once all are answered."""
    if len(question_ids) != len(draft.answers):
        raise ValueError("the draft does not fit the questions")
    count = len(question_ids)
    when = deadline(closes_at, team, language)
    blocks: list[Heading | Text | Question | TextInput | Buttons] = [
        Heading(shorten(translate(language, "pulse.card_heading", team=team.name), 150))
    ]
    if reminder:
        blocks.append(Text(translate(language, "pulse.reminder_note", **when)))
    blocks.append(Text(translate(language, "pulse.card_intro", count=count, **when)))
    for index, question_id in enumerate(question_ids):
        blocks.append(_question(draft, index, question_id, language))
    blocks.append(
        TextInput(
            id=COMMENT_FIELD,
            label=translate(language, "pulse.comment_label"),
            placeholder=translate(language, "pulse.comment_placeholder"),
            multiline=True,
            max_length=COMMENT_MAX,
            initial=shorten(comment, COMMENT_MAX),
        )
    )
    if draft.missing:
        blocks.append(Text(translate(language, "pulse.card_missing", missing=draft.missing, count=count)))
    else:
        send = Button(SEND_ACTION, translate(language, "pulse.send_button"), draft.token, style="primary")
        blocks.append(Buttons((send,)))
    fallback = translate(language, "pulse.card_fallback", team=team.name, count=count, **when)
    return Card(kind="pulse_reminder" if reminder else "pulse", fallback_text=fallback, blocks=tuple(blocks))


def _question(draft: Draft, index: int, question_id: str, language: str) -> Question:
    # Each choice's value is the whole draft as it would be after tapping it, so a tap needs no stored state;
    # the chosen one therefore equals the current draft's token.
    choices = tuple(
        Choice(option.label(language), draft.with_answer(index, option.value).token) for option in ANSWER_SCALE
    )
    prompt = translate(
        language,
        "pulse.question_prompt",
        number=index + 1,
        count=len(draft.answers),
        text=question_by_id(question_id).text(language),
    )
    selected = draft.token if draft.answers[index] is not None else None
    return Question(id=f"q{index + 1}", prompt=prompt, action=ANSWER_ACTION, choices=choices, selected=selected)
