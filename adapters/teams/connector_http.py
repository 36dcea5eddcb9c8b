"""The three Bot Connector calls the bot makes all day (create a chat, post, update), over one aiohttp session.

botframework-connector's ConnectorClient sends through msrest, which runs `requests` in a worker thread and passes
every activity through its model serialiser: per redrawn card that cost more CPU than the answer's own work
(bench.teams_interaction's profile). These calls are plain JSON over HTTPS (Bot Connector REST API v3), so they go
straight out here; the SDK still gives the bot's token (MicrosoftAppCredentials) and reads the roster.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import aiohttp
from yarl import URL

# One call's connect and read timeouts (seconds): a first DM takes two calls, and the outbox gives a send 20 s.
CALL_TIMEOUT = 8.0


class ConnectorFailed(Exception):
    """The connector answered with an error status, or could not be reached at all (status 0)."""

    def __init__(self, status: int, code: str = "", retry_after: str | None = None, network: str = "") -> None:
        super().__init__(f"{status} {code or network}")
        self.status = status
        self.code = code  # Teams' error code from the body, e.g. "ConversationBlockedByUser"
        self.retry_after = retry_after  # the Retry-After header as sent: seconds or an HTTP date
        self.network = network  # the network error's name when nothing was answered


@dataclass
class ConnectorHttp:
    """JSON calls to a service URL's /v3/conversations, with the bot's token when it has one."""

    timeout: float = CALL_TIMEOUT

    def __post_init__(self) -> None:
        self._session: aiohttp.ClientSession | None = None

    async def create_conversation(self, service_url: str, token: str, parameters: dict[str, Any]) -> dict[str, Any]:
        return await self._call("POST", service_url, "v3/conversations", token, parameters)

    async def send_to_conversation(
        self, service_url: str, token: str, conversation_id: str, activity: dict[str, Any]
    ) -> dict[str, Any]:
        path = f"v3/conversations/{_segment(conversation_id)}/activities"
        return await self._call("POST", service_url, path, token, activity)

    async def update_activity(
        self, service_url: str, token: str, conversation_id: str, activity_id: str, activity: dict[str, Any]
    ) -> dict[str, Any]:
        path = f"v3/conversations/{_segment(conversation_id)}/activities/{_segment(activity_id)}"
        return await self._call("PUT", service_url, path, token, activity)

    async def close(self) -> None:
        session, self._session = self._session, None
        if session is not None:
            await session.close()

    async def _call(self, method: str, service_url: str, path: str, token: str, body: dict[str, Any]) -> dict[str, Any]:
        # Ids are quoted whole, as the SDK does ("a:1…" becomes "a%3A1…"), and the URL is sent as written.
        url = URL(service_url.rstrip("/") + "/" + path, encoded=True)
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        try:
            async with self._http().request(method, url, json=body, headers=headers) as response:
                answer = await _json(response)
                if response.status >= 400:
                    raise ConnectorFailed(response.status, _code(answer), response.headers.get("Retry-After"))
                return answer if isinstance(answer, dict) else {}
        except (TimeoutError, aiohttp.ClientError) as error:
            raise ConnectorFailed(0, network=type(error).__name__) from None

    def _http(self) -> aiohttp.ClientSession:
        # Made on first use, inside the running loop; one pool of keep-alive connections for every service URL.
        if self._session is None or self._session.closed:
            timeout = aiohttp.ClientTimeout(total=2 * self.timeout, connect=self.timeout, sock_read=self.timeout)
            self._session = aiohttp.ClientSession(timeout=timeout, raise_for_status=False)
        return self._session


def _segment(value: str) -> str:
    return quote(value, safe="")


async def _json(response: aiohttp.ClientResponse) -> object:
    try:
        return await response.json(content_type=None)
    except ValueError:  # an empty or non-JSON body (a gateway's HTML error page)
        return None


def _code(answer: object) -> str:
    error = answer.get("error") if isinstance(answer, dict) else None
    code = error.get("code") if isinstance(error, dict) else None
    return str(code) if code else ""
