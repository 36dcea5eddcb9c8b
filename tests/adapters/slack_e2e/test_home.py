"""The App Home tab end to end: opening it publishes the team's plan, the calendar's next steps and recent successes."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from bot.organisation import Member
from bot.success import Success
from storage.success_repository import SuccessRepository
from tests.adapters.slack_e2e.conftest import Workspace, slack_id
from tests.bot.flows.conftest import START


def share_successes(workspace: Workspace, count: int) -> None:
    """`count` successes of Kotihoito, a day apart, the newest last; Anna shared them."""
    demo = workspace.demo
    anna = demo.person("Anna")
    repository = SuccessRepository(demo.db)
    for number in range(1, count + 1):
        posted = START - timedelta(days=count - number)
        repository.add(Success(demo.team("kotihoito").id, f"Onnistuminen {number}", posted, author_id=anna.id))


async def open_home(workspace: Workspace, member: Member, event_id: str) -> dict[str, Any]:
    opened = {"type": "app_home_opened", "user": slack_id(member), "channel": "D1", "tab": "home"}
    assert await workspace.event(opened, event_id) == 200
    publish = workspace.slack.called("views.publish")[-1]
    assert publish.body["user_id"] == slack_id(member)
    view: dict[str, Any] = publish.body["view"]
    assert view["type"] == "home" and len(view["blocks"]) <= 100
    return view


def texts(view: dict[str, Any]) -> list[str]:
    """What the person reads, block by block: headers, sections and their fields."""
    found = []
    for block in view["blocks"]:
        if "text" in block:
            found.append(block["text"]["text"])
        found += [field["text"] for field in block.get("fields", [])]
    return found


async def test_the_home_tab_shows_plan_next_steps_and_latest_successes_in_finnish(workspace: Workspace) -> None:
    share_successes(workspace, 6)
    view = await open_home(workspace, workspace.demo.person("Juha"), "Ev-home-fi")
    shown = texts(view)
    assert any("Kotihoito" in text and "2026" in text for text in shown[:2])  # the plan card comes first
    assert "Vuosikellossa seuraavaksi" in shown
    steps = shown[shown.index("Vuosikellossa seuraavaksi") + 1]
    assert steps.split("\n") == [
        "• 3.12.2026  Vuoden kehittämistyön arviointi",
        "• 15.1.2027  Työhyvinvointikysely",
        "• 12.2.2027  Tulosten läpikäynti",
    ]
    assert "Tiimin viimeisimmät onnistumiset" in shown
    successes = shown[shown.index("Tiimin viimeisimmät onnistumiset") + 1].split("\n")
    # The newest five, newest first; the oldest of the six is left out.
    assert [line.split(" – ")[0] for line in successes] == [f"• Onnistuminen {n}" for n in (6, 5, 4, 3, 2)]
    assert successes[0] == "• Onnistuminen 6 – _Anna Korhonen, 23.11.2026_"


async def test_the_home_tab_speaks_english_to_an_english_speaker(workspace: Workspace) -> None:
    share_successes(workspace, 1)
    view = await open_home(workspace, workspace.demo.person("Ahmed"), "Ev-home-en")
    shown = texts(view)
    assert "Next in the annual calendar" in shown and "The team's latest successes" in shown
    steps = shown[shown.index("Next in the annual calendar") + 1]
    assert steps.split("\n")[0] == "• 3 Dec 2026  Evaluating the year's development work"
    latest = shown[shown.index("The team's latest successes") + 1].split("\n")
    assert latest[0] == "• Onnistuminen 1 – _Anna Korhonen, 23 Nov 2026_"
    assert "Vuosikellossa" not in json.dumps(view, ensure_ascii=False)


async def test_without_successes_the_tab_says_how_to_share_one(workspace: Workspace) -> None:
    # Ruokapalvelu has shared nothing yet (the demo's successes are Kotihoito's).
    view = await open_home(workspace, workspace.demo.person("Petri"), "Ev-home-none")
    assert any(text.startswith("Onnistumisia ei ole vielä kirjattu") for text in texts(view))


async def test_the_tab_is_published_only_for_the_person_who_opened_it(workspace: Workspace) -> None:
    await open_home(workspace, workspace.demo.person("Juha"), "Ev-home-1")
    await open_home(workspace, workspace.demo.person("Juha"), "Ev-home-2")  # opened again: drawn again, fresh
    calls = workspace.slack.called("views.publish")
    assert [c.body["user_id"] for c in calls] == [slack_id(workspace.demo.person("Juha"))] * 2
