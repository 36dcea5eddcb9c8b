"""The evaluation's view of the year's successes: counts per target and strength, and those tied to nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.card_limits import card_problems
from bot.dimensions import Dimension
from bot.flows.success import success_summary
from bot.messages import Card, Text
from bot.plan import DevelopmentPlan, Strength, Target
from bot.success import Success

NOW = datetime(2026, 11, 23, 8, tzinfo=UTC)
PLAN = DevelopmentPlan(
    team_id=1,
    year=2026,
    strengths=(Strength("Autamme toisiamme.", Dimension.BELONGING, id=5), Strength("Hyvä huumori.", id=6)),
    targets=(
        Target("Työvuorot ennakoitaviksi.", (Dimension.PROCESSES,), id=10),
        Target("Palautetta säännöllisesti. " + "Pitkä selitys. " * 20, (Dimension.SUPERVISOR_WORK,), id=11),
    ),
)


def success(target_id: int | None = None, strength_id: int | None = None) -> Success:
    return Success(1, "Onnistui!", NOW, target_id=target_id, strength_id=strength_id)


def test_successes_are_counted_per_target_and_strength_and_the_rest_as_unlinked() -> None:
    successes = [success(10), success(10), success(11), success(strength_id=5), success(), success(99)]
    summary = success_summary(successes, PLAN, "fi")
    lines = summary.split("\n")
    assert lines[0] == "*Onnistumiset (6)*"
    assert lines[1] == "• Kohde 1: Työvuorot ennakoitaviksi. – 2"
    assert lines[2].startswith("• Kohde 2: Palautetta säännöllisesti.") and lines[2].endswith("… – 1")
    # A target since removed from the plan (99) counts with those tied to nothing.
    assert lines[3:] == [
        "• Vahvuus: Autamme toisiamme. – 1",
        "• Vahvuus: Hyvä huumori. – 0",
        "• Ei liitetty suunnitelmaan – 2",
    ]


def test_the_summary_speaks_swedish_and_english_and_fits_a_card() -> None:
    successes = [success(10), success()]
    assert success_summary(successes, PLAN, "sv").split("\n")[:2] == [
        "*Framgångar (2)*",
        "• Område 1: Työvuorot ennakoitaviksi. – 1",
    ]
    english = success_summary(successes, PLAN, "en")
    assert english.endswith("• Strength: Hyvä huumori. – 0\n• Not tied to the plan – 1")
    card = Card("evaluation", "x", (Text(success_summary([success(10)] * 500, PLAN, "fi")),))
    assert card_problems(card) == []


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fi", "*Onnistumiset:* yhtään ei ole vielä kirjattu."),
        ("sv", "*Framgångar:* inga antecknade ännu."),
        ("en", "*Successes:* none written down yet."),
    ],
)
def test_no_successes_says_so(language: str, expected: str) -> None:
    assert success_summary([], PLAN, language) == expected


def test_without_a_plan_every_success_is_unlinked() -> None:
    assert success_summary([success(10), success()], None, "en") == "*Successes (2)*\n• Not tied to the plan – 2"
