"""DomainError: a rule broken by a person's input, carrying a catalog key so it can be told in any language."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Protocol, runtime_checkable

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
        from bot.i18n import translate

        return translate(language, self.key, **{k: _told(v, language) for k, v in self.params.items()})

    def __str__(self) -> str:
        return self.message("en")


class AlreadyAnswered(DomainError):
    """The person has answered this pulse round already: the store's key refused a second answer set."""

    def __init__(self) -> None:
        super().__init__("pulse.already_answered")


@runtime_checkable
class Named(Protocol):
    """Something told differently in each language (a plan's target chosen as a dimension)."""

    def named(self, language: str) -> str: ...


def _told(value: object, language: str) -> object:
    """A parameter as the reader reads it: a date the Finnish or English way, a named thing in their language."""
    from bot.formatting import format_date  # late, like the catalogs

    if isinstance(value, date):
        return format_date(value, language)
    if isinstance(value, Named):
        return value.named(language)
    return value


class FormRefused(DomainError):
    """A form's save refused: the rule it broke, and the form drawn again with everything the person typed.

    The conversation puts `form` in place of the pressed card, so one bad field never costs the rest of the typing
    (a web page is drawn again from the server; a platform may reset a card it is sent again).
    """

    def __init__(self, error: DomainError, form: Card) -> None:
        super().__init__(error.key, **error.params)
        self.form = form
