"""Marking messages for translation in pure modules, which must not import Flask.

A rule returns `Message(N_("no branch with code “%(code)s”"), code=...)`; the view or command that
shows it translates it in the user's language with `message.text()`. A parameter may itself be a Message
(a hint, a noun such as “the front matter”): it is translated with the message that holds it.

As with Flask-Babel's `gettext`, a template is %-formatted only when it has parameters: a literal percent
sign is `%%` in a template with parameters and `%` in one without.
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
        params = {k: v.text() if isinstance(v, Message) else v for k, v in self.params.items()}
        try:
            from flask_babel import gettext
        except ImportError:  # pragma: no cover
            return self.template % params if params else self.template
        return gettext(self.template, **params)

    def __str__(self) -> str:
        """The message as written (English), nested messages included."""
        return self.template % self.params if self.params else self.template
