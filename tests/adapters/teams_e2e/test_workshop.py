"""Teams end to end: small groups given their targets from one Adaptive Card, and a need carried to the organisation."""

from __future__ import annotations

import json
from typing import Any

from storage.need_repository import NeedRepository
from storage.plan_repository import PlanRepository
from tests.adapters.teams_e2e.conftest import Tenant, teams_id
from tests.adapters.teams_e2e.test_events import submits
from tests.fakes import teams_activities as make


def _submit(posted: dict[str, Any], title: str) -> dict[str, Any]:
    return next(a["data"] for a in submits(posted) if a["title"] == title)


async def test_groups_get_their_targets_and_a_need_goes_to_the_list_in_teams(tenant: Tenant) -> None:
    demo, connector = tenant.demo, tenant.connector
    pirjo = teams_id(demo.supervisor("kotihoito"))
    anna, elina = demo.person("Anna"), demo.person("Elina")
    plan = PlanRepository(demo.db).current(demo.team("kotihoito").id)
    assert plan is not None
    await tenant.post(make.message(connector.url, pirjo, "työpaja"))
    card = connector.sent[-1][1]
    body = card["attachments"][0]["content"]["body"]
    assert [e["isMultiSelect"] for e in body if e["type"] == "Input.ChoiceSet"] == [True] * len(plan.targets)
    # A multiple ChoiceSet sends its picks comma-separated.
    picks = {f"group_{plan.targets[0].id}": f"{anna.id},{elina.id}"}
    await tenant.post(
        make.card_submit(connector.url, pirjo, {**_submit(card, "Lähetä ryhmille"), **picks}, reply_to="g-1")
    )
    sent = json.dumps([activity for _, activity in connector.sent], ensure_ascii=False)
    assert "Ryhmäsi valmistelee kehittämiskohdetta 1" in sent and "Ryhmässäsi ovat myös Elina Salo." in sent
    assert "Lähetetty." in json.dumps(connector.updated[-1][2], ensure_ascii=False)

    await tenant.post(make.message(connector.url, pirjo, "tarve"))
    form = connector.sent[-1][1]
    typed = {"about": "follow_up", "kind": "policy", "text": "Etätyön linjaus"}
    await tenant.post(
        make.card_submit(connector.url, pirjo, {**_submit(form, "Vie listalle"), **typed}, reply_to="n-1")
    )
    assert "Viety työhyvinvointikoordinaattorin listalle" in json.dumps(connector.updated[-1][2], ensure_ascii=False)
    [need] = NeedRepository(demo.db).for_organisation(demo.org.id)
    assert need.text == "Etätyön linjaus"
