"""Ordering and matching questions.

Scoring rules:
- ordering, `计分: position` (按位置, the default): points × (items in their correct place) / (items).
- ordering, `计分: adjacent` (相邻): points × (correct neighbour pairs kept) / (items − 1); a pair counts
  when the item that comes right after another in the answer key also comes right after it in the
  manager's order. It forgives one item moved as a block: A B C D answered B C D A keeps 2 of 3 pairs.
- ordering, `计分: all` (全对): full points only for the exact order.
- matching, `计分: partial` (default): points × (left items matched to their right item) / (left items);
  choosing a distractor counts as wrong. `计分: all` gives the points only when every pair is right.
"""

from __future__ import annotations

import itertools
import random
import re
from typing import ClassVar

from drill.content.rules.blocks import fence_mask, trim
from drill.content.rules.questions.base import Context, Markdown, QuestionType, Score, share, short_id
from drill.content.rules.questions.choice import yes_no
from drill.content.rules.questions.registry import register
from drill.content.rules.reader import Line
from drill.messages import N_, Message

_ITEM = re.compile(r"^\s{0,3}(\d{1,3})\s*[.、)）．]\s*(.+)$")
_PAIR = re.compile(r"^\s{0,3}[-*+]\s+(.*?)\s*(?:=>|->|→|=》|＝＞|⇒|－>|－＞)\s*(.*)$")


def trailing_list(content: list[Line], pattern: re.Pattern) -> tuple[list[Line], list[tuple[Line, re.Match]]]:
    """The stem and the list at the end of the content (blank and indented lines may sit inside it)."""
    lines = trim(content)
    mask = fence_mask(lines)
    start = len(lines)
    for index in range(len(lines) - 1, -1, -1):
        text = lines[index].text
        if mask[index]:
            break
        if pattern.match(text):
            start = index
        elif text.strip() and not text.startswith(("  ", "\t")):
            break
    items: list[tuple[Line, re.Match]] = []
    for line in lines[start:]:
        m = pattern.match(line.text)
        if m:
            items.append((line, m))
    return lines[:start], items


def unique_ids(texts: list[tuple[int, str]], ctx: Context, what: Message) -> list[str]:
    ids, seen = [], {}
    for line, text in texts:
        oid = short_id(text)
        if oid in seen:
            ctx.error(
                line,
                Message(
                    N_("this %(what)s repeats the one on line %(other)d; every %(what)s must differ"),
                    what=what,
                    other=seen[oid],
                ),
            )
        seen.setdefault(oid, line)
        ids.append(oid)
    return ids


@register
class Ordering(QuestionType):
    name = "ordering"
    rank = 6
    names = ("排序", "ordering", "order", "sequence")
    scorings: ClassVar[dict[str, tuple[str, ...]]] = {
        "position": ("position", "按位置", "partial", "部分"),
        "adjacent": ("adjacent", "相邻"),
        "all": ("all", "全对"),
    }
    options = frozenset({"scoring"})

    def parse(self, content: list[Line], ctx: Context) -> tuple[list[Line], dict]:
        stem, found = trailing_list(content, _ITEM)
        numbers = [int(m.group(1)) for _line, m in found]
        if len(found) < 2:
            ctx.error(
                None,
                Message(
                    N_(
                        "an ordering question needs a numbered list `1. …` `2. …` of at least two items, "
                        "written in the correct order (drill shuffles them)"
                    )
                ),
            )
        elif numbers != list(range(1, len(numbers) + 1)) and set(numbers) != {1}:
            ctx.error(
                found[0][0].no,
                Message(
                    N_(
                        "the items are numbered %(numbers)s; write them in "
                        "the correct order numbered 1, 2, 3… — the order of the lines is the answer"
                    ),
                    numbers=", ".join(map(str, numbers)),
                ),
            )
        texts = [(line.no, m.group(2).strip()) for line, m in found]
        ids = unique_ids(texts, ctx, Message(N_("item")))
        items = [{"id": oid, "text": text} for oid, (_no, text) in zip(ids, texts, strict=True)]
        return stem, {"items": items, "scoring": self.scoring(ctx)}

    def render(self, spec: dict, md: Markdown) -> dict:
        return {**spec, "items": [{**i, "html": md(i["text"])} for i in spec["items"]]}

    def public(self, spec: dict, rng: random.Random) -> dict:
        items = [{"id": i["id"], "html": i.get("html", "")} for i in spec["items"]]
        rng.shuffle(items)
        if len(items) > 1 and [i["id"] for i in items] == [i["id"] for i in spec["items"]]:
            items = items[1:] + items[:1]  # a shuffle that shows the answer is no question
        return {"items": items}

    def score(self, spec: dict, response: object) -> Score:
        key = [i["id"] for i in spec["items"]]
        given = list(response) if isinstance(response, list | tuple) else []
        points, rule, n = float(spec["points"]), spec.get("scoring", "position"), len(key)
        if not all(isinstance(g, str) for g in given) or sorted(given) != sorted(key):
            return Score(0.0, {"correct": False, "answer": key, "error": "not an order of all the items"})
        if rule == "all":
            earned = points if given == key else 0.0
        elif rule == "adjacent":
            pairs = set(itertools.pairwise(given))
            earned = share(points, sum(pair in pairs for pair in itertools.pairwise(key)), n - 1)
        else:
            earned = share(points, sum(g == k for g, k in zip(given, key, strict=True)), n)
        return Score(earned, {"correct": given == key, "answer": key})


