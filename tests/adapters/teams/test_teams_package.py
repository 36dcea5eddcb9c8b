"""The Teams app package: valid against Microsoft's schemas, right-sized icons, commands the bot really reads."""

from __future__ import annotations

import argparse
import json
import re
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from adapters.teams.package import build_package, teams_package_command
from bot.commands import Command, parse_command
from bot.errors import DomainError
from tests.paths import shared_data_file

MANIFEST_SCHEMA = "teams-manifest-1.29.schema.json"
LOCALIZATION_SCHEMA = "teams-localization.schema.json"
APP_ID = "7b3c0c1e-1111-2222-3333-444455556666"
HOST = "https://bot.example.org"


def schema(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(shared_data_file(name).read_text(encoding="utf-8"))
    return loaded


def validate(instance: object, loaded: dict[str, Any]) -> None:
    """Validate with the draft the schema names, without jsonschema.validate's check of the schema itself.

    Microsoft writes patterns in ECMAScript syntax ("\\p{L}" for extension function names), which Python's re
    cannot compile, so checking the schema fails on Microsoft's side, not ours. Every other problem in the
    schema still fails here; the manifest uses no such pattern. Every $ref is local ("#/…"), so nothing is
    fetched from the network.
    """
    validator_class = jsonschema.validators.validator_for(loaded)
    meta = validator_class(validator_class.META_SCHEMA, format_checker=validator_class.FORMAT_CHECKER)
    schema_errors = [e for e in meta.iter_errors(loaded) if not (e.validator == "format" and "\\p{" in str(e.instance))]
    assert schema_errors == []
    assert all(ref.startswith("#") for ref in re.findall(r'"\$ref":\s*"([^"]*)"', json.dumps(loaded)))
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator_class(loaded).iter_errors(instance)]
    assert errors == []


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    path = build_package(APP_ID.upper(), HOST + "/", tmp_path_factory.mktemp("package") / "tyhybot.zip")
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def document(package: dict[str, bytes], name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(package[name].decode("utf-8"))
    return loaded


def test_the_zip_holds_the_manifest_its_translations_and_icons_at_its_root(package: dict[str, bytes]) -> None:
    assert sorted(package) == ["color.png", "fi.json", "manifest.json", "outline.png", "sv.json"]


def test_the_manifest_is_valid_against_microsofts_schema(package: dict[str, bytes]) -> None:
    validate(document(package, "manifest.json"), schema(MANIFEST_SCHEMA))


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_the_translations_are_valid_against_microsofts_schema(package: dict[str, bytes], language: str) -> None:
    validate(document(package, f"{language}.json"), schema(LOCALIZATION_SCHEMA))


def test_the_manifest_names_the_bot_the_host_and_the_languages(package: dict[str, bytes]) -> None:
    manifest = document(package, "manifest.json")
    assert manifest["$schema"] == "https://developer.microsoft.com/json-schemas/teams/v1.29/MicrosoftTeams.schema.json"
    assert manifest["manifestVersion"] == "1.29"
    assert re.fullmatch(r"\d+\.\d+\.\d+", manifest["version"])
    assert manifest["id"] == APP_ID  # typed in upper case, written as Azure shows it
    assert manifest["developer"] == {
        "name": "tyhybot",
        "websiteUrl": "https://bot.example.org/",
        "privacyUrl": "https://bot.example.org/privacy",
        "termsOfUseUrl": "https://bot.example.org/terms",
    }
    assert manifest["name"]["short"] == "tyhybot"
    assert "anonymous" in manifest["description"]["full"]
    assert manifest["icons"] == {"color": "color.png", "outline": "outline.png"}
    assert manifest["localizationInfo"] == {
        "defaultLanguageTag": "en",
        "additionalLanguages": [{"languageTag": "fi", "file": "fi.json"}, {"languageTag": "sv", "file": "sv.json"}],
    }
    (bot,) = manifest["bots"]
    assert (bot["botId"], bot["scopes"], bot["supportsFiles"]) == (APP_ID, ["personal", "team"], False)
    assert [commands["scopes"] for commands in bot["commandLists"]] == [["personal"], ["team"]]
    assert manifest["validDomains"] == ["bot.example.org"]


def test_the_message_action_shares_a_success_and_parse_recognises_it(package: dict[str, bytes]) -> None:
    from adapters.teams.parse import SHARE_SUCCESS_COMMAND

    (extension,) = document(package, "manifest.json")["composeExtensions"]
    assert extension["botId"] == APP_ID
    (action,) = extension["commands"]
    assert (action["id"], action["type"], action["context"], action["fetchTask"]) == (
        SHARE_SUCCESS_COMMAND,
        "action",
        ["message"],
        False,
    )
    assert action["title"] == "Share as a success"
    assert [p["name"] for p in action["parameters"]] == ["note"]
    assert document(package, "fi.json")["composeExtensions[0].commands[0].title"] == "Jaa onnistumisena"
    assert document(package, "sv.json")["composeExtensions[0].commands[0].title"] == "Dela som en framgång"


def command_titles(manifest: dict[str, Any], translation: dict[str, Any] | None = None) -> list[list[str]]:
    """Each command list's titles, from the manifest or, with `translation`, from a language file."""
    lists = manifest["bots"][0]["commandLists"]
    if translation is None:
        return [[c["title"] for c in commands["commands"]] for commands in lists]
    return [
        [translation[f"bots[0].commandLists[{i}].commands[{j}].title"] for j in range(len(commands["commands"]))]
        for i, commands in enumerate(lists)
    ]


def test_every_listed_command_is_one_the_bot_reads_in_every_language(package: dict[str, bytes]) -> None:
    manifest = document(package, "manifest.json")
    english = command_titles(manifest)
    meant = [[parse_command(title).command for title in titles] for titles in english]
    assert all(command is not None for commands in meant for command in commands)
    assert meant[0][:4] == [Command.HELP, Command.PULSE, Command.PLAN, Command.SUCCESS]
    assert Command.DISCUSS in meant[1] and Command.PULSE not in meant[1]
    for language in ("fi", "sv"):
        titles = command_titles(manifest, document(package, f"{language}.json"))
        # Teams types the localized title for the person: it must mean the same command as the English one.
        assert [[parse_command(title).command for title in row] for row in titles] == meant, language
    assert command_titles(manifest, document(package, "fi.json"))[0][:3] == ["apua", "pulssi", "suunnitelma"]
    assert command_titles(manifest, document(package, "sv.json"))[0][:3] == ["hjälp", "puls", "plan"]


def resolve(manifest: object, path: str) -> object:
    """The value at a localization key such as "bots[0].commandLists[1].commands[2].title"."""
    value = manifest
    for name, index in re.findall(r"([^.\[\]]+)(?:\[(\d+)\])?", path):
        assert isinstance(value, dict) and name in value, path
        value = value[name]
        if index:
            assert isinstance(value, list) and int(index) < len(value), path
            value = value[int(index)]
    return value


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_every_translated_key_replaces_an_english_string(package: dict[str, bytes], language: str) -> None:
    manifest = document(package, "manifest.json")
    translation = document(package, f"{language}.json")
    keys = [key for key in translation if key != "$schema"]
    assert all(isinstance(resolve(manifest, key), str) for key in keys)
    assert len(keys) == len(set(keys)) and any(key.startswith("bots[0].commandLists[1]") for key in keys)
    assert translation["description.full"] != manifest["description"]["full"]


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and RGBA rows of a PNG as Teams reads it: the header first, then the image data."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height, depth, colour = struct.unpack(">IIBB", data[16:26])
    assert (depth, colour) == (8, 6)  # 8-bit RGBA
    compressed, at = b"", 8
    while at < len(data):
        (length,), kind = struct.unpack(">I", data[at : at + 4]), data[at + 4 : at + 8]
        if kind == b"IDAT":
            compressed += data[at + 8 : at + 8 + length]
        at += 12 + length
    raw, stride = zlib.decompress(compressed), 1 + 4 * width
    assert all(raw[y * stride] == 0 for y in range(height))  # unfiltered rows: readable without a PNG library
    return width, height, [raw[y * stride + 1 : (y + 1) * stride] for y in range(height)]


def test_the_colour_icon_is_192_and_opaque_the_outline_32_and_white_on_transparent(package: dict[str, bytes]) -> None:
    width, height, rows = png_pixels(package["color.png"])
    assert (width, height) == (192, 192)
    assert all(row[x + 3] == 255 for row in rows for x in range(0, len(row), 4))
    assert rows[0][:3] == bytes([0x1F, 0x5F, 0x8B]) and rows[96][96 * 4 : 96 * 4 + 3] == b"\xff\xff\xff"
    width, height, rows = png_pixels(package["outline.png"])
    assert (width, height) == (32, 32)
    pixels = [row[x : x + 4] for row in rows for x in range(0, len(row), 4)]
    assert all(pixel[:3] == b"\xff\xff\xff" for pixel in pixels)
    alphas = {pixel[3] for pixel in pixels}
    assert 0 in alphas and 255 in alphas  # a drawn symbol with a transparent background


@pytest.mark.parametrize(
    "app_id", ["", "tyhybot", "7b3c0c1e-1111-2222-3333-44445555666", "{7b3c0c1e-1111-2222-3333-444455556666}"]
)
def test_an_app_id_that_is_not_a_guid_is_refused_and_nothing_is_written(tmp_path: Path, app_id: str) -> None:
    with pytest.raises(DomainError) as refused:
        build_package(app_id, HOST, tmp_path / "app.zip")
    assert "GUID" in refused.value.message("en") and f"“{app_id}”" in refused.value.message("en")
    assert "GUID" in refused.value.message("fi")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "host",
    ["http://bot.example.org", "https://bot.example.org/teams", "bot.example.org", "", "https://bot.example.org:x"],
)
def test_a_host_that_is_not_a_plain_https_address_is_refused(tmp_path: Path, host: str) -> None:
    with pytest.raises(DomainError) as refused:
        build_package(APP_ID, host, tmp_path / "app.zip")
    assert "https" in refused.value.message("en") and f"“{host}”" in refused.value.message("en")
    assert list(tmp_path.iterdir()) == []


def test_the_command_writes_the_package_into_a_folder_and_says_where(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TYHY_LANGUAGE", "en")
    args = argparse.Namespace(app_id=APP_ID, host=HOST, out=str(tmp_path))
    assert teams_package_command(args) == 0
    written = tmp_path / "tyhybot-teams.zip"
    assert f"Wrote the Teams app package {written}." in capsys.readouterr().out
    assert [p.name for p in tmp_path.iterdir()] == ["tyhybot-teams.zip"]  # no temporary file left behind
    # The same inputs give the same bytes, so a package can be rebuilt and compared.
    again = build_package(APP_ID, HOST, tmp_path / "again.zip")
    assert again.read_bytes() == written.read_bytes()
