"""The baseline for bench.teams_interaction: a bare botbuilder bot that acks each card submit and replies after.

`python -m bench.bare_teams_bot` serves POST /api/messages on 127.0.0.1, prints its port, and stops when its
standard input closes. Like ours, it answers the request at once (200) and does the turn after: the SDK's turn
(CloudAdapter, anonymous without MICROSOFT_APP_ID) sends a one-line reply through the turn's connector client to the
activity's serviceUrl (the bench's fake connector, in a process of its own). It has no database: what ours does
more (count the answer, redraw the card, thank) is what the comparison is about. botbuilder is imported here,
outside adapters/teams/, because the baseline is the SDK itself, not our adapter.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from aiohttp import web
from botbuilder.core import ActivityHandler, BotAdapter, MessageFactory, TurnContext
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity
from msrest.universal_http.requests import ClientRetryPolicy

from bench.child_server import serve_until_released

# The same one-line fix of msrest's retry-code check as adapters/teams/port.py makes, so the baseline is not
# slowed by what ours avoids (20-40 ms of CPU per activity).
ClientRetryPolicy.safe_codes = frozenset(ClientRetryPolicy.safe_codes)  # type: ignore[assignment]

REPLY = "Kiitos, vastauksesi on tallessa."  # "Thanks, your answer is saved": one line, like our confirmation


@dataclass(frozen=True)
class _Anonymous:
    """No app registration: the SDK accepts requests without a token, as ours does on loopback."""

    APP_ID: str = ""
    APP_PASSWORD: str = ""
    APP_TYPE: str = "MultiTenant"
    APP_TENANTID: str = ""


class ReplyOnly(ActivityHandler):  # type: ignore[misc]  # botbuilder ships no type hints
    """Every message (a card's Action.Submit arrives as one) gets a one-line reply; nothing else is done."""

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        reply = MessageFactory.text(REPLY)
        TurnContext.apply_conversation_reference(reply, TurnContext.get_conversation_reference(activity))
        # Sent to the conversation rather than as a reply to the submit (POST …/activities/{id}): personal chats
        # have no threads, and the fake connector serves the conversation's route only, as ours uses it.
        reply.reply_to_id = None
        connector = turn_context.turn_state[BotAdapter.BOT_CONNECTOR_CLIENT_KEY]
        await connector.conversations.send_to_conversation(activity.conversation.id, reply)


def build() -> web.Application:
    adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(_Anonymous()))
    bot = ReplyOnly()
    turns: set[asyncio.Task[object]] = set()  # held until done, so none is collected half-way

    async def messages(request: web.Request) -> web.Response:
        try:
            activity = Activity().deserialize(await request.json())
        except ValueError:
            return web.Response(status=400)
        authorization = request.headers.get("Authorization", "")
        turn = asyncio.create_task(adapter.process_activity(authorization, activity, bot.on_turn))
        turns.add(turn)
        turn.add_done_callback(turns.discard)
        return web.Response(status=200)  # acked before the turn, as ours acks before its work

    app = web.Application()
    app.router.add_post("/api/messages", messages)
    return app


if __name__ == "__main__":
    asyncio.run(serve_until_released(build()))
