"""DomainError: a rule broken by a person's input, carrying a catalog key so it can be told in any language."""

from __future__ import annotations

from datetime import date


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
