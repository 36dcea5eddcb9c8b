"""An optional .env file: KEY=VALUE lines read at start-up; the real environment always wins over the file."""

from __future__ import annotations

import os
import re
from collections.abc import MutableMapping
from pathlib import Path

_LINE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$")


class DotenvError(ValueError):
    """A line of the file is not KEY=VALUE; the message names the line."""


def parse_dotenv(text: str) -> dict[str, str]:
    """The variables of a .env text: blank lines and # comments skipped, values optionally in quotes."""
    values: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _LINE.match(line)
        if match is None:
            raise DotenvError(f".env line {number} is not KEY=VALUE")
        key, value = match.groups()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        elif " #" in value:
            value = value.split(" #", 1)[0].rstrip()  # a comment after an unquoted value
        values[key] = value
    return values


def load_dotenv(path: Path, environ: MutableMapping[str, str] = os.environ) -> list[str]:
    """Set the file's variables that the environment does not set already; returns their names (none if no file)."""
    if not path.is_file():
        return []
    loaded = []
    for key, value in parse_dotenv(path.read_text(encoding="utf-8")).items():
        if key not in environ:
            environ[key] = value
            loaded.append(key)
    return loaded
