"""Fuzzing Teams' activity parsers: 10,000 shaped and broken activities give an event, None or TeamsPayloadError."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

from adapters.teams.parse import (
    SHARE_SUCCESS_COMMAND,
    TeamsPayloadError,
    Uninstalled,
    parse_activity,
    parse_message_action,
)
from adapters.teams.render import ACTION_KEY, VALUE_KEY
from bot.events import ActionSubmitted, CommandText, Installed, MembersChanged
from faults.cases import CaseFailed, either, fuzz, messy_text, shaped, short_text

_PARSED = (ActionSubmitted, CommandText, Installed, MembersChanged, Uninstalled)
_IDS = ("29:anna", "28:bot", "a:personal", "19:abc@thread.v2", "19:abc@thread.skype;messageid=1", "tenant-1", "")

# --- Strategies: Bot Framework activities as Teams sends them, and broken --------------------------------------

ids = either(st.sampled_from(_IDS), st.text(max_size=12))
# fmt: off
_HTML = (
    "<at>tyhybot</at>", "<at>Anna</at>", "<p>", "</p>", "<br>", "<div>", "<li>", "&nbsp;", "&amp;", "&#0;", "&#xD800;",
    "<!--", "<![CDATA[", "<script>", "<", "suunnitelma", "help", " ",
)
# fmt: on
teams_text = st.one_of(
    messy_text(),
    st.lists(st.one_of(st.sampled_from(_HTML), st.text(max_size=6)), max_size=10).map("".join),
)
texts = either(short_text())  # names, ids, locales: small fields
message_texts = either(teams_text)  # what people wrote, as Teams' HTML
account = either(shaped(id=ids, name=texts, aadObjectId=ids))
conversation = either(
    shaped(id=ids, tenantId=ids, conversationType=either(st.sampled_from(("personal", "groupChat", "channel"))))
)
channel_data = either(
    shaped(team=either(shaped(id=ids, name=texts)), channel=either(shaped(id=ids)), tenant=either(shaped(id=ids)))
)
mention = shaped(
    type=either(st.sampled_from(("mention", "clientInfo"))),
    mentioned=either(shaped(id=ids, name=texts, mentionType=either(st.sampled_from(("person", "tag", "channel"))))),
    text=either(st.sampled_from(("<at>tyhybot</at>", "<at>Anna</at>", "tyhybot")), short_text()),
    locale=either(st.sampled_from(("fi-FI", "sv-SE", "en-US"))),
)
card_data = st.one_of(
    st.fixed_dictionaries(
        {ACTION_KEY: either(st.sampled_from(("pulse.answer", "plan.view", "")), st.text(max_size=12))},
        optional={VALUE_KEY: texts, "q1": texts, "when": texts, "list": either(st.lists(texts, max_size=3))},
    ),
    st.dictionaries(st.text(max_size=8), texts, max_size=4),
)
_KINDS = ("message", "invoke", "conversationUpdate", "installationUpdate", "messageReaction", "typing")
_INVOKES = ("adaptiveCard/action", "composeExtension/submitAction", "signin/verifyState")
message_payload = shaped(
    body=either(shaped(content=message_texts, contentType=either(st.sampled_from(("html", "text"))))),
    **{"from": either(shaped(user=either(shaped(id=ids, displayName=texts))))},
)
activity = shaped(
    type=either(st.sampled_from(_KINDS)),
    name=either(st.sampled_from(_INVOKES)),
    text=message_texts,
    value=either(
        card_data,
        shaped(action=either(shaped(data=either(card_data)))),
        shaped(
            commandId=either(st.sampled_from((SHARE_SUCCESS_COMMAND, "other"))),
            messagePayload=either(message_payload),
        ),
    ),
    conversation=conversation,
    recipient=account,
    entities=either(st.lists(either(mention), max_size=3)),
    membersAdded=either(st.lists(either(account), max_size=3)),
    membersRemoved=either(st.lists(either(account), max_size=3)),
    action=either(st.sampled_from(("add", "add-upgrade", "remove", "remove-upgrade"))),
    replyToId=ids,
    locale=texts,
    channelData=channel_data,
    **{"from": account},
)
activities = either(activity)
# The message extension's own invoke, mostly well addressed, so its body parsing is reached often.
shared_messages = either(
    st.builds(
        lambda base, invoke: {**base, **invoke},
        activity,
        st.fixed_dictionaries(
            {
                "type": either(st.just("invoke")),
                "name": either(st.just("composeExtension/submitAction")),
                "value": either(
                    shaped(commandId=either(st.just(SHARE_SUCCESS_COMMAND)), messagePayload=either(message_payload))
                ),
            }
        ),
    )
)


# --- The cases --------------------------------------------------------------------------------------------------


def _check(parse: Callable[[Any], object], activity: Any) -> None:
    """The parser's answer is an event, None, or a TeamsPayloadError that says what is wrong."""
    try:
        parsed = parse(activity)
    except TeamsPayloadError as error:
        if not str(error):
            raise CaseFailed("a TeamsPayloadError without a message") from error
        return
    if parsed is not None and not isinstance(parsed, _PARSED):
        raise CaseFailed(f"{parse.__name__} returned a {type(parsed).__name__}")
    if isinstance(parsed, CommandText) and not isinstance(parsed.text, str):
        raise CaseFailed(f"a message's text is a {type(parsed.text).__name__}")
    if isinstance(parsed, ActionSubmitted) and not all(isinstance(v, str) for v in parsed.form.values()):
        raise CaseFailed(f"a card submit's form holds something other than text: {dict(parsed.form)!r}")


def activity_payloads() -> int:
    """parse_activity: messages, card submits, membership and installation updates."""
    return fuzz(activities, lambda activity: _check(parse_activity, activity))


def message_actions() -> int:
    """parse_message_action: the "share as a success" message extension, with any shared message body."""
    return fuzz(shared_messages, lambda activity: _check(parse_message_action, activity))
