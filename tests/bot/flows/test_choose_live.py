"""The leader's count of senders is redrawn in place as picks arrive, on the card they opened last."""

from __future__ import annotations

import pytest

from bot.i18n import translate
from bot.messages import Buttons
from bot.organisation import Member
from tests.bot.flows.conftest import Demo
from tests.bot.flows.fake_chat import FakeChat, Posted


def send_picks(chat: FakeChat, member: Member, strengths: str, targets: str = "") -> None:
    card = next(p for p in reversed(chat.inbox(member)) if p.message.card is not None and p.card.kind == "choose.me")
    send = next(b for b in card.card.blocks if isinstance(b, Buttons)).buttons[0]
    chat.tap(member, send.label, on=card, form={"strengths": strengths, "targets": targets})


def count(posted: Posted, language: str) -> str:
    label = translate(language, "choose.control.sent") + ": "
    return next(line for line in posted.text.splitlines() if line.startswith(label)).removeprefix(label)


@pytest.mark.parametrize(("command", "language"), [("kieli fi", "fi"), ("språk sv", "sv"), ("language en", "en")])
def test_the_leaders_count_of_senders_updates_as_picks_arrive(
    chat: FakeChat, demo: Demo, command: str, language: str
) -> None:
    pirjo = demo.supervisor("kotihoito")
    anna, juha, liisa = demo.person("Anna"), demo.person("Juha"), demo.person("Liisa")
    chat.say(pirjo, command)
    control = chat.say(pirjo, "valitaan")[0]
    assert control.card.kind == "choose.control" and count(control, language) == "0 / 14"

    send_picks(chat, anna, "FE", "PR")
    assert count(control, language) == "1 / 14" and control.versions == 2
    assert translate(language, "choose.pair_button") in control.text  # still the card to go on from
    send_picks(chat, anna, "YI")  # a person who changes their picks is one sender still
    send_picks(chat, juha, "YI")
    assert count(control, language) == "2 / 14"

    # The count goes to the card the leader opened last; the older one stays as it was.
    status = chat.say(pirjo, "valitaan")[-1]
    assert status is not control and count(status, language) == "2 / 14"
    send_picks(chat, liisa, "CO")
    assert count(status, language) == "3 / 14" and count(control, language) == "2 / 14"
    assert [p.card.kind for p in chat.inbox(pirjo) if p.message.card is not None].count("choose.control") == 2
