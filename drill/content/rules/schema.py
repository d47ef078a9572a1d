"""The front-matter schema of quiz packs, cases and rubrics: every key with its Chinese spelling, its
type, its default and what it means (the docstrings are what `docs/content-format.md` explains)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from drill.content.rules.problems import Problems, did_you_mean
from drill.content.taxonomy import Taxonomy, fold
from drill.messages import N_, Message

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
KINDS = {"quiz": ("quiz", "题库"), "case": ("case", "案例"), "rubric": ("rubric", "评分标准")}
LEVELS = {
    "junior": ("junior", "初级"),
    "intermediate": ("intermediate", "中级"),
    "senior": ("senior", "高级"),
}
AUDIENCES = {"bank": ("bank", "银行"), "tobacco": ("tobacco", "烟草"), "both": ("both", "通用", "all")}
MULTIPLE_SCORINGS = {
    "all": ("all", "全对", "all-or-nothing"),
    "partial": ("partial", "部分", "少选"),
    "per-option": ("per-option", "逐项", "per_option"),
}


class Named(Message):
    """Names from the format (keys, kinds) as the reader's language writes them: `编号, 标题` for a
    Chinese reader, `id, title` otherwise; both spellings are accepted in a pack."""

    def __init__(self, en: str, zh: str) -> None:
        super().__init__(en)
        object.__setattr__(self, "zh", zh)

    def text(self) -> str:
        try:
            from flask_babel import get_locale
        except ImportError:  # pragma: no cover
            return self.template
        locale = get_locale()
        return self.zh if locale is not None and locale.language == "zh" else self.template


def key_names(keys) -> Named:
    return Named(", ".join(k.name for k in keys), ", ".join(k.zh[0] for k in keys))


def kind_name(kind: str) -> Named:
    return Named(kind, KINDS.get(kind, (kind, kind))[1])


class Invalid(ValueError):
    """A value that does not fit its key; the message says what to write instead."""

    def __init__(self, message: Message) -> None:
        super().__init__(str(message))
        self.message = message


def choose(table: dict[str, tuple[str, ...]], what: Message) -> Callable[[object, Taxonomy], str]:
    def convert(value: object, _taxonomy: Taxonomy) -> str:
        for key, names in table.items():
            if fold(value) in {fold(n) for n in names}:
                return key
        shown = " | ".join(
            f"{names[0]} ({names[1]})" if len(names) > 1 else names[0] for names in table.values()
        )
        raise Invalid(
            Message(
                N_("unknown %(what)s `%(value)s`; write one of %(choices)s"),
                what=what,
                value=value,
                choices=shown,
            )
        )

    return convert


def resolve_choice(table: dict[str, tuple[str, ...]], value: object) -> str | None:
    return next((key for key, names in table.items() if fold(value) in {fold(n) for n in names}), None)


def slug(value: object, _taxonomy: Taxonomy) -> str:
    text = str(value).strip()
    if not SLUG_RE.match(text):
        raise Invalid(
            Message(
                N_(
                    "`%(id)s` is not a valid id: use lowercase letters, digits and '-', "
                    "up to 64 characters, e.g. `bank-credit-basics`"
                ),
                id=text,
            )
        )
    return text


def text(value: object, _taxonomy: Taxonomy) -> str:
    if not isinstance(value, str | int | float) or not str(value).strip():
        raise Invalid(Message(N_("write a line of text here")))
    return str(value).strip()


def _whole_number(value: object) -> bool:
    return not isinstance(value, bool) and isinstance(value, int) and 1 <= value <= 100_000


def positive_int(value: object, _taxonomy: Taxonomy) -> int:
    """A number of minutes (`time_limit`)."""
    if not _whole_number(value):
        raise Invalid(Message(N_("`%(value)s` is not a whole number ≥ 1; write e.g. 15"), value=value))
    return value


def version_number(value: object, _taxonomy: Taxonomy) -> int:
    if not _whole_number(value):
        raise Invalid(
            Message(
                N_("`%(value)s` is not a version number: write a whole number ≥ 1, e.g. `version: 2`"),
                value=value,
            )
        )
    return value


def text_list(value: object, _taxonomy: Taxonomy) -> list[str]:
    items = value if isinstance(value, list) else re.split(r"[,，、]", str(value))
    out = [str(item).strip() for item in items if str(item).strip()]
    if any(isinstance(item, dict | list) for item in items):
        raise Invalid(Message(N_("write a list of names, e.g. [王芳, 李强]")))
    return out


def theme(value: object, taxonomy: Taxonomy) -> str:
    key = taxonomy.themes.resolve(value)
    if key is None:
        raise Invalid(
            Message(
                N_("unknown theme `%(value)s`.%(hint)s Themes (content/taxonomy.yaml): %(themes)s"),
                value=value,
                hint=taxonomy.themes.suggest(value),
                themes=taxonomy.themes.listing(),
            )
        )
    return key


def competencies(value: object, taxonomy: Taxonomy) -> list[str]:
    keys = []
    for name in text_list(value, taxonomy):
        key = taxonomy.competencies.resolve(name)
        if key is None:
            raise Invalid(
                Message(
                    N_(
                        "unknown competency `%(name)s`.%(hint)s "
                        "Competencies (content/taxonomy.yaml): %(competencies)s"
                    ),
                    name=name,
                    hint=taxonomy.competencies.suggest(name),
                    competencies=taxonomy.competencies.listing(),
                )
            )
        if key not in keys:
            keys.append(key)
    return keys


@dataclass(frozen=True)
class Key:
    name: str
    zh: tuple[str, ...]
    convert: Callable[[object, Taxonomy], object]
    default: object = None
    required: bool = False
    doc: str = ""  # marked with N_: the messages about the key quote it


ID = Key(
    "id", ("编号",), slug, required=True, doc=N_("stable slug, unique across all packs; never change it")
)
TITLE = Key("title", ("标题",), text, required=True, doc=N_("the title shown to managers"))
THEME = Key("theme", ("主题",), theme, required=True, doc=N_("a theme key or name from taxonomy.yaml"))
LEVEL = Key(
    "level",
    ("级别",),
    choose(LEVELS, Message(N_("level"))),
    required=True,
    doc=N_("junior | intermediate | senior"),
)
AUDIENCE = Key(
    "audience",
    ("对象", "适用对象"),
    choose(AUDIENCES, Message(N_("audience"))),
    "both",
    doc=N_("bank | tobacco | both"),
)
COMPETENCIES = Key("competencies", ("能力",), competencies, [], doc=N_("competency keys or names"))
TIME_LIMIT = Key("time_limit", ("时限", "限时"), positive_int, None, doc=N_("default time limit in minutes"))
VERSION = Key("version", ("版本",), version_number, 1, doc=N_("bumped by the author; informational"))
AUTHORS = Key("authors", ("作者",), text_list, [], doc=N_("who wrote the pack"))
DESCRIPTION = Key("description", ("简介", "说明"), text, "", doc=N_("one-line summary for listings"))
TAGS = Key("tags", ("标签",), text_list, [], doc=N_("free tags"))
KIND = Key(
    "kind",
    ("类别",),
    choose(KINDS, Message(N_("kind"))),
    None,
    doc=N_("quiz | case | rubric; normally from the folder"),
)
MULTIPLE = Key(
    "multiple_scoring",
    ("多选计分",),
    choose(MULTIPLE_SCORINGS, Message(N_("multiple-choice scoring"))),
    "partial",
    doc=N_("pack default for multiple choice: all | partial | per-option"),
)
RUBRIC = Key("rubric", ("评分标准",), slug, None, doc=N_("id of a shared rubric in content/rubrics/"))

COMMON = (ID, TITLE, VERSION, AUTHORS, DESCRIPTION, TAGS, KIND)
SCHEMAS: dict[str, tuple[Key, ...]] = {
    "quiz": (*COMMON, THEME, LEVEL, AUDIENCE, COMPETENCIES, TIME_LIMIT, MULTIPLE),
    "case": (*COMMON, THEME, LEVEL, AUDIENCE, COMPETENCIES, TIME_LIMIT, MULTIPLE, RUBRIC),
    "rubric": COMMON,
}


def validate_meta(
    meta: dict,
    lines: dict[str, int],
    kind: str,
    taxonomy: Taxonomy,
    problems: Problems,
    start_line: int = 1,
    complete: bool = True,
) -> dict:
    """Normalise a front matter against the schema of `kind`; every problem goes to `problems`."""
    keys = SCHEMAS[kind]
    by_name = {name: key for key in keys for name in (key.name, *key.zh)}
    out: dict[str, object] = {key.name: key.default for key in keys}
    given: dict[str, str] = {}
    for raw_name, value in meta.items():
        name = str(raw_name).strip()
        line = lines.get(str(raw_name), start_line)
        key = by_name.get(name) or by_name.get(name.lower())
        if key is None:
            problems.error(
                line,
                Message(
                    N_("unknown front-matter key `%(key)s` for a %(kind)s.%(hint)s Known keys: %(keys)s"),
                    key=name,
                    kind=kind_name(kind),
                    hint=did_you_mean(name, by_name),
                    keys=key_names(keys),
                ),
            )
            continue
        if key.name in given:
            problems.error(
                line,
                Message(
                    N_("`%(key)s` repeats `%(first)s`; keep one of them"), key=name, first=given[key.name]
                ),
            )
            continue
        given[key.name] = name
        if value is None or value == "" or value == []:
            if key.required:
                problems.error(
                    line, Message(N_("`%(key)s` is empty; %(doc)s"), key=name, doc=Message(key.doc))
                )
            continue
        try:
            out[key.name] = key.convert(value, taxonomy)
        except Invalid as exc:
            problems.error(line, Message(N_("`%(key)s`: %(reason)s"), key=name, reason=exc.message))
    # A front matter that could not be read has already been reported; its keys are not missing.
    for key in keys if complete else ():
        if key.required and key.name not in given:
            problems.error(
                start_line,
                Message(
                    N_("the front matter has no `%(key)s:` (%(doc)s); add it"),
                    key=key_names([key]),
                    doc=Message(key.doc),
                ),
            )
    return out
