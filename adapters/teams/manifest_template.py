"""The Teams app manifest (v1.29) and its fi/sv localization files, their texts from the teams_package catalogs."""

from __future__ import annotations

from typing import Any

from adapters.teams.icons import ACCENT
from adapters.teams.parse import SHARE_SUCCESS_COMMAND
from bot.commands import Command
from bot.i18n import translate

MANIFEST_VERSION = "1.29"
SCHEMA_URL = "https://developer.microsoft.com/json-schemas/teams/v1.29/MicrosoftTeams.schema.json"
LOCALIZATION_SCHEMA_URL = (
    "https://developer.microsoft.com/json-schemas/teams/v1.29/MicrosoftTeams.Localization.schema.json"
)
DEFAULT_LANGUAGE = "en"  # what Teams shows when the person's language has no file of its own
ADDITIONAL_LANGUAGES = ("fi", "sv")
COLOR_ICON = "color.png"
OUTLINE_ICON = "outline.png"
SHARE_NOTE = "note"  # the message action's only parameter; Teams needs one when fetchTask is false

# What a person does alone with the bot, and what makes sense when @mentioning it in the team's channel;
# the team command is Slack's channel linking, which installing the app into a team does in Teams.
PERSONAL_COMMANDS = (
    Command.HELP,
    Command.PULSE,
    Command.PLAN,
    Command.SUCCESS,
    Command.UPDATE,
    Command.FOLLOW_UP,
    Command.CHOOSE,
    Command.REMIND,
    Command.LANGUAGE,
)
TEAM_COMMANDS = (Command.HELP, Command.PLAN, Command.SUCCESS, Command.DISCUSS, Command.FOLLOW_UP, Command.CHOOSE)
COMMAND_LISTS = (("personal", PERSONAL_COMMANDS), ("team", TEAM_COMMANDS))


def _text(language: str, key: str) -> str:
    return translate(language, f"teams_app.{key}")


def localized_texts(language: str) -> dict[str, str]:
    """Every translatable string of the manifest, keyed by its path as the localization schema names it."""
    texts = {
        "name.short": _text(language, "name_short"),
        "name.full": _text(language, "name_full"),
        "description.short": _text(language, "description_short"),
        "description.full": _text(language, "description_full"),
    }
    for list_index, (_, commands) in enumerate(COMMAND_LISTS):
        for index, command in enumerate(commands):
            path = f"bots[0].commandLists[{list_index}].commands[{index}]"
            texts[f"{path}.title"] = _text(language, f"command.{command.value}.title")
            texts[f"{path}.description"] = _text(language, f"command.{command.value}.description")
    share = "composeExtensions[0].commands[0]"
    texts[f"{share}.title"] = _text(language, "share.title")
    texts[f"{share}.description"] = _text(language, "share.description")
    texts[f"{share}.parameters[0].title"] = _text(language, "share.note_title")
    texts[f"{share}.parameters[0].description"] = _text(language, "share.note_description")
    return texts


def localization_file(language: str) -> dict[str, Any]:
    """The contents of fi.json or sv.json."""
    return {"$schema": LOCALIZATION_SCHEMA_URL, **localized_texts(language)}


def manifest(app_id: str, base_url: str, domain: str, version: str) -> dict[str, Any]:
    """The manifest in the default language; `base_url` is https://host, `domain` the bare host name."""
    texts = localized_texts(DEFAULT_LANGUAGE)
    command_lists = [
        {
            "scopes": [scope],
            "commands": [
                {
                    "title": texts[f"bots[0].commandLists[{list_index}].commands[{index}].title"],
                    "description": texts[f"bots[0].commandLists[{list_index}].commands[{index}].description"],
                }
                for index in range(len(commands))
            ],
        }
        for list_index, (scope, commands) in enumerate(COMMAND_LISTS)
    ]
    share = "composeExtensions[0].commands[0]"
    return {
        "$schema": SCHEMA_URL,
        "manifestVersion": MANIFEST_VERSION,
        "version": version,
        "id": app_id,
        "developer": {
            "name": "tyhybot",
            "websiteUrl": f"{base_url}/",
            "privacyUrl": f"{base_url}/privacy",
            "termsOfUseUrl": f"{base_url}/terms",
        },
        "name": {"short": texts["name.short"], "full": texts["name.full"]},
        "description": {"short": texts["description.short"], "full": texts["description.full"]},
        "icons": {"color": COLOR_ICON, "outline": OUTLINE_ICON},
        "accentColor": ACCENT,
        "localizationInfo": {
            "defaultLanguageTag": DEFAULT_LANGUAGE,
            "additionalLanguages": [
                {"languageTag": language, "file": f"{language}.json"} for language in ADDITIONAL_LANGUAGES
            ],
        },
        "bots": [
            {
                "botId": app_id,
                "scopes": [scope for scope, _ in COMMAND_LISTS],
                "supportsFiles": False,
                "isNotificationOnly": False,
                "commandLists": command_lists,
            }
        ],
        "composeExtensions": [
            {
                "botId": app_id,
                "commands": [
                    {
                        # parse.py recognises the action by this id (composeExtension/submitAction).
                        "id": SHARE_SUCCESS_COMMAND,
                        "type": "action",
                        "context": ["message"],
                        "fetchTask": False,
                        "title": texts[f"{share}.title"],
                        "description": texts[f"{share}.description"],
                        "parameters": [
                            {
                                "name": SHARE_NOTE,
                                "inputType": "textarea",
                                "isRequired": False,
                                "title": texts[f"{share}.parameters[0].title"],
                                "description": texts[f"{share}.parameters[0].description"],
                            }
                        ],
                    }
                ],
            }
        ],
        "validDomains": [domain],
    }
