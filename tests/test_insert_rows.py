"""database.insert_rows: many rows in one go (COPY on PostgreSQL, an executemany on SQLite), in the caller's
transaction, with SQLAlchemy's errors whichever way they went in."""

import pytest
from sqlalchemy import exc, select

from drill.accounts.models import Branch
from drill.database import insert_rows


def rows(*codes: str) -> list[dict]:
    return [{"code": code, "name": f"网点{code}", "kind": "outlet", "path": "/"} for code in codes]


def test_rows_go_in_within_the_callers_transaction(db):
    insert_rows(db.session.connection(), Branch.__table__, rows("A1", "A2", "A3"))
    assert db.session.scalars(select(Branch.code).order_by(Branch.code)).all() == ["A1", "A2", "A3"]
    db.session.rollback()
    assert db.session.scalars(select(Branch.code)).all() == []
    insert_rows(db.session.connection(), Branch.__table__, [])  # nothing to do is no statement at all


def test_a_broken_constraint_is_sqlalchemys_integrity_error_and_leaves_nothing(db):
    with pytest.raises(exc.IntegrityError):
        insert_rows(db.session.connection(), Branch.__table__, rows("B1", "B2", "B1"))
    db.session.rollback()
    assert db.session.scalars(select(Branch.code)).all() == []
