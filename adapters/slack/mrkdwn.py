"""Slack mrkdwn both ways: escaping our text for Block Kit, splitting long text, and reading Slack's markup back."""

from __future__ import annotations

import re

# Slack reads &, < and > as control characters and wants exactly these three written as entities, nothing else
# (docs.slack.dev/messaging/formatting-message-text#escaping). Our markdown subset (*bold*, _italic_, line breaks,
# "• " bullets) is already Slack's own syntax, so escaping is the whole conversion.
_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_UNESCAPES = {entity: char for char, entity in _ESCAPES.items()}
_ENTITY = re.compile(r"&(?:amp|lt|gt);")

# Slack markup in text it sends us: <@U123>, <@U123|name>, <#C123|general>, <!here>, <!subteam^S1|@team>,
# <https://example.org|label>, <mailto:a@b.fi|a@b.fi> (docs.slack.dev/messaging/formatting-message-text).
USER_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
_CHANNEL = re.compile(r"<#([CGD][A-Z0-9]+)(?:\|([^>]*))?>")
_SPECIAL = re.compile(r"<!([a-z]+)(?:\^[^|>]*)?(?:\|([^>]*))?>")
_LINK = re.compile(r"<((?:https?|mailto):[^|>]+)(?:\|([^>]*))?>")


def escape(text: str) -> str:
    """Text with Slack's three control characters written as entities, so it shows as typed."""
    return "".join(_ESCAPES.get(char, char) for char in text)


def unescape(text: str) -> str:
    """Text as a person typed it, from Slack's escaped form."""
    return _ENTITY.sub(lambda match: _UNESCAPES[match.group(0)], text)


def readable(text: str) -> str:
    """Slack's message text as a person reads it, except user mentions, which stay as `<@U…>` for the core.

    Channel links become "#name", @here/@channel/user groups their label or "@here", links "label (url)" or the
    address alone; then the entities are decoded. User mentions are kept because the core turns the ones it
    knows into "@Full Name" (bot/flows/success.py `readable_text`) and needs the id for that.
    """
    text = _CHANNEL.sub(lambda m: "#" + (m.group(2) or m.group(1)), text)
    text = _SPECIAL.sub(lambda m: m.group(2) or "@" + m.group(1), text)
    text = _LINK.sub(_link_text, text)
    return unescape(text)


def _link_text(match: re.Match[str]) -> str:
    url, label = match.group(1), match.group(2)
    address = url.removeprefix("mailto:")
    if not label or label in (url, address):
        return address
    return f"{label} ({address})"


def mentioned_users(text: str) -> tuple[str, ...]:
    """The user ids mentioned in Slack markup, each once, in order."""
    return tuple(dict.fromkeys(USER_MENTION.findall(text)))


def split_escaped(text: str, limit: int) -> list[str]:
    """The text escaped and cut into pieces of at most `limit` characters, at line breaks where it can.

    Whole lines are packed into each piece; a line longer than the limit is cut at its last space that fits, or
    hard when it has none, and an entity such as "&amp;" is never cut in two. Blank pieces are left out.
    """
    pieces: list[str] = []
    current: str | None = None
    for line in text.split("\n"):
        for part in _fit_line(escape(line), limit):
            if current is None:
                current = part
            elif len(current) + 1 + len(part) <= limit:
                current += "\n" + part
            else:
                pieces.append(current)
                current = part
    if current is not None:
        pieces.append(current)
    return [piece for piece in pieces if piece.strip()]


def _fit_line(line: str, limit: int) -> list[str]:
    """An escaped line cut into parts of at most `limit` characters."""
    parts: list[str] = []
    while len(line) > limit:
        cut = line.rfind(" ", 0, limit + 1)
        if cut <= 0:
            cut = limit
            amp = line.rfind("&", max(0, limit - 4), limit)
            entity = _ENTITY.match(line, amp) if amp != -1 else None
            if entity is not None and entity.end() > limit:
                cut = max(amp, 1)
        parts.append(line[:cut].rstrip())
        line = line[cut:].lstrip(" ")
    parts.append(line)
    return parts
