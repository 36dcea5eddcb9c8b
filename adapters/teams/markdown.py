"""Our markdown subset as Teams' markdown, with everything else people wrote shown as they wrote it (pure)."""

from __future__ import annotations

import re

# Our subset's *bold* (Teams markdown wants **bold**) and _italic_ (the same in both), as Slack reads them: the
# markers hug the words and stand apart from other words.
_EMPHASIS = re.compile(
    r"(?<![\w*])\*(?=\S)(?P<bold>[^*\n]+?)(?<=\S)\*(?![\w*])|(?<![\w_])_(?=\S)(?P<italic>[^_\n]+?)(?<=\S)_(?![\w_])"
)
_BULLET = "• "

# Anything else people write is shown as written. Adaptive Cards' markdown is a CommonMark subset (bold, italic,
# lists, [links](url); learn.microsoft.com/adaptive-cards/authoring-cards/text-features), and CommonMark shows an
# ASCII punctuation character after a backslash as itself (spec.commonmark.org, "Backslash escapes"). A character
# is escaped only where CommonMark could read it as markup, so that "snake_case", "5 * 3", "<3" and "C:\polku" need
# no backslash: Teams' native clients use AdaptiveCards' shared C++ parser (MarkDownBlockParser), which shows most
# backslashes as they are. That parser reads "[a](b)" as a link even with its brackets escaped, but never when
# anything stands between "]" and "(", so that "(" is escaped too.
_ALWAYS = frozenset("[]`~")
_LINE_START = frozenset("#-+*>")  # a heading, a list or a quote of the person's own
_ASCII_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_ENTITY = re.compile(r"&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
_TAG_START = re.compile(r"[A-Za-z/!?]")  # what makes "<" an HTML tag, a comment or an autolink in CommonMark


def card_markdown(text: str) -> str:
    """Our markdown subset as a TextBlock's markdown: **bold**, "- " list lines, line breaks that show.

    In a TextBlock a lone \\n is lost outside lists; list items take \\n and other breaks \\n\\n
    (learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/cards-format).
    """
    return _markdown(text, lists=True, angles=True)


def text_markdown(text: str) -> str:
    """Our markdown subset as a plain message's markdown.

    Text-only messages draw markdown lists on the desktop only (learn.microsoft.com/microsoftteams/platform/
    bots/how-to/format-your-bot-messages), so bullets keep their "•" and each line is a paragraph of its own.
    Angle brackets are written as entities: Teams drops "<word>" from a message's text as an unknown tag
    (MicrosoftDocs/OfficeDocs-SkypeForBusiness#4723), and the help text says "onnistuminen <teksti>".
    """
    return _markdown(text, lists=False, angles=False).replace("<", "&lt;").replace(">", "&gt;")


def line_markdown(text: str) -> str:
    """One line of our subset (a heading, a fact's title) as a TextBlock's markdown."""
    return _line(text, angles=True)


def unmarked(text: str) -> str:
    """Our subset without its *bold* and _italic_ markers, for an input's label, which Teams shows as plain text."""
    return _EMPHASIS.sub(lambda span: unmarked(span["bold"] if span["bold"] is not None else span["italic"]), text)


def _markdown(text: str, *, lists: bool, angles: bool) -> str:
    paragraphs: list[str] = []
    for paragraph in re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n").strip("\n")):
        out = ""
        previous_item = False
        for raw in paragraph.split("\n"):
            # Leading spaces go: four of them would make a code block in markdown.
            line = raw.strip()
            if not line:
                continue
            item = lists and line.startswith(_BULLET)
            if out:
                out += "\n" if item and previous_item else "\n\n"
            if item:
                out += "- " + _line(line.removeprefix(_BULLET).strip(), angles=angles)
            else:
                out += _line(line, angles=angles)
            previous_item = item
        if out:
            paragraphs.append(out)
    return "\n\n".join(paragraphs)


def _line(text: str, *, angles: bool) -> str:
    """Our emphasis as Teams writes it, and a backslash before each other character CommonMark would read as markup."""
    markers = _emphasis_markers(text)
    out: list[str] = []
    for index, char in enumerate(text):
        if index in markers:
            out.append(markers[index])
            continue
        if _is_markup(text, index, angles=angles):
            out.append("\\")
        out.append(char)
    return "".join(out)


def _emphasis_markers(text: str, offset: int = 0) -> dict[int, str]:
    """Where our *bold* and _italic_ markers stand in a line, and what Teams' markdown writes in their place."""
    markers: dict[int, str] = {}
    for span in _EMPHASIS.finditer(text):
        kind, marker = ("bold", "**") if span["bold"] is not None else ("italic", "_")
        markers[offset + span.start()] = markers[offset + span.end() - 1] = marker
        # A bold span holds no "*" but may hold an _italic_ one, and the other way round.
        markers |= _emphasis_markers(span[kind], offset + span.start(kind))
    return markers


def _is_markup(text: str, index: int, *, angles: bool) -> bool:
    char = text[index]
    before = text[index - 1] if index > 0 else " "  # a line's ends count as white space (CommonMark's flanking)
    after = text[index + 1] if index + 1 < len(text) else " "
    if index == 0 and char in _LINE_START:
        return angles or char != ">"  # a plain message writes ">" as "&gt;", which starts no quote
    if char in _ALWAYS:
        return True
    if char in "*_":
        # Only a run that touches a word can open or close emphasis; "_" inside a word never does.
        return not (before.isspace() and after.isspace()) and not (char == "_" and before.isalnum() and after.isalnum())
    if char == "(":
        return before == "]"
    if char == "\\":
        return after in _ASCII_PUNCTUATION or index + 1 == len(text)  # an escape, or a line break at the end
    if char == "&":
        return _ENTITY.match(text, index) is not None
    if char == "<":
        return angles and _TAG_START.match(after) is not None
    return False
