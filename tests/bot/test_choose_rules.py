"""Me – us – all of us without a chat: pairing, the tally, reading a person's picks, confirming and card limits."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.calendar import AnnualCalendar, StepKind, default_calendar
from bot.card_limits import card_problems
from bot.dimensions import Dimension
from bot.errors import DomainError
from bot.flows.choose_cards import MAX_OPTIONS, confirm_card, control_card, me_card, pair_card, tally_card
from bot.flows.choose_confirm import confirm_choices
from bot.flows.choose_figures import TeamFigures
from bot.flows.choose_merge import MAX_SUGGESTIONS, Merge, near_duplicates, parse_merge
from bot.flows.choose_model import MAX_OWN_WORDS, ChooseSession, Pick, PickKind, Stage, own_words, read_picks
from bot.flows.choose_pairing import pair_of, pair_up
from bot.flows.choose_tally import TallyItem, of_kind, tally, words_key
from bot.flows.choose_year import plan_year
from bot.organisation import Team
from bot.plan import DevelopmentPlan, Strength, Target

S, T = PickKind.STRENGTH, PickKind.TARGET

# --- Pairing ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("people", [2, 3, 4, 5, 13, 14])
def test_everyone_is_paired_once_and_an_odd_one_makes_one_trio(people: int) -> None:
    pairs = pair_up(range(people), random.Random(1))
    assert sorted(m for pair in pairs for m in pair) == list(range(people))
    sizes = sorted(len(pair) for pair in pairs)
    assert sizes == [2] * (people // 2 - 1) + [2 + people % 2]


def test_pairs_depend_on_the_seed_only_not_on_the_order_given() -> None:
    ids = [11, 3, 7, 20, 5, 8]
    assert pair_up(ids, random.Random(9)) == pair_up(reversed(ids), random.Random(9))
    assert pair_up(ids + ids, random.Random(9)) == pair_up(ids, random.Random(9))  # one person is one person
    drawn = {pair_up(ids, random.Random(seed)) for seed in range(20)}
    assert len(drawn) > 1  # and the seed does change the pairs


def test_one_person_cannot_be_paired() -> None:
    with pytest.raises(DomainError) as error:
        pair_up([4], random.Random(1))
    assert error.value.key == "choose.too_few_to_pair" and error.value.params == {"count": 1, "min": 2}


def test_pair_of_finds_a_persons_pair_or_nothing() -> None:
    pairs = ((1, 2), (3, 4, 5))
    assert pair_of(pairs, 4) == (3, 4, 5) and pair_of(pairs, 9) == ()


# --- Tally ------------------------------------------------------------------------------------------------


def test_the_tally_counts_per_item_most_picked_first_and_carries_no_people() -> None:
    picks = [
        Pick(1, S, "FE"),
        Pick(2, S, "YI"),
        Pick(3, S, "YI"),
        Pick(1, T, "Kahvitauot yhdessä"),
        Pick(2, T, "  kahvitauot   YHDESSÄ "),
        Pick(3, T, "PR"),
        Pick(3, S, "Huumori"),
    ]
    items = tally(picks)
    assert [(i.key, i.count) for i in of_kind(items, S)] == [("YI", 2), ("FE", 1), (words_key("huumori"), 1)]
    targets = of_kind(items, T)
    assert [(i.text, i.count) for i in targets] == [("Kahvitauot yhdessä", 2), ("", 1)]
    assert targets[1].dimension is Dimension.PROCESSES
    assert not any(hasattr(item, "member_id") for item in items)


def test_own_words_keys_are_short_and_ignore_case_and_spaces() -> None:
    assert words_key("Hyvä  Henki") == words_key(" hyvä henki") != words_key("hyvä henki!")
    assert len(words_key("x" * 200)) <= 11


def test_an_empty_tally_is_empty() -> None:
    assert tally([]) == ()


# --- Reading a person's picks ------------------------------------------------------------------------------


def test_picks_are_read_from_the_selects_and_own_words() -> None:
    form = {"strengths": "FE,YI", "strengths_own": "Huumori", "targets": "", "targets_own": "Perehdytys\n\n• Palaverit"}
    assert read_picks(7, form) == (
        Pick(7, S, "FE"),
        Pick(7, S, "YI"),
        Pick(7, S, "Huumori"),
        Pick(7, T, "Perehdytys"),
        Pick(7, T, "Palaverit"),
    )


@pytest.mark.parametrize(
    ("form", "key"),
    [
        ({"strengths": "FE,YI,PL,SW"}, "choose.too_many_strengths"),
        ({"strengths": "FE,YI", "strengths_own": "a\nb"}, "choose.too_many_strengths"),
        ({"targets_own": "a;b;c;d"}, "choose.too_many_targets"),
        ({"strengths": "FE,QQ"}, "choose.unknown_choice"),
        ({"targets_own": "x" * (MAX_OWN_WORDS + 1)}, "choose.own_words_too_long"),
        ({}, "choose.nothing_picked"),
        ({"strengths": " , ", "targets_own": "\n  \n"}, "choose.nothing_picked"),
    ],
)
def test_bad_picks_are_refused_with_a_clear_key(form: dict[str, str], key: str) -> None:
    with pytest.raises(DomainError) as error:
        read_picks(1, form)
    assert error.value.key == key


def test_repeats_count_once_and_own_words_naming_a_picked_dimension_are_that_dimension() -> None:
    picks = read_picks(1, {"strengths": "FE,FE,YI", "strengths_own": "Huumori\nHUUMORI\nFE"})
    assert [p.choice for p in picks] == ["FE", "YI", "Huumori"]


def test_own_words_are_tidied() -> None:
    assert own_words("  - eka  kohta \n* toka;  kolmas ;") == ["eka kohta", "toka", "kolmas"]
    assert own_words(None) == []


# --- Confirming into the plan -----------------------------------------------------------------------------

ITEMS = tally(
    [Pick(m, S, code) for m, code in enumerate(("FE", "YI", "PL", "SW", "CO"))]
    + [Pick(m, T, code) for m, code in enumerate(("PR", "OC", "LE", "Perehdytys"))]
)


def test_confirmed_items_start_a_new_plan_in_the_teams_language() -> None:
    words = next(i.key for i in ITEMS if i.text == "Perehdytys")
    form = {"confirm_strengths": "YI", "confirm_targets": f"PR,{words}"}
    result = confirm_choices(ITEMS, form, None, team_id=4, year=2027, language="sv")
    assert result.plan.team_id == 4 and result.plan.year == 2027 and result.plan.id is None
    assert result.plan.strengths == (Strength("Samhörighet och identitet", Dimension.BELONGING),)
    assert result.plan.targets == (Target("Processer", (Dimension.PROCESSES,)), Target("Perehdytys"))
    assert [i.key for i in result.chosen] == ["YI", "PR", words]


def test_confirming_adds_to_the_existing_plan_and_its_rules_still_hold() -> None:
    plan = DevelopmentPlan(team_id=1, year=2026, strengths=(Strength("A"), Strength("B")), targets=(Target("C"),))
    added = confirm_choices(ITEMS, {"confirm_strengths": "FE"}, plan, team_id=1, year=2026, language="fi").plan
    assert [s.text for s in added.strengths] == ["A", "B", "Fyysinen ja emotionaalinen turvallisuus"]
    with pytest.raises(DomainError) as error:
        confirm_choices(ITEMS, {"confirm_strengths": "FE,YI"}, plan, team_id=1, year=2026, language="fi")
    assert error.value.key == "choose.confirm_too_many_strengths" and error.value.params == {"left": 1, "count": 2}


@pytest.mark.parametrize(
    ("form", "key"),
    [
        ({"confirm_strengths": "FE,YI,PL,SW"}, "choose.confirm_too_many_strengths"),
        ({"confirm_targets": "PR,OC,LE,PR,x"}, "choose.unknown_choice"),
        ({"confirm_strengths": "PR"}, "choose.unknown_choice"),  # a target's key is not a strength
        ({}, "choose.confirm_nothing"),
    ],
)
def test_confirming_refuses_too_many_unknown_or_nothing(form: dict[str, str], key: str) -> None:
    with pytest.raises(DomainError) as error:
        confirm_choices(ITEMS, form, None, team_id=1, year=2026, language="fi")
    assert error.value.key == key


def test_four_known_targets_are_too_many() -> None:
    keys = ",".join(i.key for i in of_kind(ITEMS, T))
    with pytest.raises(DomainError) as error:
        confirm_choices(ITEMS, {"confirm_targets": keys}, None, team_id=1, year=2026, language="fi")
    assert error.value.key == "choose.confirm_too_many_targets" and error.value.params == {"left": 3, "count": 4}


# --- Every card fits both platforms, even at its largest ---------------------------------------------------

NOW = datetime(2026, 11, 23, 8, tzinfo=UTC)
TEAM = Team(7, "iso", "Iso tiimi, jolla on aika pitkä nimi " * 3)
SESSION = ChooseSession(1, TEAM.id, 2, NOW, NOW + timedelta(days=14), Stage.ALL)


def _crowd(people: int) -> list[Pick]:
    """Everyone picks three of each kind, most in long own words with Finnish letters."""
    picks = []
    for member in range(people):
        for kind in PickKind:
            picks.append(Pick(member, kind, list(Dimension)[member % 8].value))
            picks += [Pick(member, kind, f"{member}-{n} ÄÖÅ " + "ä" * (MAX_OWN_WORDS - 12)) for n in range(2)]
    return picks


def _long_look_alikes() -> tuple[Merge, ...]:
    texts = []
    for n in range(6):
        texts += [(f"Perehdytys {n} " + "ä" * 170, 2), (f"Perehdytys {n} " + "ä" * 170 + " sijaisille", 1)]
    merges = near_duplicates(_words_tally(*texts))
    assert len(merges) == MAX_SUGGESTIONS
    return merges


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_largest_cards_fit_slack_and_teams(language: str) -> None:
    picks = _crowd(60)
    items = tally(picks)
    assert len(of_kind(items, S)) > MAX_OPTIONS
    plan = DevelopmentPlan(1, 2026, (Strength("A"),), (Target("B"),))
    names = {m: f"Henkilö Pitkänimi-{m} " * 4 for m in range(60)}
    trio = [p for p in picks if p.member_id in (1, 2, 3)]
    cards = [
        me_card(SESSION, TEAM, language, [p for p in picks if p.member_id == 5], saved=True),
        me_card(SESSION, TEAM, language, saved=False),
        me_card(SESSION, TEAM, language, saved=False, figures=TeamFigures({d: 12.5 for d in Dimension}, year=2026)),
        control_card(SESSION, TEAM, language, note="x" * 500, sent=60, members=60, pairs=30, closes_on=NOW.date()),
        pair_card(TEAM, (1, 2, 3), names, trio, language),
        tally_card(TEAM, items, 60, 5, language),
        confirm_card(SESSION, TEAM, items, plan, 2026, language, note="n"),
        confirm_card(SESSION, TEAM, items, None, 2026, language),
        confirm_card(SESSION, TEAM, items, plan, 2026, language, merges=_long_look_alikes()),
    ]
    for card in cards:
        assert card_problems(card) == [], card.kind


# --- Which year's plan a choosing feeds -----------------------------------------------------------------------


def test_a_choosing_feeds_this_years_plan_until_its_plan_step_and_next_years_after() -> None:
    calendar = default_calendar()  # the plan is written on 12.3.
    team = Team(1, "kotihoito", "Kotihoito")
    assert plan_year(calendar, team, date(2027, 2, 20)) == 2027
    assert plan_year(calendar, team, date(2027, 3, 12)) == 2027  # on the day itself the plan is still being written
    assert plan_year(calendar, team, date(2027, 3, 13)) == 2028
    assert plan_year(calendar, team, date(2027, 12, 7)) == 2028


def test_a_plan_step_for_other_units_or_turned_off_leaves_the_choosing_in_its_year() -> None:
    team = Team(1, "kotihoito", "Kotihoito")
    steps = default_calendar().steps
    others = tuple(replace(s, units=("ruokapalvelu",)) if s.kind is StepKind.PLAN else s for s in steps)
    off = tuple(replace(s, enabled=False) if s.kind is StepKind.PLAN else s for s in steps)
    late = tuple(replace(s, month=11, day=30, after=None) if s.kind is StepKind.PLAN else s for s in steps)
    assert plan_year(AnnualCalendar(others), team, date(2027, 12, 7)) == 2027
    assert plan_year(AnnualCalendar(off), team, date(2027, 12, 7)) == 2027
    assert plan_year(AnnualCalendar(late), team, date(2027, 11, 30)) == 2027
    assert plan_year(AnnualCalendar(late), team, date(2027, 12, 1)) == 2028


# --- Near-duplicate picks ---------------------------------------------------------------------------------------


def _words_tally(*texts: tuple[str, int], kind: PickKind = T) -> tuple[TallyItem, ...]:
    picks, member = [], 0
    for text, count in texts:
        for _ in range(count):
            picks.append(Pick(member, kind, text))
            member += 1
    return tally(picks)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Perehdytys", "Perehdytys uusille sijaisille"),
        ("Sijaisten perehdytys", "Perehdytys sijaisille"),
        ("Palaverit", "Palaverikäytännöt ja muistiot"),
        ("Introduktion", "Introduktion av nya vikarier"),
        ("Onboarding", "onboarding for new substitutes"),
    ],
)
def test_own_words_that_look_like_one_thing_are_offered_for_merging(first: str, second: str) -> None:
    (merge,) = near_duplicates(_words_tally((first, 2), (second, 1)))
    assert merge.kind is T and merge.into.text == first and merge.source.text == second  # the more picked is kept


@pytest.mark.parametrize(
    ("first", "second"),
    [("Palaverit", "Palautteet"), ("Työrauha", "Työvuorot"), ("Vuoro 1", "Vuoro 2"), ("Kiire", "Tiedonkulku")],
)
def test_different_things_are_not_offered_for_merging(first: str, second: str) -> None:
    assert near_duplicates(_words_tally((first, 1), (second, 1))) == ()


def test_on_a_tie_the_longer_name_is_kept_and_kinds_and_dimensions_never_mix() -> None:
    (merge,) = near_duplicates(_words_tally(("Perehdytys", 1), ("Perehdytys uusille sijaisille", 1)))
    assert merge.into.text == "Perehdytys uusille sijaisille"
    mixed = tally([Pick(1, S, "Perehdytys"), Pick(2, T, "Perehdytys uusille"), Pick(3, T, "CO"), Pick(4, T, "Osaa")])
    assert near_duplicates(mixed) == ()


def test_a_merge_buttons_value_is_read_back_and_a_forged_one_refused() -> None:
    (merge,) = near_duplicates(_words_tally(("Perehdytys", 2), ("Perehdytys uusille sijaisille", 1)))
    assert parse_merge(merge.value(12)) == (T, merge.source.key, merge.into.key)
    for forged in ("12", "12:x:a:b", "12:target::b", "12:target:a:b:c"):
        with pytest.raises(DomainError):
            parse_merge(forged)


# --- The figures beside the dimensions ----------------------------------------------------------------------


# Which survey row a team may see is bot.survey_view's rule, tested in tests/bot/test_survey_view.py.


def test_the_figures_order_targets_under_a_risk_limit_then_weakest_and_strengths_strongest() -> None:
    values = {Dimension.SAFETY: 78.0, Dimension.GOALS: 66.0, Dimension.PROCESSES: 63.0, Dimension.COMPETENCE: 82.0}
    figures = TeamFigures(values, year=2026)
    assert figures.below_risk_limit() == (Dimension.GOALS, Dimension.SAFETY)  # 4 points under before 2
    assert figures.weakest_first()[:4] == (Dimension.GOALS, Dimension.SAFETY, Dimension.PROCESSES, Dimension.COMPETENCE)
    assert figures.strongest_first()[:4] == (
        Dimension.COMPETENCE,
        Dimension.SAFETY,
        Dimension.GOALS,
        Dimension.PROCESSES,
    )
    without = set(Dimension) - set(values)
    assert set(figures.weakest_first()[4:]) == set(figures.strongest_first()[4:]) == without
