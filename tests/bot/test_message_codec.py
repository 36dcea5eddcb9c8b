"""The message codec: every block kind, address and reference survives JSON and comes back equal."""

from __future__ import annotations

import json
import typing

import pytest

from bot.message_codec import CodecError, decode_message, encode_message
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

CHOICES = (Choice("Samaa mieltä", "5"), Choice("En osaa sanoa", "0"))
EVERY_BLOCK: tuple[Block, ...] = (
    Heading("Pulssi – kotihoito"),
    Text("*Hei!* Vastaa _kolmeen_ kysymykseen.\n• yksi\n• kaksi"),
    Facts((("Tavoite", "Työrauha"), ("Seuranta", "15.1.2027"))),
    Question("q1", "Onko työmäärä kohtuullinen?", "pulse.answer", CHOICES),
    Question("q2", "Tuki?", "pulse.answer", CHOICES, selected="0"),
    Buttons(
        (
            Button("plan.view", "Näytä"),
            Button("plan.ok", "Hyväksy", "p:12", "primary"),
            Button("x", "Ei", style="danger"),
        )
    ),
    TextInput("comment", "Kommentti", placeholder="Vapaaehtoinen", multiline=True, max_length=500, initial="Jo"),
    TextInput("goal", "Tavoite"),
    Select("owner", "Vastuuhenkilö", CHOICES),
    Select("dims", "Osa-alueet", CHOICES, multiple=True, selected=("5", "0")),
    Select("q3", "*3/5* Saan tukea.", CHOICES, selected=("0",), expanded=True),
)


def _round_trip(message: OutboundMessage) -> OutboundMessage:
    return decode_message(json.loads(json.dumps(encode_message(message))))


def test_every_block_kind_survives_json() -> None:
    message = OutboundMessage(
        to=Address(Platform.TEAMS, user_id="29:abc", workspace="tenant-1"),
        card=Card("pulse", "Pulssikysely odottaa", EVERY_BLOCK),
        member_id=34,
    )
    assert _round_trip(message) == message


def test_the_examples_cover_every_block_kind_there_is() -> None:
    # A block kind added to bot/messages.py without a codec fails here (and mypy flags the encoder).
    assert {type(block) for block in EVERY_BLOCK} == set(typing.get_args(Block))


@pytest.mark.parametrize(
    "message",
    [
        OutboundMessage(to=Address(Platform.SLACK, channel_id="C123", workspace="T1"), text="Onnistuminen! 🎉"),
        OutboundMessage(to=Address(Platform.CONSOLE, user_id="7"), text="", member_id=7),
        OutboundMessage(
            to=Address(Platform.SLACK, user_id="U1"),
            card=Card("empty", "tyhjä"),
            replaces=SentRef(Platform.SLACK, "D1", "1732350000.000100", "T1"),
        ),
        OutboundMessage(to=Address(Platform.WEB, user_id="3"), text="rivi 1\nrivi 2 – åäö"),
        OutboundMessage(
            to=Address(Platform.SLACK, channel_id="C123", workspace="T1"),
            card=Card("success", "🎉"),
            if_refused=OutboundMessage(to=Address(Platform.SLACK, user_id="U1"), text="Ei päässyt", member_id=4),
        ),
    ],
    ids=["channel-text", "empty-text", "replaces", "web", "if-refused"],
)
def test_texts_addresses_and_references_survive_json(message: OutboundMessage) -> None:
    assert _round_trip(message) == message


def test_the_encoding_is_plain_json_with_no_platform_shapes() -> None:
    message = OutboundMessage(to=Address(Platform.SLACK, user_id="U1"), card=Card("k", "f", EVERY_BLOCK[:3]))
    encoded = encode_message(message)
    assert json.loads(json.dumps(encoded)) == encoded
    assert "blocks" in encoded["card"] and "type" not in json.dumps(encoded)  # no Block Kit / Adaptive Card JSON


@pytest.mark.parametrize(
    "mangle",
    [
        lambda d: d.update(format=99),
        lambda d: d.update(to="U1"),
        lambda d: d["to"].update(platform="irc"),
        lambda d: d.update(text="and a card"),
        lambda d: d["card"]["blocks"].append({"block": "video"}),
        lambda d: d["card"]["blocks"].append({"block": "facts", "items": [["only a label"]]}),
        lambda d: d["card"]["blocks"].append(
            {"block": "buttons", "buttons": [{"action": "a", "label": "b", "value": "", "style": "pink"}]}
        ),
        lambda d: d["card"]["blocks"].append(
            {
                "block": "text_input",
                "id": "i",
                "label": "l",
                "placeholder": "",
                "multiline": "yes",
                "max_length": 5,
                "initial": "",
            }
        ),
        lambda d: d.update(member_id=True),
    ],
    ids=["format", "address", "platform", "card-and-text", "block", "fact", "style", "flag", "member"],
)
def test_a_damaged_message_is_refused_clearly(mangle: typing.Callable[[dict[str, typing.Any]], None]) -> None:
    encoded = encode_message(
        OutboundMessage(to=Address(Platform.SLACK, user_id="U1"), card=Card("k", "f", (Heading("h"),)))
    )
    mangle(encoded)
    with pytest.raises(CodecError):
        decode_message(encoded)


def test_a_message_stored_before_notices_existed_decodes_without_one() -> None:
    message = OutboundMessage(to=Address(Platform.SLACK, channel_id="C1"), text="Hei")
    encoded = encode_message(message)
    del encoded["if_refused"]
    assert decode_message(encoded) == message


def test_a_select_stored_before_radio_buttons_existed_decodes_as_a_drop_down() -> None:
    select = Select("owner", "Vastuuhenkilö", CHOICES)
    message = OutboundMessage(to=Address(Platform.SLACK, user_id="U1"), card=Card("k", "f", (select,)))
    encoded = encode_message(message)
    del encoded["card"]["blocks"][0]["expanded"]
    assert decode_message(encoded) == message


def test_radio_buttons_with_several_picks_are_refused_when_stored() -> None:
    encoded = encode_message(
        OutboundMessage(to=Address(Platform.SLACK, user_id="U1"), card=Card("k", "f", (Select("q", "Q", CHOICES),)))
    )
    encoded["card"]["blocks"][0].update(multiple=True, expanded=True)
    with pytest.raises(CodecError):
        decode_message(encoded)
