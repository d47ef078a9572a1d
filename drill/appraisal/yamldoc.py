"""A YAML file that remembers the line of every value, and typed field reading with file:line problems.

`load` goes through `drill.content.rules.reader.load_yaml` first (safe loader only, size, depth, alias and tag
limits, every YAML error with its line), then walks the node tree once more to note where each nested key
and list item sits. `Fields` reads values at a path, reports what is wrong at that path's line with what
to write instead, and goes on: the caller collects every problem, never only the first.
"""

from __future__ import annotations

import math
import re

import yaml

from drill.content.rules.problems import Problems, did_you_mean
from drill.content.rules.reader import load_yaml
from drill.messages import N_, Message

KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
Path = tuple  # ("dimensions", 0, "weight"): keys and list indexes from the top


def load(text: str, problems: Problems, what: Message) -> Fields | None:
    """The file's data with its lines, or None when it is not readable YAML (the problems say why)."""
    problems.line_count = max(len(text.splitlines()), 1)
    before = len(problems.items)
    data, _ = load_yaml(text, problems, what=what)
    if len(problems.items) > before:
        return None
    lines: dict[Path, int] = {}
    node = yaml.compose(text, Loader=yaml.SafeLoader)  # already vetted by load_yaml
    if node is not None:
        _note_lines(node, (), lines, problems)
    return Fields(data, lines, problems)


def _note_lines(node: yaml.Node, path: Path, lines: dict[Path, int], problems: Problems) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value in node.value:
            key = str(key_node.value)
            if key in seen and path:  # load_yaml reports the top level
                problems.error(
                    key_node.start_mark.line + 1,
                    Message(N_("`%(key)s` is given twice here; keep one"), key=key),
                )
            seen.add(key)
            lines[(*path, key)] = key_node.start_mark.line + 1
            _note_lines(value, (*path, key), lines, problems)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _note_lines(item, (*path, index), lines, problems)


def is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


class Fields:
    """Typed reading of a loaded file. Each reader returns None (and reports) when the value is unusable."""

    def __init__(self, data: dict, lines: dict[Path, int], problems: Problems) -> None:
        self.data, self.lines, self.problems = data, lines, problems

    def line(self, path: Path) -> int:
        """The line of `path`, or of its nearest ancestor that has one."""
        for end in range(len(path), -1, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return 1

    def error(self, path: Path, message: Message) -> None:
        self.problems.error(self.line(path), message)

    def warning(self, path: Path, message: Message) -> None:
        self.problems.warning(self.line(path), message)

    @staticmethod
    def name(path: Path) -> str | Message:
        return ".".join(str(p) for p in path) or Message(N_("the file"))

    def mapping(self, value: object, path: Path, example: str) -> dict | None:
        if isinstance(value, dict):
            return value
        self.error(
            path,
            Message(
                N_("`%(name)s` must be `key: value` lines, e.g. %(example)s"),
                name=self.name(path),
                example=example,
            ),
        )
        return None

    def items(self, value: object, path: Path, example: str, required: bool = True) -> list:
        if value is None and not required:
            return []
        if isinstance(value, list) and (value or not required):
            return value
        self.error(
            path,
            Message(
                N_("`%(name)s` must be a list of entries, each starting with `- `, e.g. %(example)s"),
                name=self.name(path),
                example=example,
            ),
        )
        return []

    def only(self, entry: dict, path: Path, allowed: tuple[str, ...]) -> None:
        for key in entry:
            if str(key) not in allowed:
                hint = did_you_mean(str(key), allowed) or Message(
                    N_(" Known keys: %(keys)s."), keys=", ".join(allowed)
                )
                self.error(
                    (*path, key),
                    Message(
                        N_("unknown key `%(key)s` in `%(name)s`.%(hint)s"),
                        key=key,
                        name=self.name(path),
                        hint=hint,
                    ),
                )

    def text(self, entry: dict, path: Path, key: str, required: bool = True) -> str | None:
        value = entry.get(key)
        if value is None and not required:
            return None
        if isinstance(value, str | int) and not isinstance(value, bool) and str(value).strip():
            return str(value).strip()
        self.error(
            (*path, key),
            Message(
                N_("`%(name)s` needs a text value, e.g. `%(key)s: ...`"),
                name=self.name((*path, key)),
                key=key,
            ),
        )
        return None

    def key(self, entry: dict, path: Path, field: str = "key") -> str | None:
        value = self.text(entry, path, field)
        if value is not None and not KEY_RE.match(value):
            self.error(
                (*path, field),
                Message(
                    N_(
                        "`%(field)s: %(value)s` must be lowercase English letters, digits and `_`, "
                        "starting with a letter, e.g. `deposit_growth` (put the Chinese name in `label`)"
                    ),
                    field=field,
                    value=value,
                ),
            )
            return None
        return value

    def slug(self, entry: dict, path: Path, field: str = "id") -> str | None:
        value = self.text(entry, path, field)
        if value is not None and not SLUG_RE.match(value):
            self.error(
                (*path, field),
                Message(
                    N_(
                        "`%(field)s: %(value)s` must be lowercase letters, digits and `-`, "
                        "e.g. `bank-manager`"
                    ),
                    field=field,
                    value=value,
                ),
            )
            return None
        return value

    def number(
        self,
        entry: dict,
        path: Path,
        key: str,
        *,
        required: bool = True,
        default: float | None = None,
        minimum: float | None = None,
        maximum: float | None = None,
        above: float | None = None,
    ) -> float | None:
        value = entry.get(key)
        if value is None and not required:
            return default
        if not is_number(value):
            self.error(
                (*path, key),
                Message(
                    N_("`%(name)s` must be a number, e.g. `%(key)s: 10`"),
                    name=self.name((*path, key)),
                    key=key,
                ),
            )
            return None
        low = None if minimum is None or value >= minimum else Message(N_("at least %(n)g"), n=minimum)
        low = low or (None if above is None or value > above else Message(N_("above %(n)g"), n=above))
        high = None if maximum is None or value <= maximum else Message(N_("at most %(n)g"), n=maximum)
        if low and high:
            self.error(
                (*path, key),
                Message(
                    N_("`%(key)s: %(value)g` must be %(low)s and %(high)s"),
                    key=key,
                    value=value,
                    low=low,
                    high=high,
                ),
            )
            return None
        if low or high:
            self.error(
                (*path, key),
                Message(
                    N_("`%(key)s: %(value)g` must be %(bound)s"), key=key, value=value, bound=low or high
                ),
            )
            return None
        return float(value)

    def choice(
        self, entry: dict, path: Path, key: str, choices: tuple[str, ...] | dict, default: str | None = None
    ) -> str | None:
        value = entry.get(key)
        if value is None and default is not None:
            return default
        if isinstance(value, str) and value.strip() in choices:
            return value.strip()
        hint = did_you_mean(str(value), choices) if value is not None else ""
        self.error(
            (*path, key),
            Message(
                N_("`%(key)s: %(value)s` is not one of %(choices)s.%(hint)s"),
                key=key,
                value=value,
                choices=", ".join(f"`{c}`" for c in choices),
                hint=hint,
            )
            if value is not None
            else Message(
                N_("`%(name)s` needs `%(key)s:` (one of %(choices)s)"),
                name=self.name(path),
                key=key,
                choices=", ".join(choices),
            ),
        )
        return None
