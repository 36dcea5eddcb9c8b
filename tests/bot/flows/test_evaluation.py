"""The year-end evaluation: the supervisor answers it with the team, and next year's draft carries over what's left."""

from __future__ import annotations

from adapters.server.jobs_wiring import JobHandlers
from bot.evaluation import Outcome
from bot.plan import DevelopmentPlan
from scheduler.planner import JobKind
from storage.evaluation_repository import EvaluationRepository
from storage.plan_repository import PlanRepository
from tests.bot.flows.conftest import Clock, Demo
from tests.bot.flows.fake_chat import FakeChat, Posted


def year_plan(demo: Demo) -> DevelopmentPlan:
    plan = PlanRepository(demo.db).current(demo.team("kotihoito").id)
    assert plan is not None and plan.agreed_on is not None
    return plan


def open_form(chat: FakeChat, demo: Demo, clock: Clock) -> Posted:
    """The calendar's evaluation step reaches the supervisor, whose button opens the form in place."""
    pirjo = demo.supervisor("kotihoito")
    chat.deliver(JobHandlers(demo.db)(JobKind.EVALUATION, demo.team("kotihoito").id, False, clock.now))
    step = chat.last_card(pirjo)
    assert "Arvioi vuosi" in step.text
    (form,) = chat.tap(pirjo, "Arvioi vuosi", on=step)
    return form


def test_the_evaluation_is_answered_per_target_and_strength_and_stored(
    chat: FakeChat, demo: Demo, clock: Clock
) -> None:
    pirjo = demo.supervisor("kotihoito")
    plan = year_plan(demo)
    first, second = plan.targets
    form = open_form(chat, demo, clock)
    assert "Vuoden arviointi: Kotihoito (2026)" in form.text
    assert "Toimenpiteistä valmiina 1/2" in form.text
    assert "Saavutettiinko? Saavutettiin | Osittain | Ei saavutettu" in form.text
    assert "Pysyikö vahvuus 1: Autamme toisiamme kiireen keskellä." in form.text

    # Only the first target answered: the form comes back saying what is missing, with everything typed kept.
    chat.pick(pirjo, "Saavutettiin", question=f"eval_outcome_{first.id}", on=form)
    typed = {f"eval_helped_{first.id}": "Yhteinen toivetaulukko", f"eval_next_{second.id}": "Kahdenkeskiset syksyllä"}
    (again,) = chat.tap(pirjo, "Tallenna arviointi", on=form, form=typed)
    assert again is form and "Valitse vielä kehittämiskohteelle 2, saavutettiinko se." in again.text
    assert "[Saavutettiin]" in again.text
    inputs = {b.id: b.initial for b in again.card.blocks if hasattr(b, "initial")}
    assert inputs[f"eval_helped_{first.id}"] == "Yhteinen toivetaulukko"
    assert inputs[f"eval_next_{second.id}"] == "Kahdenkeskiset syksyllä"
    assert EvaluationRepository(demo.db).for_plan(plan.id or 0) is None  # nothing half-saved

    chat.pick(pirjo, "Osittain", question=f"eval_outcome_{second.id}", on=again)
    for strength, label in zip(plan.strengths, ("Pysyi", "Ei pysynyt"), strict=True):
        chat.pick(pirjo, label, question=f"eval_kept_{strength.id}", on=again)
    picked = {**typed, f"eval_outcome_{first.id}": "achieved"}
    saved, draft = chat.tap(pirjo, "Tallenna arviointi", on=again, form=picked)
    assert saved is form and "Arviointi tallennettu: Kotihoito (2026)" in saved.text
    assert "Saavutettiin" in saved.text and "Auttoi: Yhteinen toivetaulukko" in saved.text
    assert "Seuraavaksi: Kahdenkeskiset syksyllä" in saved.text
    assert "Vahvuus ”Autamme toisiamme kiireen keskellä.”: Pysyi" in saved.text

    stored = EvaluationRepository(demo.db).for_plan(plan.id or 0)
    assert stored is not None and [t.outcome for t in stored.targets] == [Outcome.ACHIEVED, Outcome.PARTLY]
    assert [s.kept for s in stored.strengths] == [True, False]

    # The draft offers the unfinished actions (not the done ones) and the "what next".
    assert "Suunnitelmaluonnos 2027: Kotihoito" in draft.text
    assert "Kesken jäänyt toimenpide: Varahenkilöiden lista päivitetään" in draft.text
    assert "Kesken jäänyt toimenpide: Kahdenkeskiset keskustelut kaikkien kanssa" in draft.text
    assert "Mitä seuraavaksi: Kahdenkeskiset syksyllä" in draft.text
    assert "Yhteinen toivetaulukko käyttöön" not in draft.text  # done
    assert "Päättämättä: 3." in draft.text


