"""Input bounds at the edge: hostile input gets a clear 404, 400 or 413, never a 500.

- every `<int:...>` in a URL is a bounded id: one that no 64-bit column can hold is simply not found;
- `?page=` beyond any real list is not found;
- a JSON body is read with a hard cap on its size, chunked or not, and on its nesting.
"""

from __future__ import annotations

import json

from flask import Flask, abort, request
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.routing import IntegerConverter

from drill.messages import N_

MAX_ID = 2**63 - 1  # the largest BIGINT: SQLite and PostgreSQL overflow past it
MAX_PAGE = 100_000  # 50 rows a page: five million rows
MAX_DEPTH = 8  # an answer is at most an object of strings or a list of strings: depth 2


class BoundedInt(IntegerConverter):
    """`<int:...>` that never matches a number past MAX_ID (nor past a rule's own `max`)."""

    def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False):
        super().__init__(map, fixed_digits, min, MAX_ID if max is None else max, signed)


def install(app: Flask) -> None:
    """Call before any route is added: rules pick their converter when they are added."""
    app.url_map.converters["int"] = BoundedInt
    app.before_request(_bounded_page)


def _bounded_page() -> None:
    page = request.args.get("page", "")
    if page.isdigit() and int(page) > MAX_PAGE:
        abort(404)


class BodyRefused(Exception):
    """A request body refused before it is used: `status` (400 or 413) and an English msgid."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


def depth(text: str) -> int:
    """The deepest nesting of arrays and objects in a JSON text (strings skipped), without parsing it."""
    deepest = level = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            level += 1
            deepest = max(deepest, level)
        elif char in "]}":
            level -= 1
    return deepest


def json_body(max_bytes: int, max_depth: int = MAX_DEPTH) -> object:
    """The request's JSON, read with a hard cap of `max_bytes` (also for a chunked body with no length)."""
    request.max_content_length = max_bytes + 1  # a stream is cut at its maximum: one byte more tells
    try:
        data = request.get_data(cache=True)
    except RequestEntityTooLarge:
        raise BodyRefused(413, N_("The answer is too long.")) from None
    if len(data) > max_bytes:
        raise BodyRefused(413, N_("The answer is too long."))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise BodyRefused(400, N_("The answer is not UTF-8 text.")) from None
    if depth(text) > max_depth:
        raise BodyRefused(400, N_("The answer is nested too deeply."))
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        raise BodyRefused(400, N_("The answer is not valid JSON.")) from None
