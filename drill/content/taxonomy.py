"""The themes and the competency model, read from `content/taxonomy.yaml` so an organisation can extend
them without touching code. A pack names a term by its key, its Chinese name or its English name."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from drill.content.rules.problems import Problems, did_you_mean
from drill.content.rules.reader import load_yaml
from drill.messages import N_, Message

KEY_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
SECTIONS = ("themes", "competencies")


def fold(value: object) -> str:
    """The form in which names are compared: NFKC (full-width → half-width), trimmed, case-folded."""
    return _fold(str(value))


@functools.lru_cache(maxsize=4096)  # the same few names, compared with every term, on every question
def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().casefold()


@dataclass(frozen=True)
class Term:
    key: str
    zh: str
    en: str


@dataclass
class Vocabulary:
    terms: list[Term] = field(default_factory=list)

    def resolve(self, value: object) -> str | None:
        wanted = fold(value)
        for term in self.terms:
            if wanted in (fold(term.key), fold(term.zh), fold(term.en)):
                return term.key
        return None

    def get(self, key: str) -> Term | None:
        return next((t for t in self.terms if t.key == key), None)

    def suggest(self, value: object) -> Message | str:
        names = [n for t in self.terms for n in (t.key, t.zh, fold(t.en))]
        return did_you_mean(fold(value), names)

    def listing(self) -> str:
        return ", ".join(f"{t.key} ({t.zh})" for t in self.terms)


@dataclass
class Taxonomy:
    themes: Vocabulary = field(default_factory=Vocabulary)
    competencies: Vocabulary = field(default_factory=Vocabulary)
    file: str = "taxonomy.yaml"


def load_taxonomy(path: Path, problems: Problems) -> Taxonomy:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        problems.error(
            1,
            Message(
                N_("cannot read the taxonomy (%(error)s); it must be a UTF-8 file"),
                error=exc.__class__.__name__,
            ),
        )
        return Taxonomy(file=str(path))
    return parse_taxonomy(text, problems)


def parse_taxonomy(text: str, problems: Problems) -> Taxonomy:
    problems.line_count = max(len(text.splitlines()), 1)
    data, lines = load_yaml(text, problems, what=Message(N_("taxonomy")))
    taxonomy = Taxonomy(file=problems.file)
    for section in SECTIONS:
        entries = data.get(section)
        if not isinstance(entries, list) or not entries:
            problems.error(
                lines.get(section, 1),
                Message(
                    N_("the taxonomy needs a `%(section)s:` list of entries with `key`, `zh` and `en`"),
                    section=section,
                ),
            )
            continue
        vocabulary = getattr(taxonomy, section)
        seen: set[str] = set()
        for entry in entries:
            term = _term(entry, section, _entry_line(text, entry, lines.get(section, 1)), problems)
            if term is None:
                continue
            for name in {fold(term.key), fold(term.zh), fold(term.en)}:
                if name in seen:
                    problems.error(
                        _entry_line(text, entry, lines.get(section, 1)),
                        Message(
                            N_(
                                "`%(name)s` is used twice in `%(section)s`; every key and name must be unique"
                            ),
                            name=name,
                            section=section,
                        ),
                    )
                seen.add(name)
            vocabulary.terms.append(term)
    return taxonomy


def _entry_line(text: str, entry: object, default: int) -> int:
    """The line of an entry's `key:` (PyYAML keeps no lines for list items once loaded)."""
    key = entry.get("key") if isinstance(entry, dict) else None
    if isinstance(key, str):
        for number, line in enumerate(text.splitlines(), start=1):
            if re.match(rf"^\s*-?\s*key\s*:\s*['\"]?{re.escape(key)}['\"]?\s*(#.*)?$", line):
                return number
    return default


def _term(entry: object, section: str, line: int, problems: Problems) -> Term | None:
    if not isinstance(entry, dict) or not all(isinstance(entry.get(k), str) for k in ("key", "zh", "en")):
        problems.error(
            line,
            Message(
                N_("each entry of `%(section)s` needs `key`, `zh` and `en` text values, got %(entry)s"),
                section=section,
                entry=repr(entry),
            ),
        )
        return None
    if not KEY_RE.match(entry["key"]):
        problems.error(
            line,
            Message(
                N_(
                    "the key `%(key)s` in `%(section)s` must be lowercase letters, digits "
                    "and '-', e.g. `risk-foresight`"
                ),
                key=entry["key"],
                section=section,
            ),
        )
        return None
    return Term(entry["key"], entry["zh"].strip(), entry["en"].strip())
