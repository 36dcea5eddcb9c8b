"""The cards of needs beyond the team: the supervisor's form, its receipt, and the answer in the team's channel."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.card_limits import MAX_BUTTON_LABEL, MAX_HEADING, MAX_TEXT, shorten
from bot.flows.choose_cards import item_label
from bot.flows.choose_tally import TallyItem
from bot.formatting import format_date
from bot.i18n import translate
from bot.messages import Button, Buttons, Card, Choice, Heading, Select, Text, TextInput
from bot.org_needs import MAX_NEED_TEXT, NeedKind, NeedSource, OrgNeed
from bot.organisation import Team
from bot.plan import Target

RAISE = "needs.raise"
OPEN = "needs.open"  # from another card: the form with what it is about chosen already
ABOUT_FIELD = "about"
KIND_FIELD = "kind"
TEXT_FIELD = "text"
LABEL_LIMIT = 70


def about_value(source: NeedSource, key: str | int = "") -> str:
    """The value of a subject choice: "target:12", "choice:w1a2b3", "follow_up"."""
    return f"{source.value}:{key}" if key != "" else source.value


def need_form(
    team: Team, targets: Sequence[Target], choices: Sequence[TallyItem], language: str, about: str = ""
) -> Card:
    """What it is about (a target, a choice of the team, a follow-up), what kind of need, and what is needed."""
    title = translate(language, "needs.form.title", team=team.name)
    subjects = [
        Choice(
            _label(language, "needs.about.target", number=n, text=t.named(language)),
            about_value(NeedSource.TARGET, t.id or 0),
        )
        for n, t in enumerate(targets, start=1)
    ]
    subjects += [
        Choice(
            _label(language, "needs.about.choice", text=item_label(item, language)),
            about_value(NeedSource.CHOICE, item.key),
        )
        for item in choices
    ]
    subjects.append(Choice(_label(language, "needs.about.follow_up"), about_value(NeedSource.FOLLOW_UP)))
    selected = (about,) if any(choice.value == about for choice in subjects) else ()
    kinds = tuple(Choice(translate(language, f"needs.kind.{kind.value}"), kind.value) for kind in NeedKind)
    blocks = (
        Heading(shorten(title, MAX_HEADING)),
        Text(translate(language, "needs.form.intro")),
        Select(ABOUT_FIELD, translate(language, "needs.form.about"), tuple(subjects), selected=selected),
        Select(KIND_FIELD, translate(language, "needs.form.kind"), kinds, expanded=True),
        TextInput(TEXT_FIELD, translate(language, "needs.form.text"), multiline=True, max_length=MAX_NEED_TEXT),
        Buttons((Button(RAISE, _label(language, "needs.form.send"), str(team.id), "primary"),)),
    )
    return Card("needs.form", title, blocks)


def raised_card(team: Team, need: OrgNeed, language: str) -> Card:
    """The supervisor's receipt, in place of the form."""
    title = translate(language, "needs.form.title", team=team.name)
    text = translate(
        language, "needs.raised", text=need.text, kind=translate(language, f"needs.kind.{need.kind.value}")
    )
    return Card("needs.raised", title, (Heading(shorten(title, MAX_HEADING)), Text(shorten(text, MAX_TEXT))))


def answered_card(need: OrgNeed, raised_on: date, language: str) -> Card:
    """The officer's answer, for the team's channel: what the team raised, when, and what was done."""
    title = translate(language, "needs.answered.title")
    about = need.text if not need.subject else f"{need.subject}: {need.text}"
    raised = translate(language, "needs.answered.raised", date=format_date(raised_on, language), about=about)
    done = translate(language, "needs.answered.done", response=need.response)
    return Card(
        "needs.answered",
        f"{title}: {shorten(need.text, 200)}",
        (Heading(shorten(title, MAX_HEADING)), Text(shorten(raised, MAX_TEXT)), Text(shorten(done, MAX_TEXT))),
    )


def _label(language: str, key: str, **params: object) -> str:
    return shorten(translate(language, key, **params), min(LABEL_LIMIT, MAX_BUTTON_LABEL))
