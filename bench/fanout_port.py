"""A ChatPort over HTTP for the fan-out bench: posts the encoded message and translates 429 as a real adapter does."""

from __future__ import annotations

import json

import aiohttp

from bot.message_codec import encode_message
from bot.messages import OutboundMessage, SentRef
from bot.organisation import Platform
from bot.ports import DeliveryError


class HttpChatPort:
    """Sends to the fake platform at `url`; one connection pool for every send, as an SDK client keeps one."""

    def __init__(self, url: str, session: aiohttp.ClientSession, platform: Platform = Platform.SLACK) -> None:
        self.url = url
        self.session = session
        self.platform = platform

    async def send(self, message: OutboundMessage) -> SentRef:
        body = json.dumps(encode_message(message), ensure_ascii=False, separators=(",", ":"))
        async with self.session.post(self.url, data=body, headers={"Content-Type": "application/json"}) as response:
            if response.status == 429:
                retry_after = float(response.headers.get("Retry-After", "1"))
                raise DeliveryError("rate limited (429)", permanent=False, retry_after=retry_after)
            if response.status >= 500:
                raise DeliveryError(f"platform error ({response.status})", permanent=False)
            if response.status >= 400:
                raise DeliveryError(f"refused ({response.status})", permanent=True)
            answer = await response.json()
        return SentRef(self.platform, answer["channel"], answer["ts"], message.to.workspace)

    async def update(self, ref: SentRef, message: OutboundMessage) -> None:
        await self.send(message)  # the fan-out sends no updates; an update costs the platform a request all the same
