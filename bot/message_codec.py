"""OutboundMessage to a JSON-safe dict and back, so the outbox can store the neutral message, never platform JSON."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Literal, assert_never, cast

from bot.messages import (
    Address,
    Block,
    Button,
    Buttons,
    Card,
    Choice,
    Facts,
    Heading,
    OutboundMessage,
    Question,
    Select,
    SentRef,
    Text,
    TextInput,
)
from bot.organisation import Platform

FORMAT = 1  # bump when the shape changes; rows written by an older release must still decode

JsonDict = dict[str, Any]


class CodecError(ValueError):
    """A stored message could not be read back (corrupt, or written by an incompatible release)."""


def encode_message(message: OutboundMessage) -> JsonDict:
    """The message as plain dicts, lists, strings, numbers and None (json.dumps takes it as it is)."""
    return {
        "format": FORMAT,
        "to": _encode_address(message.to),
        "card": _encode_card(message.card) if message.card is not None else None,
        "text": message.text,
        "replaces": _encode_ref(message.replaces) if message.replaces is not None else None,
        "member_id": message.member_id,
        # Absent from rows written before it existed: they decode with no notice.
        "if_refused": encode_message(message.if_refused) if message.if_refused is not None else None,
    }


def decode_message(data: Mapping[str, Any]) -> OutboundMessage:
    """The message encode_message was given; CodecError when `data` is not one it wrote."""
    if data.get("format") != FORMAT:
        raise CodecError(f"unknown message format {data.get('format')!r}")
    card = data.get("card")
    replaces = data.get("replaces")
    if_refused = data.get("if_refused")
    try:
        return OutboundMessage(
            to=_decode_address(_dict(data, "to")),
            card=_decode_card(_as_dict(card)) if card is not None else None,
            text=_optional_str(data, "text"),
            replaces=_decode_ref(_as_dict(replaces)) if replaces is not None else None,
            member_id=_optional_int(data, "member_id"),
            if_refused=decode_message(_as_dict(if_refused)) if if_refused is not None else None,
        )
    except ValueError as error:  # OutboundMessage refuses a card and a text together, Platform an unknown name
        raise CodecError(str(error)) from None


def _encode_address(address: Address) -> JsonDict:
    return {
        "platform": address.platform.value,
        "user_id": address.user_id,
        "channel_id": address.channel_id,
        "workspace": address.workspace,
    }


def _decode_address(data: Mapping[str, Any]) -> Address:
    return Address(
        platform=Platform(_str(data, "platform")),
        user_id=_str(data, "user_id"),
        channel_id=_str(data, "channel_id"),
        workspace=_str(data, "workspace"),
    )


def _encode_ref(ref: SentRef) -> JsonDict:
    return {
        "platform": ref.platform.value,
        "channel_id": ref.channel_id,
        "message_id": ref.message_id,
        "workspace": ref.workspace,
    }


def _decode_ref(data: Mapping[str, Any]) -> SentRef:
    return SentRef(
        platform=Platform(_str(data, "platform")),
        channel_id=_str(data, "channel_id"),
        message_id=_str(data, "message_id"),
        workspace=_str(data, "workspace"),
    )


def _encode_card(card: Card) -> JsonDict:
    return {"kind": card.kind, "fallback_text": card.fallback_text, "blocks": [_encode_block(b) for b in card.blocks]}


def _decode_card(data: Mapping[str, Any]) -> Card:
    return Card(
        kind=_str(data, "kind"),
        fallback_text=_str(data, "fallback_text"),
        blocks=tuple(_decode_block(_as_dict(b)) for b in _list(data, "blocks")),
    )


def _encode_choice(choice: Choice) -> JsonDict:
    return {"label": choice.label, "value": choice.value}


def _decode_choice(data: Mapping[str, Any]) -> Choice:
    return Choice(label=_str(data, "label"), value=_str(data, "value"))


def _encode_button(button: Button) -> JsonDict:
    return {"action": button.action, "label": button.label, "value": button.value, "style": button.style}


def _decode_button(data: Mapping[str, Any]) -> Button:
    style = _str(data, "style")
    if style not in ("default", "primary", "danger"):
        raise CodecError(f"unknown button style {style!r}")
    return Button(
        action=_str(data, "action"),
        label=_str(data, "label"),
        value=_str(data, "value"),
        style=cast(Literal["default", "primary", "danger"], style),
    )


def _encode_block(block: Block) -> JsonDict:
    if isinstance(block, Heading):
        return {"block": "heading", "text": block.text}
    if isinstance(block, Text):
        return {"block": "text", "text": block.text}
    if isinstance(block, Facts):
        return {"block": "facts", "items": [[label, value] for label, value in block.items]}
    if isinstance(block, Question):
        return {
            "block": "question",
            "id": block.id,
            "prompt": block.prompt,
            "action": block.action,
            "choices": [_encode_choice(c) for c in block.choices],
            "selected": block.selected,
        }
    if isinstance(block, Buttons):
        return {"block": "buttons", "buttons": [_encode_button(b) for b in block.buttons]}
    if isinstance(block, TextInput):
        return {
            "block": "text_input",
            "id": block.id,
            "label": block.label,
            "placeholder": block.placeholder,
            "multiline": block.multiline,
            "max_length": block.max_length,
            "initial": block.initial,
        }
    if isinstance(block, Select):
        return {
            "block": "select",
            "id": block.id,
            "label": block.label,
            "choices": [_encode_choice(c) for c in block.choices],
            "multiple": block.multiple,
            "selected": list(block.selected),
            "expanded": block.expanded,
        }
    assert_never(block)  # a new block kind needs its encoder (and decoder) here; mypy points at this line


def _decode_facts(data: Mapping[str, Any]) -> Facts:
    items: list[tuple[str, str]] = []
    for pair in _list(data, "items"):
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(p, str) for p in pair)):
            raise CodecError("a fact is not a [label, value] pair of strings")
        items.append((pair[0], pair[1]))
    return Facts(tuple(items))


def _decode_question(data: Mapping[str, Any]) -> Question:
    return Question(
        id=_str(data, "id"),
        prompt=_str(data, "prompt"),
        action=_str(data, "action"),
        choices=tuple(_decode_choice(_as_dict(c)) for c in _list(data, "choices")),
        selected=_optional_str(data, "selected"),
    )


def _decode_text_input(data: Mapping[str, Any]) -> TextInput:
    return TextInput(
        id=_str(data, "id"),
        label=_str(data, "label"),
        placeholder=_str(data, "placeholder"),
        multiline=_bool(data, "multiline"),
        max_length=_int(data, "max_length"),
        initial=_str(data, "initial"),
    )


def _decode_select(data: Mapping[str, Any]) -> Select:
    selected = _list(data, "selected")
    if not all(isinstance(value, str) for value in selected):
        raise CodecError("a select's chosen values are not strings")
    return Select(
        id=_str(data, "id"),
        label=_str(data, "label"),
        choices=tuple(_decode_choice(_as_dict(c)) for c in _list(data, "choices")),
        multiple=_bool(data, "multiple"),
        selected=tuple(selected),
        expanded="expanded" in data and _bool(data, "expanded"),  # absent from rows written before it existed
    )


_BLOCK_DECODERS: dict[str, Callable[[Mapping[str, Any]], Block]] = {
    "heading": lambda data: Heading(_str(data, "text")),
    "text": lambda data: Text(_str(data, "text")),
    "facts": _decode_facts,
    "question": _decode_question,
    "buttons": lambda data: Buttons(tuple(_decode_button(_as_dict(b)) for b in _list(data, "buttons"))),
    "text_input": _decode_text_input,
    "select": _decode_select,
}


def _decode_block(data: Mapping[str, Any]) -> Block:
    decoder = _BLOCK_DECODERS.get(_str(data, "block"))
    if decoder is None:
        raise CodecError(f"unknown block kind {data.get('block')!r}")
    return decoder(data)


# Strict readers: a stored message with a wrong type fails loudly here rather than deep inside an adapter.


def _as_dict(value: object) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise CodecError("expected an object")
    return cast(Mapping[str, Any], value)


def _dict(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    return _as_dict(data.get(key))


def _list(data: Mapping[str, Any], key: str) -> list[Any]:
    value = data.get(key)
    if not isinstance(value, list):
        raise CodecError(f"{key} is not a list")
    return value


def _str(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str):
        raise CodecError(f"{key} is not a string")
    return value


def _optional_str(data: Mapping[str, Any], key: str) -> str | None:
    return None if data.get(key) is None else _str(data, key)


def _int(data: Mapping[str, Any], key: str) -> int:
    value = data.get(key)
    if not isinstance(value, int) or isinstance(value, bool):
        raise CodecError(f"{key} is not a whole number")
    return value


def _optional_int(data: Mapping[str, Any], key: str) -> int | None:
    return None if data.get(key) is None else _int(data, key)


def _bool(data: Mapping[str, Any], key: str) -> bool:
    value = data.get(key)
    if not isinstance(value, bool):
        raise CodecError(f"{key} is not true or false")
    return value
