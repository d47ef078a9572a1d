"""Counting the SQL a page runs, to prove it does not grow with its rows (issue 14).

    with counted(db) as statements:
        client.get(url)
    assert len(statements) == ...

`page_queries(db, client, url)` opens a page (it must answer 200) and returns the statements it ran;
`assert_same_queries(small, large)` fails with the statements that grew, grouped, so the N+1 is named.
A query-count test opens a page at two sizes (5 and 200 rows, say) and asserts the counts are equal.
"""

from __future__ import annotations

import re
from collections import Counter
from contextlib import contextmanager

from sqlalchemy import event

_LITERALS = re.compile(r"\b\d+\b|'[^']*'|\(\?(?:, \?)*\)|\(%\([^)]*\)s(?:, %\([^)]*\)s)*\)")


@contextmanager
def counted(db):
    """The statements run on `db.engine` inside the block, in order."""
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def page_queries(db, client, url: str, **kwargs) -> list[str]:
    """GET `url` with `client` and return the statements the request ran; the page must answer 200."""
    with counted(db) as statements:
        response = client.get(url, **kwargs)
    assert response.status_code == 200, (url, response.status_code)
    return statements


def shape(statement: str) -> str:
    """A statement with its literals and IN lists folded, so one query repeated per row reads as one."""
    return " ".join(_LITERALS.sub("?", statement).split())[:160]


def assert_same_queries(small: list[str], large: list[str]) -> None:
    """A page at two sizes runs the same number of statements; otherwise name the ones that repeat."""
    if len(small) == len(large):
        return
    grown = Counter(map(shape, large))
    grown.subtract(Counter(map(shape, small)))
    detail = "\n".join(f"  +{n} × {s}" for s, n in grown.most_common() if n)
    raise AssertionError(f"{len(small)} statements at the small size, {len(large)} at the large:\n{detail}")