@register
class Matching(QuestionType):
    name = "matching"
    rank = 7
    names = ("匹配", "matching", "match", "连线")
    scorings: ClassVar[dict[str, tuple[str, ...]]] = {"partial": ("partial", "部分"), "all": ("all", "全对")}
    options = frozenset({"scoring", "shuffle"})

    def parse(self, content: list[Line], ctx: Context) -> tuple[list[Line], dict]:
        stem, found = trailing_list(content, _PAIR)
        lefts = [(line.no, m.group(1).strip()) for line, m in found if m.group(1).strip()]
        for line, m in found:
            if not m.group(2).strip():
                ctx.error(
                    line.no,
                    Message(
                        N_(
                            "a pair has nothing on the right; write `- left => right` "
                            "(or `- => right` for a distractor)"
                        )
                    ),
                )
        if len(lefts) < 2:
            ctx.error(
                None, Message(N_("a matching question needs at least two pairs written `- left => right`"))
            )
        left_ids = unique_ids(lefts, ctx, Message(N_("left item")))
        rights: dict[str, dict] = {}
        pairs = []
        for line, m in found:
            right = m.group(2).strip()
            rights.setdefault(short_id(right), {"id": short_id(right), "text": right})
            if m.group(1).strip():
                pairs.append(
                    {
                        "id": left_ids[len(pairs)],
                        "text": m.group(1).strip(),
                        "right": short_id(right),
                        "line": line.no,
                    }
                )
        return stem, {
            "pairs": [{k: p[k] for k in ("id", "text", "right")} for p in pairs],
            "rights": list(rights.values()),
            "scoring": self.scoring(ctx),
            "shuffle": yes_no(ctx, "shuffle", True),
        }

    def render(self, spec: dict, md: Markdown) -> dict:
        return {
            **spec,
            "pairs": [{**p, "html": md(p["text"])} for p in spec["pairs"]],
            "rights": [{**r, "html": md(r["text"])} for r in spec["rights"]],
        }

    def public(self, spec: dict, rng: random.Random) -> dict:
        lefts = [{"id": p["id"], "html": p.get("html", "")} for p in spec["pairs"]]
        rights = [{"id": r["id"], "html": r.get("html", "")} for r in spec["rights"]]
        if spec.get("shuffle", True):
            rng.shuffle(rights)
        return {"lefts": lefts, "rights": rights}

    def score(self, spec: dict, response: object) -> Score:
        given = response if isinstance(response, dict) else {}
        right = {p["id"]: given.get(p["id"]) == p["right"] for p in spec["pairs"]}
        points = float(spec["points"])
        if spec.get("scoring") == "all":
            earned = points if all(right.values()) else 0.0
        else:
            earned = share(points, sum(right.values()), len(right))
        return Score(earned, {"correct": right, "answer": {p["id"]: p["right"] for p in spec["pairs"]}})
