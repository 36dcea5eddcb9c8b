"""Teams end to end: the year-end evaluation answered on one Adaptive Card, and next year's draft decided there."""

from __future__ import annotations

import json
from typing import Any

from storage.evaluation_repository import EvaluationRepository
from storage.plan_repository import PlanRepository
from tests.adapters.teams_e2e.conftest import Tenant, teams_id
from tests.adapters.teams_e2e.test_events import submits
from tests.fakes import teams_activities as make


def _submit(posted: dict[str, Any], title: str) -> dict[str, Any]:
    return next(a["data"] for a in submits(posted) if a["title"] == title)


async def test_the_evaluation_is_answered_in_teams_and_an_item_kept_into_the_draft(tenant: Tenant) -> None:
    demo, connector = tenant.demo, tenant.connector
    pirjo = teams_id(demo.supervisor("kotihoito"))
    plan = PlanRepository(demo.db).current(demo.team("kotihoito").id)
    assert plan is not None and plan.id is not None
    await tenant.post(make.message(connector.url, pirjo, "arviointi"))
    form = connector.sent[-1][1]
    body = form["attachments"][0]["content"]["body"]
    choice_sets = [e for e in body if e["type"] == "Input.ChoiceSet"]
    assert len(choice_sets) == len(plan.targets) + len(plan.strengths)
    assert all(e["style"] == "expanded" for e in choice_sets)

    # Action.Submit merges the card's inputs into its data: a missing outcome brings the card back, text kept.
    save = _submit(form, "Tallenna arviointi")
    typed = {f"eval_outcome_{plan.targets[0].id}": "achieved", f"eval_next_{plan.targets[0].id}": "Lista keväällä"}
    await tenant.post(make.card_submit(connector.url, pirjo, {**save, **typed}, reply_to="form-1"))
    (_, _, back) = connector.updated[-1]
    written = json.dumps(back, ensure_ascii=False)
    assert "Valitse vielä kehittämiskohteelle 2" in written and "Lista keväällä" in written

    answers = {**typed, f"eval_outcome_{plan.targets[1].id}": "not_achieved"}
    answers |= {f"eval_kept_{s.id}": "no" for s in plan.strengths}
    await tenant.post(make.card_submit(connector.url, pirjo, {**save, **answers}, reply_to="form-1"))
    assert "Arviointi tallennettu" in json.dumps(connector.updated[-1][2], ensure_ascii=False)
    draft = connector.sent[-1][1]
    assert "Suunnitelmaluonnos 2027: Kotihoito" in json.dumps(draft, ensure_ascii=False)
    keep = next(a["data"] for a in submits(draft) if a["title"] == "Mukaan")
    await tenant.post(make.card_submit(connector.url, pirjo, keep, reply_to="draft-1"))
    assert "✓ Mukana" in json.dumps(connector.updated[-1][2], ensure_ascii=False)

    stored = EvaluationRepository(demo.db).for_plan(plan.id)
    assert stored is not None and [s.kept for s in stored.strengths] == [False, False]
    next_year = PlanRepository(demo.db).current(demo.team("kotihoito").id)
    assert next_year is not None and next_year.year == 2027 and len(next_year.targets) == 1
