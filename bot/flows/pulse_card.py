"""The pulse answer card: radio buttons picked on the person's device, and the draft a Send carries back."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from bot.card_limits import shorten
from bot.errors import DomainError
from bot.formatting import format_clock, format_date
from bot.i18n import translate
from bot.messages import Button, Buttons, Card, Choice, Heading, Select, Text, TextInput
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
# question 3 "can't say", question 4 "5". Cards send it blank ("12:----"); cards drawn before picks stayed on the
# device carried the answers in it, and their Send is still read. Only ASCII digits: \d would also let other
# scripts' digits in.
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

    def blank(self) -> Draft:
        """The same round and questions with nothing answered: what a Send button carries."""
        return Draft.empty(self.round_id, len(self.answers))

    def with_picks(self, form: Mapping[str, str]) -> Draft:
        """The draft with the card's picks that came with Send (`q1`…), read strictly; a blank pick changes nothing."""
        draft = self
        for index in range(len(self.answers)):
            picked = form.get(question_field(index), "").strip()
            if picked:
                draft = draft.with_answer(index, _answer_value(picked))
        return draft

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
        answers.append(None if mark == UNANSWERED else _answer_value(mark))
    return Draft(int(match.group(1)), tuple(answers))


def _answer_value(mark: str) -> int:
    # Only one ASCII digit on the scale: int() would also take " 4", "٤" or "+4".
    if len(mark) == 1 and mark in "0123456789" and int(mark) in ANSWER_VALUES:
        return int(mark)
    raise DomainError("pulse.bad_value", value=mark[:20])


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
    refused: bool = False,
) -> Card:
    """The card a person answers on: radio buttons per question, picked on their device, and Send.

    Nothing a person picks reaches the bot before Send, so no pick is ever written into the chat. A fresh card's
    draft is empty; only a Send `refused` for a missing answer draws the picks it carried back, with a note.
    """
    if len(question_ids) != len(draft.answers):
        raise ValueError("the draft does not fit the questions")
    count = len(question_ids)
    when = deadline(closes_at, team, language)
    blocks: list[Heading | Text | Select | TextInput | Buttons] = [
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
    if refused and draft.missing:
        numbers = ", ".join(str(index + 1) for index, value in enumerate(draft.answers) if value is None)
        blocks.append(
            Text(translate(language, "pulse.card_missing", missing=draft.missing, count=count, numbers=numbers))
        )
    # The Send button names only the round and how many questions the card asks; the picks come with it.
    send = Button(SEND_ACTION, translate(language, "pulse.send_button"), draft.blank().token, style="primary")
    blocks.append(Buttons((send,)))
    fallback = translate(language, "pulse.card_fallback", team=team.name, count=count, **when)
    return Card(kind="pulse_reminder" if reminder else "pulse", fallback_text=fallback, blocks=tuple(blocks))


def question_field(index: int) -> str:
    """The input id of question `index` (0-based) on the card: its pick arrives under it with Send."""
    return f"q{index + 1}"


def _question(draft: Draft, index: int, question_id: str, language: str) -> Select:
    choices = tuple(Choice(option.label(language), str(option.value)) for option in ANSWER_SCALE)
    prompt = translate(
        language,
        "pulse.question_prompt",
        number=index + 1,
        count=len(draft.answers),
        text=question_by_id(question_id).text(language),
    )
    answer = draft.answers[index]
    selected = (str(answer),) if answer is not None else ()
    return Select(id=question_field(index), label=prompt, choices=choices, selected=selected, expanded=True)


def ended_card(team: Team, language: str, *, answered: bool) -> Card:
    """What takes an unanswered card's place when it can no longer be sent: the round closed, or was answered."""
    heading = shorten(translate(language, "pulse.card_heading", team=team.name), 150)
    text = translate(language, "pulse.card_answered" if answered else "pulse.card_closed")
    return Card(kind="pulse_ended", fallback_text=text, blocks=(Heading(heading), Text(text)))
