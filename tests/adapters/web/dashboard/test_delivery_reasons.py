"""Every reason a platform port or the outbox writes is told in the viewer's language, never shown raw."""

from __future__ import annotations

import pytest

from adapters.slack import port as slack_port
from adapters.teams import port as teams_port
from adapters.web.dashboard.delivery_reasons import REASON_KINDS, reason_text
from bot.i18n import SUPPORTED_LANGUAGES, translate

PERMANENT_REASONS = sorted(
    {
        *slack_port.PERMANENT.values(),
        slack_port.NOT_INSTALLED,
        *teams_port.FORBIDDEN.values(),
        teams_port.BLOCKED,
        teams_port.NOT_FOUND,
        "the message to update is no longer kept",  # adapters/local_inbox.py
        "unreadable message",  # scheduler/outbox.py
    }
)


@pytest.mark.parametrize("reason", PERMANENT_REASONS)
def test_every_permanent_reason_of_a_port_has_a_kind_of_its_own(reason: str) -> None:
    assert reason_text(reason, "en") != translate("en", "dashboard.undeliverable.reason.unknown")


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_every_kind_is_in_every_language(language: str) -> None:
    for kind in REASON_KINDS:
        text = translate(language, f"dashboard.undeliverable.reason.{kind}", attempts=8)
        assert text and "dashboard." not in text


def test_giving_up_tells_the_attempts_and_hides_the_last_error() -> None:
    assert reason_text("gave up after 8 attempts: network: ConnectError", "sv") == "Gav upp efter 8 försök"
    assert reason_text("gave up after 3 attempts", "fi") == "Ei onnistunut 3 yrityksellä"


@pytest.mark.parametrize("raw", ["Teams said 500", "network: TimeoutError", "something new", "", "gave up"])
def test_an_unknown_reason_is_a_plain_word_and_never_the_raw_text(raw: str) -> None:
    assert reason_text(raw, "en") == "Unknown reason"
