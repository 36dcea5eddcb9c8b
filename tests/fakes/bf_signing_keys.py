"""Bot Framework's token signing keys (login.botframework.com's OpenID metadata) on 127.0.0.1, and tokens they sign.

The Bot Connector signs the JWT it sends with every activity; the SDK reads the signing keys from an OpenID
metadata document and its `jwks_uri` (learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-
authentication, "Connector to your bot"). The SDK fetches them with blocking `requests` on the event loop, so this
fake answers from a thread of its own: on the loop it would wait for itself.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

ISSUER = "https://api.botframework.com"  # the issuer of every token the Bot Connector sends (the doc above)
KEY_ID = "tyhy-test-key-1"
METADATA_PATH = "/v1/.well-known/openidconfiguration"
KEYS_PATH = "/v1/.well-known/keys"


@dataclass
class SigningKeys:
    """One RSA key published as the Bot Connector's, endorsed for Teams; `metadata_url` is where the SDK looks."""

    metadata_url: str
    private_key: rsa.RSAPrivateKey
    endorsements: tuple[str, ...] = ("msteams",)

    def token(self, app_id: str, service_url: str, **headers: Any) -> str:
        """A token as the Bot Connector sends it to the bot `app_id` for an activity from `service_url`."""
        now = int(time.time())
        claims = {"iss": ISSUER, "aud": app_id, "serviceurl": service_url, "nbf": now - 5, "exp": now + 3600}
        return jwt.encode(claims, self.private_key, algorithm="RS256", headers={"kid": KEY_ID, **headers})

    def jwks(self) -> dict[str, Any]:
        public = json.loads(RSAAlgorithm.to_jwk(self.private_key.public_key()))
        # Microsoft's keys carry the channels they may sign for; the SDK checks the activity's channel is among them.
        return {"keys": [{**public, "kid": KEY_ID, "use": "sig", "endorsements": list(self.endorsements)}]}


@contextmanager
def signing_keys(endorsements: tuple[str, ...] = ("msteams",)) -> Iterator[SigningKeys]:
    """The key service on a free loopback port, in a thread; its metadata URL goes in ChannelValidation's hook."""
    private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    documents: dict[str, bytes] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # the name http.server calls
            body = documents.get(self.path)
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body or b"{}")

        def log_message(self, format: str, *args: Any) -> None:  # http.server's signature
            pass  # the tests read the server's log; the fake's requests are not part of it

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    keys = SigningKeys(base + METADATA_PATH, private_key, endorsements)
    documents[METADATA_PATH] = json.dumps({"issuer": ISSUER, "jwks_uri": base + KEYS_PATH}).encode()
    documents[KEYS_PATH] = json.dumps(keys.jwks()).encode()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield keys
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
