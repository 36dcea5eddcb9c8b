"""`tyhy teams package`: the Teams app package zip an admin uploads: manifest, fi/sv texts and the two icons."""

from __future__ import annotations

import argparse
import json
import os
import re
import tempfile
import zipfile
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from adapters.teams.icons import color_icon, outline_icon
from adapters.teams.manifest_template import (
    ADDITIONAL_LANGUAGES,
    COLOR_ICON,
    OUTLINE_ICON,
    localization_file,
    manifest,
)
from bot.errors import DomainError

DEFAULT_OUT = "tyhybot-teams.zip"
FALLBACK_VERSION = "1.0.0"
# The manifest schema's own GUID pattern: anything else Teams refuses at upload, long after the admin typed it.
_GUID = re.compile(r"^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
_SEMVER = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")
# A fixed date for every entry (zip's epoch) so the same inputs give the same bytes.
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def checked_app_id(app_id: str) -> str:
    """The bot's Microsoft App ID in lower case; anything but a GUID is a clear error."""
    candidate = app_id.strip()
    if not _GUID.match(candidate):
        raise DomainError("teams_app.bad_app_id", app_id=app_id)
    return candidate.lower()


def checked_host(host: str) -> tuple[str, str]:
    """(https://host, host) from an https address without a path; anything else is a clear error."""
    parts = urlsplit(host.strip())
    try:
        port = parts.port
    except ValueError:  # "https://host:99999" or "https://host:abc"
        raise DomainError("packages.bad_url", url=host) from None
    if (
        parts.scheme != "https"
        or not parts.hostname
        or parts.username is not None
        or parts.path.strip("/")
        or parts.query
        or parts.fragment
    ):
        raise DomainError("packages.bad_url", url=host)
    hostname = parts.hostname.lower()
    base = f"https://{hostname}" + (f":{port}" if port is not None else "")
    return base, hostname


def app_version() -> str:
    """The installed tyhybot's version when it is plain x.y.z, as Teams requires; else 1.0.0."""
    try:
        version = metadata.version("tyhybot")
    except metadata.PackageNotFoundError:
        return FALLBACK_VERSION
    return version if _SEMVER.match(version) else FALLBACK_VERSION


def package_files(app_id: str, host: str) -> dict[str, bytes]:
    """Every file of the package by its name in the zip; app id and host are checked first."""
    checked_id = checked_app_id(app_id)
    base_url, domain = checked_host(host)

    def as_json(document: dict[str, Any]) -> bytes:
        return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")

    files = {"manifest.json": as_json(manifest(checked_id, base_url, domain, app_version()))}
    for language in ADDITIONAL_LANGUAGES:
        files[f"{language}.json"] = as_json(localization_file(language))
    files[COLOR_ICON] = color_icon()
    files[OUTLINE_ICON] = outline_icon()
    return files


def build_package(app_id: str, host: str, out_path: str | os.PathLike[str]) -> Path:
    """Write the package zip (files at its root, as Teams wants them) and return where it went.

    A directory as `out_path` gets tyhybot-teams.zip inside it. The zip is written beside its final place
    and renamed, so a failed run never leaves half a package behind.
    """
    files = package_files(app_id, host)  # before touching the disk: a bad id or host writes nothing
    target = Path(out_path)
    if target.is_dir():
        target = target / DEFAULT_OUT
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".tyhybot-teams-", suffix=".zip", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in files.items():
                entry = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
                entry.compress_type = zipfile.ZIP_DEFLATED
                entry.external_attr = 0o644 << 16
                archive.writestr(entry, data)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def teams_package_command(args: argparse.Namespace) -> int:
    """`tyhy teams package --app-id ID --host https://HOST [--out FILE]`."""
    from adapters.files.console_language import console_language
    from bot.i18n import translate

    written = build_package(args.app_id, args.host, args.out or DEFAULT_OUT)
    print(translate(console_language(), "teams_app.written", path=written))
    return 0
