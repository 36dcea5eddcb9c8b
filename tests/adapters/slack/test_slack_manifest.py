"""The Slack app manifest: valid against Slack's own schema, every URL on the given host, the features we serve."""

from __future__ import annotations

import json
import subprocess
import sys

import jsonschema
import pytest

from adapters.slack.manifest import manifest_for
from bot.errors import DomainError
from tests.paths import shared_data_file

SCHEMA = "slack-manifest-1.0.0.schema.json"


def test_the_manifest_is_valid_against_slacks_schema() -> None:
    schema = json.loads(shared_data_file(SCHEMA).read_text(encoding="utf-8"))
    jsonschema.validate(manifest_for("https://bot.example.org"), schema)


def test_every_url_is_on_the_host_and_the_features_are_ours() -> None:
    manifest = manifest_for("https://bot.example.org")
    text = json.dumps(manifest)
    assert "HOST" not in text
    (command,) = manifest["features"]["slash_commands"]
    assert (command["command"], command["url"]) == ("/tyhy", "https://bot.example.org/slack/events")
    (shortcut,) = manifest["features"]["shortcuts"]
    assert (shortcut["type"], shortcut["callback_id"]) == ("message", "share_success")
    settings = manifest["settings"]
    assert settings["event_subscriptions"]["request_url"] == "https://bot.example.org/slack/events"
    assert settings["interactivity"]["request_url"] == "https://bot.example.org/slack/events"
    assert set(settings["event_subscriptions"]["bot_events"]) >= {"app_home_opened", "message.im", "app_mention"}
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True


@pytest.mark.parametrize("url", ["http://bot.example.org", "https://bot.example.org/slack", "bot.example.org", ""])
def test_a_url_that_is_not_a_plain_https_host_is_refused(url: str) -> None:
    with pytest.raises(DomainError) as refused:
        manifest_for(url)
    assert "https" in refused.value.message("en")


def test_the_command_prints_it_and_refuses_a_bad_url_with_exit_code_2() -> None:
    ok = subprocess.run(
        [sys.executable, "-m", "adapters.cli", "slack", "manifest", "--url", "https://bot.example.org", "--json"],
        capture_output=True,
        text=True,
        env={"TYHY_LANGUAGE": "en", "PATH": ""},
    )
    assert ok.returncode == 0 and json.loads(ok.stdout)["display_information"]["name"] == "tyhybot"
    bad = subprocess.run(
        [sys.executable, "-m", "adapters.cli", "slack", "manifest", "--url", "http://x"],
        capture_output=True,
        text=True,
        env={"TYHY_LANGUAGE": "en", "PATH": ""},
    )
    assert bad.returncode == 2 and "https" in bad.stderr and bad.stdout == ""
