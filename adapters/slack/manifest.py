"""The Slack app manifest with a server's own address: what an admin pastes to create the app in one step."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from bot.errors import DomainError

TEMPLATE = Path(__file__).with_name("manifest.yml")
PLACEHOLDER = "https://HOST"


def manifest_for(url: str) -> dict[str, Any]:
    """The manifest with every request URL on `url` (https, a host, no path); a bad URL is a clear error."""
    parts = urlsplit(url.strip())
    if parts.scheme != "https" or not parts.hostname or parts.path.strip("/") or parts.query or parts.fragment:
        raise DomainError("packages.bad_url", url=url)
    base = f"https://{parts.netloc}"
    text = TEMPLATE.read_text(encoding="utf-8").replace(PLACEHOLDER, base)
    manifest: dict[str, Any] = yaml.safe_load(text)
    return manifest


def manifest_text(url: str, *, as_json: bool = False) -> str:
    manifest = manifest_for(url)
    if as_json:
        return json.dumps(manifest, indent=2, ensure_ascii=False)
    return yaml.safe_dump(manifest, allow_unicode=True, sort_keys=False)
