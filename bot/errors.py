"""DomainError: a rule broken by a person's input, carrying a catalog key so it can be told in any language."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # a type only: messages need not load for a module that merely defines its errors
    from bot.messages import Card


class DomainError(Exception):
    """A rule of the domain was broken; `key` names the message in the catalogs, `params` fill its placeholders."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def message(self, language: str) -> str:
        """The error told in the given language (fi, sv or en)."""
        # Late imports: the catalogs load on first use, not when a module merely defines its errors.
        from bot.formatting import format_date
        from bot.i18n import translate

        params = {k: format_date(v, language) if isinstance(v, date) else v for k, v in self.params.items()}
        return translate(language, self.key, **params)

    def __str__(self) -> str:
        return self.message("en")


class FormRefused(DomainError):
    """A form's save refused: the rule it broke, and the form drawn again with everything the person typed.

    The conversation puts `form` in place of the pressed card, so one bad field never costs the rest of the typing
    (a web page is drawn again from the server; a platform may reset a card it is sent again).
    """

    def __init__(self, error: DomainError, form: Card) -> None:
        super().__init__(error.key, **error.params)
        self.form = form
