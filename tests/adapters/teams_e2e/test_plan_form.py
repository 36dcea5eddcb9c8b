"""Teams end to end: a plan form submitted with one bad field comes back as the card with every input as typed."""

from __future__ import annotations

from typing import Any

from storage.plan_repository import PlanRepository
from tests.adapters.teams_e2e.conftest import Tenant, teams_id
from tests.adapters.teams_e2e.test_events import submits
from tests.fakes import teams_activities as make

CARD = "1700000000042"  # the edit card's activity id, as Teams names it in replyToId


def button(activity: dict[str, Any], title: str) -> dict[str, Any]:
    [found] = [action for action in submits(activity) if action["title"] == title]
    return found


def inputs(activity: dict[str, Any]) -> dict[str, Any]:
    """What the card's inputs show: Teams fills each from its `value`."""
    body = activity["attachments"][0]["content"]["body"]
    return {element["id"]: element.get("value") for element in body if element["type"].startswith("Input.")}


async def test_a_plan_form_refused_for_one_field_comes_back_with_every_input_as_typed(tenant: Tenant) -> None:
    demo, connector = tenant.demo, tenant.connector
    pirjo, ahmed = teams_id(demo.supervisor("kotihoito")), demo.person("Ahmed")
    before = PlanRepository(demo.db).current(demo.team("kotihoito").id)
    await tenant.post(make.message(connector.url, pirjo, "päivitä"))
    add = button(connector.sent[-1][1], "Lisää toimenpide kohteeseen 1")
    await tenant.post(make.card_submit(connector.url, pirjo, add["data"], reply_to=CARD))
    (_, updated, form) = connector.updated[-1]
    assert updated == CARD and inputs(form)["action_text"] is None  # an empty form in place of the card

    # Action.Submit merges the card's inputs into its data (learn.microsoft.com/adaptive-cards, Action.Submit).
    typed = {
        "action_text": "Vuorolistat kahdeksi viikoksi eteenpäin",
        "action_owner": str(ahmed.id),
        "action_due": "joskus keväällä",
        "action_status": "in_progress",
    }
    save = button(form, "Tallenna")
    status, _ = await tenant.post(make.card_submit(connector.url, pirjo, {**save["data"], **typed}, reply_to=CARD))
    assert status == 200
    (_, updated, again) = connector.updated[-1]
    assert updated == CARD and inputs(again) == typed  # nothing typed is lost when Teams redraws the card
    assert "En saanut aikataulusta selvää" in str(again["attachments"][0]["content"]["body"][1])
    told = connector.sent[-1][1]["text"]
    assert "En saanut aikataulusta selvää" in told and "”viikolla 12”" in told
    assert PlanRepository(demo.db).current(demo.team("kotihoito").id) == before

    fixed = {**save["data"], **typed, "action_due": "viikolla 12"}
    await tenant.post(make.card_submit(connector.url, pirjo, fixed, reply_to=CARD))
    assert "Aikatauluksi kirjattiin 22.3.2027 (”viikolla 12”)." in connector.sent[-1][1]["text"]
    after = PlanRepository(demo.db).current(demo.team("kotihoito").id)
    assert after is not None and str(after.targets[0].actions[-1].due_on) == "2027-03-22"
