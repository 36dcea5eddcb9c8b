"""Which language the command line speaks: TYHY_LANGUAGE, else the system locale, else Finnish."""

from __future__ import annotations

import os

from bot.i18n import normalise_language


def console_language() -> str:
    """fi, sv or en for messages printed by `tyhy`."""
    for variable in ("TYHY_LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        language = normalise_language(os.environ.get(variable))
        if language is not None:
            return language
    return "fi"
