"""The greeting a team's channel gets when the app joins the team: what the bot does, its promise, and `apua`."""

from __future__ import annotations

from bot.i18n import translate
from bot.messages import Card, Heading, OutboundMessage, Text
from bot.organisation import Organisation, Platform, Team
from bot.person import team_channel


def team_welcome(organisation: Organisation, team: Team, platform: Platform) -> OutboundMessage:
    """The welcome for the team's home channel on the platform, in the team's (else the organisation's) language."""
    language = team.language or organisation.language
    heading = translate(language, "welcome.heading", team=team.name)
    blocks = (
        Heading(heading),
        Text(translate(language, "welcome.what")),
        Text(translate(language, "welcome.anonymity", threshold=organisation.anonymity_threshold)),
        Text(translate(language, "welcome.help")),
    )
    return OutboundMessage(team_channel(team, platform), card=Card("welcome", heading, blocks))


def welcome_key(platform: Platform, team: Team) -> str:
    """The outbox key of a team's welcome: one per team and platform, however often the app is added."""
    return f"welcome:{platform.value}:{team.id}"
