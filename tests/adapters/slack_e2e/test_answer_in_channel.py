"""A command typed in a Slack channel is answered there, to the one who typed it only (an ephemeral message)."""

from __future__ import annotations

import json
import time

from storage.models import TeamChannelRow
from tests.adapters.slack_e2e.conftest import Workspace, slack_id

CHANNEL = "C0KOTI"


def link_kotihoito(workspace: Workspace) -> None:
    team = workspace.demo.team("kotihoito")
    with workspace.demo.db.transaction() as session:
        session.add(TeamChannelRow(team_id=team.id, platform="slack", workspace="T1", channel_id=CHANNEL))


async def test_a_slash_command_in_a_channel_is_answered_through_its_response_url(workspace: Workspace) -> None:
    anna = workspace.demo.person("Anna")
    assert await workspace.command(anna, "suunnitelma", channel=CHANNEL) == 200

    (answer,) = workspace.slack.responses()
    assert answer.body["response_type"] == "ephemeral" and answer.body["replace_original"] is False
    assert "Kotihoito" in answer.body["text"] and answer.body["blocks"][0]["type"] == "header"
    # Nothing in her DM, nothing for the whole channel, and no DM opened for it.
    assert [c.method for c in workspace.slack.calls if c.method != "auth.test"] == ["response_url"]


async def test_a_mention_in_a_channel_is_answered_with_an_ephemeral_message(workspace: Workspace) -> None:
    anna = workspace.demo.person("Anna")
    mention = {
        "type": "app_mention",
        "user": slack_id(anna),
        "channel": CHANNEL,
        "text": "<@UBOT> plan",
        "ts": "1700000300.000100",
        "thread_ts": "1700000200.000100",  # asked in a thread: answered in it
    }
    assert await workspace.event(mention, "Ev-mention") == 200

    (answer,) = workspace.slack.called("chat.postEphemeral")
    assert (answer.body["channel"], answer.body["user"]) == (CHANNEL, slack_id(anna))
    assert answer.body["thread_ts"] == "1700000200.000100"
    assert "Kotihoito" in answer.body["text"] and answer.body["blocks"]
    assert workspace.slack.called("chat.postMessage") == [] and workspace.slack.called("conversations.open") == []


async def test_when_slack_refuses_the_ephemeral_the_answer_goes_to_the_dm(workspace: Workspace) -> None:
    anna = workspace.demo.person("Anna")
    workspace.slack.fail("chat.postEphemeral", error="user_not_in_channel")
    mention = {"type": "app_mention", "user": slack_id(anna), "channel": CHANNEL, "text": "<@UBOT> apua"}
    mention["ts"] = "1700000300.000200"
    assert await workspace.event(mention, "Ev-mention-2") == 200
    (dm,) = workspace.slack.called("chat.postMessage")
    assert dm.body["channel"] == "D" + slack_id(anna).lstrip("U") and "suunnitelma" in dm.body["text"]


async def test_a_card_answered_in_a_channel_is_redrawn_through_the_taps_response_url(workspace: Workspace) -> None:
    link_kotihoito(workspace)
    anna = workspace.demo.person("Anna")
    assert await workspace.command(anna, "onnistuminen Asiakas kiitti kotikäynnistä", channel=CHANNEL) == 200
    (celebration,) = workspace.slack.called("chat.postMessage")
    assert celebration.body["channel"] == CHANNEL  # the team's post stays the team's
    (receipt,) = workspace.slack.responses()
    assert receipt.body["response_type"] == "ephemeral"
    button = next(e for b in receipt.body["blocks"] if b["type"] == "actions" for e in b["elements"])

    # Slack's block_actions from an ephemeral message: no `message`, and container.is_ephemeral
    # (docs.slack.dev/reference/interaction-payloads/block_actions-payload).
    tapped = {
        "type": "block_actions",
        "user": {"id": slack_id(anna), "team_id": "T1", "name": "anna"},
        "team": {"id": "T1"},
        "container": {
            "type": "message",
            "message_ts": f"{time.time():.6f}",
            "channel_id": CHANNEL,
            "is_ephemeral": True,
        },
        "channel": {"id": CHANNEL, "name": "kotihoito"},
        "response_url": workspace.slack.response_url("actions"),
        "actions": [{"type": "button", "action_id": button["action_id"], "value": button["value"], "block_id": "b"}],
        "state": {"values": {}},
    }
    assert await workspace.interact(tapped) == 200
    redrawn = workspace.slack.responses()[-1]
    assert redrawn.url != receipt.url and redrawn.body["replace_original"] is True
    assert button["text"]["text"] in json.dumps(redrawn.body["blocks"], ensure_ascii=False)
    assert workspace.slack.called("chat.update") == []


async def test_a_command_in_a_dm_is_answered_in_the_dm_as_before(workspace: Workspace) -> None:
    anna = workspace.demo.person("Anna")
    assert await workspace.command(anna, "suunnitelma") == 200
    assert workspace.slack.responses() == [] and len(workspace.slack.called("chat.postMessage")) == 1
