"""The plan's rules: at most three strengths and targets, and a follow-up at most three months apart."""

from __future__ import annotations

from datetime import date

import pytest

from bot.dimensions import Dimension
from bot.errors import DomainError
from bot.months import add_months
from bot.plan import ActionStatus, DevelopmentPlan, PlanAction, Strength, Target


def plan_with(strengths: int, targets: int, *, actions: bool = True) -> DevelopmentPlan:
    plan = DevelopmentPlan(team_id=1, year=2026)
    for n in range(strengths):
        plan = plan.with_strength(Strength(f"vahvuus {n}"))
    for n in range(targets):
        target = Target(f"kohde {n}", goal=f"tavoite {n}")
        plan = plan.with_target(target.with_action(PlanAction(f"toimenpide {n}")) if actions else target)
    return plan


def test_a_fourth_strength_or_target_is_refused_with_the_limit() -> None:
    full = plan_with(3, 3)
    for add in (lambda p: p.with_strength(Strength("neljäs")), lambda p: p.with_target(Target("neljäs"))):
        with pytest.raises(DomainError) as raised:
            add(full)
        assert raised.value.params == {"max": 3}
        assert "3" in raised.value.message("fi") and "3" in raised.value.message("sv")
    assert len(full.strengths) == 3 and len(full.targets) == 3


def test_blank_text_is_refused() -> None:
    with pytest.raises(DomainError) as raised:
        plan_with(0, 0).with_target(Target("   "))
    assert raised.value.key == "plan.empty_text"


def test_agreeing_needs_a_strength_and_a_target() -> None:
    with pytest.raises(DomainError) as no_target:
        plan_with(1, 0).agree(date(2026, 3, 1))
    assert no_target.value.key == "plan.needs_target"
    with pytest.raises(DomainError) as no_strength:
        plan_with(0, 1).agree(date(2026, 3, 1))
    assert no_strength.value.key == "plan.needs_strength"
    assert plan_with(1, 1).agree(date(2026, 3, 1)).agreed_on == date(2026, 3, 1)


def test_a_plan_is_not_agreed_while_a_target_has_no_action_and_the_refusal_names_it() -> None:
    plan = plan_with(1, 1)
    bare = plan.with_target(Target("Perehdytys", goal="Uusi työntekijä tietää, keneltä kysyä."))
    with pytest.raises(DomainError) as raised:
        bare.agree(date(2026, 3, 1))
    assert raised.value.key == "plan.target_needs_action"
    assert raised.value.message("fi") == (
        "Suunnitelmasta ei voi vielä sopia: kehittämiskohteella 2 ”Perehdytys” ei ole yhtään toimenpidettä. "
        "Lisää sille toimenpide ja vastuuhenkilö, niin kohde ei jää toiveeksi."
    )
    assert "utvecklingsområde 2 ”Perehdytys” har ingen åtgärd" in raised.value.message("sv")
    assert "development target 2 “Perehdytys” has no action" in raised.value.message("en")


def test_the_target_and_its_goal_are_two_fields_and_the_target_is_required() -> None:
    target = Target("Perehdytys", (), "Kummi jokaiselle uudelle", goal="Uusi työntekijä tietää, keneltä kysyä.")
    assert (target.title, target.goal, target.practice) == (
        "Perehdytys",
        "Uusi työntekijä tietää, keneltä kysyä.",
        "Kummi jokaiselle uudelle",
    )
    with pytest.raises(DomainError) as raised:
        plan_with(0, 0).with_target(Target("  ", goal="Tavoite ilman kohdetta"))
    assert raised.value.key == "plan.empty_text"


def test_a_follow_up_keeps_what_was_decided_and_the_history_grows() -> None:
    plan = plan_with(1, 1).agree(date(2026, 3, 10))
    first = plan.record_follow_up(date(2026, 5, 20), "  Varahenkilölista maaliskuuhun.  ")
    second = first.record_follow_up(date(2026, 8, 1))
    assert [(f.held_on, f.note) for f in second.follow_ups] == [
        (date(2026, 5, 20), "Varahenkilölista maaliskuuhun."),
        (date(2026, 8, 1), ""),
    ]
    with pytest.raises(DomainError) as raised:
        plan.record_follow_up(date(2026, 5, 20), "x" * 501)
    assert raised.value.key == "plan.follow_up_note_too_long" and "500" in raised.value.message("sv")


