"""The web chat's HTML (pure): the person picker, one person's conversation, the demo clock and the 404 page."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from adapters.local_inbox import InboxEntry
from adapters.web.chat.card_html import esc, message_html
from adapters.web.page_layout import CSS, FAVICON_LINK, language_switch
from bot.formatting import format_clock, format_date
from bot.i18n import translate
from bot.organisation import Member, Organisation, zone_or_default

# Cards stand out from plain replies; question choices look pressed when chosen (a picked radio button too);
# everything wraps at 375 px.
CHAT_CSS = """
.conversation{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:.75rem;max-width:48rem}
.msg{border:1px solid #c5ccd6;border-radius:8px;padding:.6rem .9rem;background:#f7f9fb;overflow-wrap:anywhere}
.msg.text{background:#eef4fb}
.msg h3{margin:.2rem 0 .5rem}
.msg p{margin:.3rem 0}
.msg dl{display:grid;grid-template-columns:minmax(6rem,max-content) 1fr;gap:.2rem .8rem;margin:.4rem 0}
.msg dt{font-weight:600}
.msg dd{margin:0}
.msg fieldset{border:0;padding:0;margin:.6rem 0}
.msg legend{font-weight:600;padding:0;margin-bottom:.3rem}
.msg .buttons,.msg fieldset{display:flex;flex-wrap:wrap;gap:.4rem}
.msg fieldset legend{flex-basis:100%}
.msg .field label{display:block;font-weight:600}
.msg input[type=text],.msg textarea,.msg select{width:100%;max-width:36rem;font:inherit;padding:.35rem;
border:1px solid #595959;border-radius:4px}
.msg fieldset button{background:#fff;color:#0b4f9c}
.msg fieldset button.chosen{background:#0b4f9c;color:#fff;font-weight:700}
.msg fieldset.choices label{display:inline-flex;align-items:center;gap:.35rem;padding:.3rem .6rem;cursor:pointer;
border:1px solid #0b4f9c;border-radius:4px;background:#fff;color:#0b4f9c}
.msg fieldset.choices label:has(input:checked){background:#0b4f9c;color:#fff;font-weight:700}
button.danger{background:#a4161a;border-color:#a4161a}
button.default{background:#fff;color:#0b4f9c}
.updated{font-size:.85rem;color:#4a4a4a;margin:.3rem 0 0}
.compose textarea{width:100%;max-width:48rem;font:inherit;padding:.4rem;border:1px solid #595959;border-radius:4px}
.compose label,.picker label{display:block;font-weight:600;margin-bottom:.3rem}
.clock{margin-top:2rem;border-top:1px solid #c5ccd6;padding-top:.5rem}
.clock form{display:flex;flex-wrap:wrap;gap:.5rem}
.picker select{max-width:100%}
"""


@dataclass(frozen=True)
class Conversation:
    """One place the person reads the bot: their direct messages or a team channel, with its messages."""

    title: str
    entries: Sequence[InboxEntry]


def chat_url(member_id: int, language: str, suffix: str = "") -> str:
    """A chat address keeping the chosen language, so Post/Redirect/Get lands on the same page."""
    return f"/chat/{member_id}{suffix}?{urlencode({'lang': language})}"


def shell(language: str, title: str, body: str, *, path: str, query: Mapping[str, str], head: str = "") -> str:
    """The whole page: the dashboard's styles and language switch, with the chat's own header and footer."""
    brand = translate(language, "webchat.brand")
    keep_language = urlencode({"lang": language})  # the header's links stay in the language the person chose
    nav_items = (
        (f"/?{keep_language}", translate(language, "webchat.nav.chat")),
        (f"/dashboard?{keep_language}", translate(language, "webchat.nav.dashboard")),
    )
    links = "".join(f'<li><a href="{href}">{esc(text)}</a></li>' for href, text in nav_items)
    return (
        f'<!doctype html><html lang="{esc(language)}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">{FAVICON_LINK}'
        f"<title>{esc(title)} – {esc(brand)}</title><style>{CSS}{CHAT_CSS}</style>{head}</head><body>"
        f'<a class="skip" href="#main">{esc(translate(language, "web.skip"))}</a>'
        f'<header><p class="brand">{esc(brand)}</p>'
        f'<nav aria-label="{esc(translate(language, "webchat.nav.label"))}"><ul>{links}</ul></nav>'
        f"{language_switch(language, path, query)}</header>"
        f'<main id="main" tabindex="-1"><h1>{esc(title)}</h1>{body}</main>'
        f"<footer>{esc(translate(language, 'webchat.footer'))}</footer></body></html>"
    )


def picker_body(language: str, organisation: Organisation | None, members: Sequence[Member]) -> str:
    """A labelled drop-down of every member, grouped by team, that opens their chat."""
    if organisation is None or not members:
        return f'<p class="problem">{esc(translate(language, "webchat.pick.no_org"))}</p><p><code>tyhy demo</code></p>'
    groups: list[str] = []
    for team in organisation.teams:
        options = "".join(_option(language, m) for m in members if team.id in m.team_ids)
        if options:
            groups.append(f'<optgroup label="{esc(team.name)}">{options}</optgroup>')
    loose = "".join(_option(language, m) for m in members if not m.team_ids)
    if loose:
        groups.append(f'<optgroup label="{esc(translate(language, "webchat.pick.no_team"))}">{loose}</optgroup>')
    return (
        f"<p>{esc(translate(language, 'webchat.pick.intro'))}</p>"
        f'<form class="picker" method="get" action="/chat"><input type="hidden" name="lang" value="{esc(language)}">'
        f'<label for="member">{esc(translate(language, "webchat.pick.label"))}</label>'
        f'<select id="member" name="member" required>{"".join(groups)}</select> '
        f'<button type="submit">{esc(translate(language, "webchat.pick.submit"))}</button></form>'
        f'<p class="note">{esc(translate(language, "webchat.pick.dashboard"))} <code>tyhy admin link</code></p>'
    )


def _option(language: str, member: Member) -> str:
    role = translate(language, f"role.{member.role.value}")
    return f'<option value="{member.id}">{esc(member.name)} ({esc(role)})</option>'


def conversation_body(
    language: str,
    member: Member,
    conversations: Sequence[Conversation],
    *,
    demo_now: datetime | None,
    timezone: str,
    stale: bool = False,
) -> str:
    """The person's conversations (newest message last), the box to write to the bot, and the demo's clock."""
    # Hidden until the refresh script finds news it may not load by itself (the person is typing).
    news = esc(translate(language, "webchat.chat.news"))
    refresh = esc(translate(language, "webchat.chat.refresh"))
    here = esc(chat_url(member.id, language))
    parts = [f'<p id="news" class="notice" role="status" hidden>{news} <a href="{here}">{refresh}</a></p>']
    if stale:
        parts.append(f'<p class="problem" role="alert">{esc(translate(language, "webchat.chat.stale"))}</p>')
    act_url = chat_url(member.id, language, "/act")
    for conversation in conversations:
        parts.append(f"<section><h2>{esc(conversation.title)}</h2>")
        if not conversation.entries:
            parts.append(f'<p class="note">{esc(translate(language, "webchat.chat.empty"))}</p>')
        else:
            items = "".join(_entry(language, entry, act_url) for entry in conversation.entries)
            parts.append(f'<ol class="conversation">{items}</ol>')
        parts.append("</section>")
    parts.append(_compose(language, member))
    if demo_now is not None:
        parts.append(_clock(language, member, demo_now, timezone))
    parts.append(
        f'<p><a href="/?{urlencode({"lang": language})}">{esc(translate(language, "webchat.chat.other"))}</a> · '
        f'<a href="{here}">{refresh}</a></p>'
    )
    return "".join(parts)


def _entry(language: str, entry: InboxEntry, act_url: str) -> str:
    html = message_html(entry.message, message_id=entry.message_id, action_url=act_url)
    if entry.version > 1:
        html += f'<p class="updated">{esc(translate(language, "webchat.chat.updated"))}</p>'
    return f"<li>{html}</li>"


def _compose(language: str, member: Member) -> str:
    return (
        f'<section class="compose" id="compose"><h2>{esc(translate(language, "webchat.chat.compose_title"))}</h2>'
        f'<form method="post" action="{esc(chat_url(member.id, language, "/say"))}">'
        f'<label for="say">{esc(translate(language, "webchat.chat.compose_label"))}</label>'
        f'<textarea id="say" name="text" rows="2" maxlength="3000" required aria-describedby="say-hint"></textarea>'
        f'<p id="say-hint" class="note">{esc(translate(language, "webchat.chat.compose_hint"))}</p>'
        f'<button type="submit">{esc(translate(language, "webchat.chat.send"))}</button></form></section>'
    )


def _clock(language: str, member: Member, now: datetime, timezone: str) -> str:
    local = now.astimezone(zone_or_default(timezone))
    when = f"{format_date(local.date(), language)} {format_clock(local, language)}"
    buttons = "".join(
        f'<button type="submit" name="advance" value="{value}">{esc(translate(language, key))}</button>'
        for value, key in (("day", "webchat.clock.day"), ("week", "webchat.clock.week"), ("next", "webchat.clock.next"))
    )
    return (
        f'<section class="clock" id="clock"><h2>{esc(translate(language, "webchat.clock.title"))}</h2>'
        f"<p>{esc(translate(language, 'webchat.clock.now', when=when))}</p>"
        f'<p class="note">{esc(translate(language, "webchat.clock.help"))}</p>'
        f'<form method="post" action="{esc(chat_url(member.id, language, "/clock"))}">{buttons}</form></section>'
    )


def not_found_body(language: str) -> str:
    """What an unknown person's chat says: clearly nobody, and the way back to the list."""
    return (
        f'<p class="problem">{esc(translate(language, "webchat.not_found.text"))}</p>'
        f'<p><a href="/?{urlencode({"lang": language})}">{esc(translate(language, "webchat.not_found.back"))}</a></p>'
    )


def key_needed_body(language: str) -> str:
    """What a browser without the start's key sees: where the link to open the chat comes from."""
    return f'<p class="problem">{esc(translate(language, "webchat.key.text"))}</p>'
