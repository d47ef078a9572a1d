"""Marking messages for translation in pure modules, which must not import Flask.

A rule returns `Message(N_("no branch with code “%(code)s”"), code=...)`; the view or command that
shows it translates it in the user's language with `message.text()`.
"""

from dataclasses import dataclass, field


def N_(message: str) -> str:
    """Mark a string for extraction without translating it here."""
    return message


@dataclass(frozen=True)
class Message:
    template: str
    params: dict = field(default_factory=dict)

    def __init__(self, template: str, **params) -> None:
        object.__setattr__(self, "template", template)
        object.__setattr__(self, "params", params)

    def text(self) -> str:
        """The message in the current locale (Flask-Babel) or as written outside a request."""
        try:
            from flask_babel import gettext
        except ImportError:  # pragma: no cover
            return self.template % self.params
        return gettext(self.template, **self.params)

    def __str__(self) -> str:
        return self.template % self.params
