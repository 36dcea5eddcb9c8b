"""The Bot Connector's token on a request, checked by the SDK, with every way it fails turned into one refusal.

The SDK looks a token's signing key up by its `kid` as `[key for key in keys if key["kid"] == kid][0]`
(botframework/connector/auth/jwt_token_extractor.py), so a token without a `kid` (`alg: none`, an HS256 token) or
with one Microsoft does not publish raises IndexError, which would be a 500 with a traceback. A token that cannot
be the Bot Connector's is refused here from its header alone, before any key is looked up.
"""

from __future__ import annotations

import jwt
from botbuilder.schema import Activity
from botframework.connector.auth import (
    AuthenticateRequestResult,
    AuthenticationConstants,
    BotFrameworkAuthentication,
)
from jwt import PyJWTError

# The algorithms the SDK accepts; Microsoft signs with RS256 (bot-framework-rest-connector-authentication).
ALGORITHMS = tuple(AuthenticationConstants.ALLOWED_SIGNING_ALGORITHMS)  # a tuple: `alg` may be any JSON


class TokenRefused(Exception):
    """Not a token the Bot Connector signed for this bot; the message says why without repeating the token."""


class SigningKeysUnavailable(Exception):
    """Microsoft's signing keys could not be fetched, so no token can be checked just now."""


async def authenticate(
    authentication: BotFrameworkAuthentication, envelope: Activity, authorization: str
) -> AuthenticateRequestResult:
    """The SDK's check of the request's token; TokenRefused for any token it does not take."""
    problem = header_problem(authorization)
    if problem is not None:
        raise TokenRefused(problem)
    try:
        return await authentication.authenticate_request(envelope, authorization)
    except IndexError:
        raise TokenRefused("unknown signing key") from None  # the lookup above, for a kid Microsoft does not publish
    except (PermissionError, PyJWTError, KeyError, ValueError) as error:
        # Missing, forged, expired or for another bot (PermissionError), or unreadable (PyJWT's own errors).
        raise TokenRefused(type(error).__name__) from None
    except OSError as error:  # requests' errors fetching the keys are OSErrors
        raise SigningKeysUnavailable(type(error).__name__) from None
    except Exception as error:
        if type(error) is not Exception:
            raise
        # The SDK refuses a key not endorsed for the activity's channel with a bare Exception.
        raise TokenRefused("signing key not endorsed for the channel") from None


def header_problem(authorization: str) -> str | None:
    """Why a bearer token cannot be the Bot Connector's, read from its header; None when the SDK should decide.

    No token, or another scheme, is left to the SDK: without an app id it lets such requests in (the emulator).
    """
    scheme, _, token = authorization.partition(" ")
    if scheme != "Bearer" or not token:
        return None
    try:
        header = jwt.get_unverified_header(token)
    except PyJWTError:
        return "not a JWT"
    if header.get("alg") not in ALGORITHMS:
        return "signing algorithm not allowed"
    key_id = header.get("kid")
    if not isinstance(key_id, str) or not key_id:
        return "no signing key id"
    return None
