"""Plans round-trip through the database on both backends, keep their ids, and record follow-ups."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from bot.dimensions import Dimension
from bot.errors import DomainError
from bot.plan import ActionStatus, DevelopmentPlan, PlanAction, Strength, Target
from storage.db import Database
from storage.plan_repository import PlanRepository
from tests.storage_helpers import make_org


def a_plan(team_id: int, owner_id: int) -> DevelopmentPlan:
    return (
        DevelopmentPlan(team_id=team_id, year=2026)
        .with_strength(Strength("Autamme toisiamme", Dimension.BELONGING))
        .with_target(
            Target(
                "Ennakoitavat työvuorot",
                goal="Vuorolista kolme viikkoa etukäteen",
                dimensions=(Dimension.PROCESSES, Dimension.SAFETY),
                practice="Lista kolme viikkoa etukäteen",
                follow_up="Kuukausipalaverissa",
            ).with_action(PlanAction("Toivetaulukko", owner_id, date(2026, 4, 1), due_words="huhtikuun alussa"))
        )
        .agree(date(2026, 3, 10))
    )


def test_a_saved_plan_reads_back_the_same(db: Database) -> None:
    org = make_org(db, {"kotihoito": 6})
    team = org.teams[0]
    repo = PlanRepository(db)
    saved = repo.save(a_plan(team.id, owner_id=_first_member(db)))
    assert saved.id is not None and saved.targets[0].id is not None
    loaded = repo.current(team.id)
    assert loaded == saved
    assert loaded.targets[0].dimensions == (Dimension.PROCESSES, Dimension.SAFETY)
    assert (loaded.targets[0].title, loaded.targets[0].goal) == (
        "Ennakoitavat työvuorot",
        "Vuorolista kolme viikkoa etukäteen",
    )
    assert loaded.targets[0].actions[0].due_on == date(2026, 4, 1)
    assert loaded.targets[0].actions[0].due_words == "huhtikuun alussa"
    assert loaded.next_follow_up_due == date(2026, 6, 10)


def test_editing_keeps_child_ids_and_removes_what_was_dropped(db: Database) -> None:
    org = make_org(db, {"kotihoito": 6})
    repo = PlanRepository(db)
    saved = repo.save(a_plan(org.teams[0].id, _first_member(db)))
    target = saved.targets[0]
    action = replace(target.actions[0], status=ActionStatus.DONE)
    edited = replace(saved, targets=(replace(target, actions=(action,)),), strengths=())
    again = repo.save(edited.with_strength(Strength("Huumori")))
    assert again.targets[0].id == target.id and again.targets[0].actions[0].id == action.id
    assert again.targets[0].actions[0].status is ActionStatus.DONE
    assert [s.text for s in again.strengths] == ["Huumori"]


def test_follow_up_restarts_the_three_month_clock(db: Database) -> None:
    org = make_org(db, {"kotihoito": 6})
    repo = PlanRepository(db)
    saved = repo.save(a_plan(org.teams[0].id, _first_member(db)))
    assert saved.id is not None
    after = repo.record_follow_up(saved.id, date(2026, 5, 31))
    assert after.next_follow_up_due == date(2026, 8, 31)
    assert repo.current(org.teams[0].id).last_follow_up_on == date(2026, 5, 31)  # type: ignore[union-attr]
    assert repo.follow_up_dates(saved.id) == [date(2026, 5, 31)]
    with pytest.raises(DomainError) as raised:
        repo.record_follow_up(saved.id, date(2026, 1, 1))
    assert raised.value.key == "plan.follow_up_before_agreed"
    assert repo.follow_up_dates(saved.id) == [date(2026, 5, 31)]


def test_a_follow_up_keeps_its_note_and_a_save_leaves_the_history_alone(db: Database) -> None:
    org = make_org(db, {"kotihoito": 6})
    repo = PlanRepository(db)
    saved = repo.save(a_plan(org.teams[0].id, _first_member(db)))
    assert saved.id is not None
    repo.record_follow_up(saved.id, date(2026, 4, 20), "Toivetaulukko käyttöön huhtikuussa.")
    after = repo.record_follow_up(saved.id, date(2026, 5, 31))
    history = [(f.held_on, f.note) for f in after.follow_ups]
    assert history == [(date(2026, 4, 20), "Toivetaulukko käyttöön huhtikuussa."), (date(2026, 5, 31), "")]
    edited = repo.save(replace(after, strengths=(Strength("Huumori"),), follow_ups=()))
    assert [(f.held_on, f.note) for f in edited.follow_ups] == history


def _first_member(db: Database) -> int:
    from storage.org_repository import OrganisationRepository

    return OrganisationRepository(db).members()[0].id


def test_every_current_plan_and_follow_up_reads_back_as_one_by_one(db: Database) -> None:
    org = make_org(db, {"kotihoito": 6, "ruoka": 5, "siivous": 5})
    repo = PlanRepository(db)
    owner = _first_member(db)
    held = {}
    for team, day in zip(org.teams[:2], (date(2026, 5, 31), date(2026, 6, 2)), strict=False):
        saved = repo.save(a_plan(team.id, owner).with_target(Target("Toinen", actions=(PlanAction("Teko"),))))
        assert saved.id is not None
        repo.record_follow_up(saved.id, day)
        held[saved.id] = [day]
    repo.save(replace(a_plan(org.teams[0].id, owner), year=2027))  # a newer plan replaces the team's current one

    every = {plan.team_id: plan for plan in repo.all_current()}

    assert every == {team.id: repo.current(team.id) for team in org.teams[:2]}
    assert every[org.teams[0].id].year == 2027 and len(every[org.teams[1].id].targets) == 2
    assert repo.all_follow_up_dates() == held  # by plan id, the replaced plan's too
