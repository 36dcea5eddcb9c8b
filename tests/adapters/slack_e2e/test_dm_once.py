"""A person's Slack DM is opened once (conversations.open is ~50/min per workspace), however they were first known."""

from __future__ import annotations

from bot.messages import OutboundMessage
from bot.organisation import Platform
from bot.person import address_of
from tests.adapters.slack_e2e.conftest import Workspace, slack_id


async def test_a_reply_then_a_scheduled_message_share_one_dm(workspace: Workspace) -> None:
    anna = workspace.demo.person("Anna")  # imported with a Slack id and no workspace, as the organisation file does
    assert await workspace.command(anna, "apua") == 200  # her command carries team_id T1
    scheduled = OutboundMessage(address_of(anna, Platform.SLACK), text="Pulssi odottaa")  # as the outbox has it
    assert scheduled.to.workspace == ""
    sent = await workspace.port.send(scheduled)

    opened = workspace.slack.called("conversations.open")
    assert [c.body["users"] for c in opened] == [slack_id(anna)]
    posts = workspace.slack.called("chat.postMessage")
    assert len(posts) == 2 and posts[0].body["channel"] == posts[1].body["channel"] == sent.channel_id
    assert sent.workspace == "T1"  # the DM's workspace, so an update finds the right token


async def test_a_scheduled_message_then_a_reply_share_one_dm(workspace: Workspace) -> None:
    outi = workspace.demo.person("Outi")
    await workspace.port.send(OutboundMessage(address_of(outi, Platform.SLACK), text="Pulssi odottaa"))
    assert await workspace.command(outi, "apua") == 200
    assert await workspace.command(outi, "suunnitelma") == 200

    assert len(workspace.slack.called("conversations.open")) == 1
    channels = {c.body["channel"] for c in workspace.slack.called("chat.postMessage")}
    assert channels == {"D" + slack_id(outi).lstrip("U")}
