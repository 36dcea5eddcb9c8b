"""Plan-editing cards fit Slack and Teams at their fullest, and the examples the texts give are ones the bot reads."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.card_limits import MAX_TEXT, card_problems
from bot.dates import parse_when
from bot.dimensions import Dimension
from bot.errors import DomainError
from bot.flows.plan_edit_cards import edit_card, removal_card
from bot.flows.plan_edit_changes import MAX_ACTIONS_PER_TARGET
from bot.flows.plan_edit_form_cards import action_form, strength_form, target_form
from bot.flows.plan_edit_refs import Kind, Ref, parse_ref, ref
from bot.i18n import SUPPORTED_LANGUAGES, translate
from bot.organisation import Member, Team
from bot.plan import MAX_STRENGTHS, MAX_TARGETS, ActionStatus, DevelopmentPlan, PlanAction, Strength, Target

TEAM = Team(id=7, key="kotihoito", name="Kotihoito – " + "ä" * 60)
LONG = "ä" * MAX_TEXT  # two bytes each in UTF-8: the heaviest text a person can save
NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC).astimezone(ZoneInfo("Europe/Helsinki"))


def fullest_plan() -> DevelopmentPlan:
    """Three strengths and three targets with five actions each, every text at the limit, every field filled."""
    ids = iter(range(1, 1000))
    actions = lambda: tuple(  # noqa: E731
        PlanAction(LONG, 1, date(2027, 1, 15), ActionStatus.STUCK, id=next(ids)) for _ in range(MAX_ACTIONS_PER_TARGET)
    )
    return DevelopmentPlan(
        team_id=TEAM.id,
        year=2026,
        strengths=tuple(Strength(LONG, Dimension.SAFETY, id=next(ids)) for _ in range(MAX_STRENGTHS)),
        targets=tuple(Target(LONG, tuple(Dimension), LONG, LONG, actions(), id=next(ids)) for _ in range(MAX_TARGETS)),
        agreed_on=date(2026, 3, 16),
        id=1,
    )


MEMBERS = [Member(id=n, name=f"Henkilö {n} " + "ö" * 80, team_ids=(TEAM.id,)) for n in range(1, 150)]


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_every_card_fits_at_its_fullest(language: str) -> None:
    plan = fullest_plan()
    names = {m.id: m.name for m in MEMBERS}
    target = plan.targets[0]
    cards = [
        edit_card(TEAM, plan, names, language, date(2027, 1, 4)),
        edit_card(TEAM, None, names, language, date(2026, 11, 23)),
        edit_card(TEAM, DevelopmentPlan(TEAM.id, 2026, id=2), names, language, date(2026, 11, 23)),
        strength_form(TEAM, 3, plan.strengths[2], language),
        strength_form(TEAM, None, None, language),
        target_form(TEAM, 3, target, language),
        target_form(TEAM, None, None, language),
        action_form(TEAM, MEMBERS, language, target=(3, target), action=("3.5", target.actions[4])),
        action_form(TEAM, MEMBERS, language, target=(1, target)),
        removal_card(TEAM, Kind.TARGET, target.id, "3", target.title, len(target.actions), language),
    ]
    for card in cards:
        assert card_problems(card) == [], (card.kind, card_problems(card))


def test_a_plan_written_elsewhere_with_more_actions_still_fits() -> None:
    plan = fullest_plan()
    extra = tuple(PlanAction(LONG, None, None, id=5000 + n) for n in range(10))
    first = plan.targets[0]
    assert first.id is not None
    crowded = plan.replace_target(first.id, replace(first, actions=first.actions + extra))
    card = edit_card(TEAM, crowded, {}, "fi", date(2026, 11, 23))
    assert card_problems(card) == []
    assert "1.6 " in "\n".join(getattr(b, "text", "") for b in card.blocks)


def quoted(text: str) -> list[str]:
    return re.findall(r"[”“]([^”“]+)[”]", text)


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
@pytest.mark.parametrize(
    "key",
    ["planedit.due_not_understood", "planedit.due_in_past", "planedit.due_too_far", "planedit.form.due_placeholder"],
)
def test_the_due_date_examples_are_read_by_the_bot(language: str, key: str) -> None:
    examples = quoted(translate(language, key, years=2))
    assert len(examples) >= 2, examples
    for example in examples:
        when = parse_when(example, now=NOW, language=language)
        assert when is not None and when > NOW, (language, example)


def test_button_values_point_to_rows_and_nothing_else() -> None:
    assert ref(Kind.TARGET, 12) == "target:12" and parse_ref("action:34") == Ref(Kind.ACTION, 34)
    for bad in ("", "target", "target:", "target:-1", "target:1.5", "plan:1", "target:12:x", "target:" + "9" * 13):
        with pytest.raises(DomainError):
            parse_ref(bad)
    with pytest.raises(ValueError):
        ref(Kind.STRENGTH, None)