def test_an_action_past_its_day_and_not_done_is_late() -> None:
    due = date(2026, 4, 1)
    assert PlanAction("a", due_on=due).is_late(date(2026, 4, 2))
    assert not PlanAction("a", due_on=due).is_late(due)  # its own day is still in time
    assert not PlanAction("a", due_on=due, status=ActionStatus.DONE).is_late(date(2026, 5, 1))
    assert not PlanAction("a").is_late(date(2030, 1, 1))  # no day, never late


@pytest.mark.parametrize(
    ("start", "due"),
    [
        (date(2026, 3, 10), date(2026, 6, 10)),
        (date(2026, 11, 30), date(2027, 2, 28)),  # no 30 February: the month's last day
        (date(2027, 11, 30), date(2028, 2, 29)),  # leap year
        (date(2026, 10, 15), date(2027, 1, 15)),  # over the new year
    ],
)
def test_next_follow_up_is_due_three_months_after_agreeing(start: date, due: date) -> None:
    assert plan_with(1, 1).agree(start).next_follow_up_due == due


def test_a_follow_up_restarts_the_clock_and_late_dates_are_refused() -> None:
    plan = plan_with(1, 1).agree(date(2026, 3, 10))
    plan.check_follow_up_date(date(2026, 6, 10))
    with pytest.raises(DomainError) as raised:
        plan.check_follow_up_date(date(2026, 6, 11))
    assert raised.value.key == "plan.follow_up_too_late" and raised.value.params == {"due": date(2026, 6, 10)}
    assert "10.6.2026" in raised.value.message("fi") and "10 Jun 2026" in raised.value.message("en")
    followed = plan.record_follow_up(date(2026, 5, 20))
    assert followed.next_follow_up_due == date(2026, 8, 20)
    assert not followed.is_follow_up_overdue(date(2026, 8, 20))
    assert followed.is_follow_up_overdue(date(2026, 8, 21))
    with pytest.raises(DomainError):
        plan.check_follow_up_date(date(2026, 3, 1))


def test_a_plan_not_yet_agreed_has_no_follow_up_clock() -> None:
    plan = plan_with(1, 1)
    assert plan.next_follow_up_due is None and not plan.is_follow_up_overdue(date(2030, 1, 1))
    with pytest.raises(DomainError):
        plan.check_follow_up_date(date(2026, 5, 1))


def test_action_counts_by_status() -> None:
    target = Target("t").with_action(PlanAction("a", status=ActionStatus.DONE)).with_action(PlanAction("b"))
    counts = plan_with(1, 0).with_target(target).action_counts()
    assert counts[ActionStatus.DONE] == 1 and counts[ActionStatus.PLANNED] == 1 and counts[ActionStatus.STUCK] == 0


def test_add_months_clamps_to_the_end_of_month() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 12, 31), 2) == date(2027, 2, 28)
    assert add_months(date(2026, 5, 15), -6) == date(2025, 11, 15)


def test_a_target_or_strength_chosen_as_a_dimension_is_named_in_the_readers_language() -> None:
    # The choosing writes a chosen dimension's name in the team's language; its code names it for every reader.
    chosen = Target("Prosessit", (Dimension.PROCESSES,))
    assert [chosen.named(language) for language in ("fi", "sv", "en")] == ["Prosessit", "Processer", "Processes"]
    assert Strength("Belonging and identity", Dimension.BELONGING).named("fi") == "Yhteenkuuluvuus ja identiteetti"
    # Own words stay the team's own, whatever the dimensions.
    assert Target("Perehdytys", (Dimension.COMPETENCE,)).named("en") == "Perehdytys"
    assert Target("Prosessit", (Dimension.PROCESSES, Dimension.CULTURE)).named("en") == "Prosessit"
    # A refusal names it the same way.
    plan = plan_with(1, 0).with_target(chosen)
    with pytest.raises(DomainError) as raised:
        plan.agree(date(2026, 3, 1))
    assert "development target 1 “Processes” has no action" in raised.value.message("en")
    assert "kehittämiskohteella 1 ”Prosessit”" in raised.value.message("fi")