def test_the_team_keeps_or_drops_each_carried_item_into_next_years_draft(
    chat: FakeChat, demo: Demo, clock: Clock
) -> None:
    pirjo = demo.supervisor("kotihoito")
    plan = year_plan(demo)
    first, second = plan.targets
    form = open_form(chat, demo, clock)
    answers = {f"eval_outcome_{t.id}": "partly" for t in plan.targets}
    answers |= {f"eval_kept_{s.id}": "yes" for s in plan.strengths}
    answers[f"eval_next_{second.id}"] = "Palautekierros keväällä"
    _, draft = chat.tap(pirjo, "Tallenna arviointi", on=form, form=answers)

    backup = "Kesken jäänyt toimenpide: Varahenkilöiden lista päivitetään"
    talks = "Kesken jäänyt toimenpide: Kahdenkeskiset keskustelut kaikkien kanssa"
    question = next(b.id for b in draft.card.blocks if getattr(b, "prompt", "").startswith(backup))
    chat.tap(pirjo, "Mukaan", on=draft, question=question)
    assert "✓ Mukana: Varahenkilöiden lista päivitetään" in draft.text and "Päättämättä: 2." in draft.text
    chat.press(pirjo, "evaluation.carry", f"carry:{question.removeprefix('carry-')}:dropped", on=draft)
    assert "✓ Mukana: Varahenkilöiden lista päivitetään" in draft.text  # a second tap from another card: no change
    question = next(b.id for b in draft.card.blocks if getattr(b, "prompt", "").startswith(talks))
    chat.tap(pirjo, "Pois", on=draft, question=question)
    question = next(b.id for b in draft.card.blocks if getattr(b, "prompt", "").startswith("Mitä seuraavaksi"))
    chat.tap(pirjo, "Mukaan", on=draft, question=question)
    assert "✗ Jätetty pois: Kahdenkeskiset keskustelut kaikkien kanssa" in draft.text
    assert "Kaikki on päätetty." in draft.text and "Muokkaa luonnosta" in draft.text

    next_year = PlanRepository(demo.db).current(demo.team("kotihoito").id)
    assert next_year is not None and next_year.year == 2027 and next_year.agreed_on is None
    assert [t.title for t in next_year.targets] == [first.title, second.title]
    assert [[a.text for a in t.actions] for t in next_year.targets] == [
        ["Varahenkilöiden lista päivitetään"],
        ["Palautekierros keväällä"],
    ]
    assert next_year.targets[0].actions[0].owner_id == first.actions[1].owner_id  # the owner comes along

    # "Muokkaa luonnosta" opens the edit card of the draft, where the team goes on.
    edit = chat.tap(pirjo, "Muokkaa luonnosta", on=draft)
    assert "Varahenkilöiden lista päivitetään" in edit[-1].text


def test_only_the_supervisor_evaluates_and_a_forged_press_finds_nothing(chat: FakeChat, demo: Demo) -> None:
    anna = demo.person("Anna")
    assert "esihenkilö" in chat.say(anna, "arviointi")[0].text
    assert "Vuoden arviointi: Kotihoito" in chat.say(demo.supervisor("kotihoito"), "arvioi")[0].text
    marja_team = demo.team("ruokapalvelu")
    refused = chat.press(demo.supervisor("kotihoito"), "evaluation.open", f"team:{marja_team.id}")
    assert "En löydä tätä" in refused[0].text
    assert "En löydä tätä" in chat.press(demo.supervisor("kotihoito"), "evaluation.carry", "carry:99:kept")[0].text
    assert "En löydä tätä" in chat.press(demo.supervisor("kotihoito"), "evaluation.save", "plan:x")[0].text


def test_the_evaluation_speaks_swedish_and_english(chat: FakeChat, demo: Demo) -> None:
    pirjo = demo.supervisor("kotihoito")
    chat.say(pirjo, "språk sv")
    form = chat.say(pirjo, "utvärdering")[0]
    assert "Årets utvärdering: Kotihoito (2026)" in form.text
    assert "Nåddes det? Nåddes | Delvis | Nåddes inte" in form.text
    (again,) = chat.tap(pirjo, "Spara utvärderingen", on=form)
    assert "Välj ännu för utvecklingsområde 1 om det nåddes." in again.text
    chat.say(pirjo, "language en")
    form = chat.say(pirjo, "evaluation")[0]
    assert "Year-end evaluation: Kotihoito (2026)" in form.text and "Was strength 2 kept" in form.text
    (again,) = chat.tap(pirjo, "Save the evaluation", on=form)
    assert "Please pick whether target 1 was achieved." in again.text
