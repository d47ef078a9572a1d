"""A changed pack's questions written in bulk: the questions it may touch read in one query (its own and
any of its keys elsewhere, for a question that moved here), then inserts and updates sent as executemany
in chunks. No ORM object per question, no flush per question.

The rules are today's: a question whose rendered payload changed gets a new version, an unchanged one
keeps its version (and comes back if it was retired or moved), a question that left the pack is retired.
"""

from __future__ import annotations

from datetime import datetime
from itertools import islice
from typing import NamedTuple

from sqlalchemy import insert, or_, select, update

from drill.content.models import Question, QuestionVersion
from drill.extensions import db

CHUNK = 1000  # rows per executemany, and keys per IN list (far below SQLite's 32,766 bound variables)


def chunks(items: list, size: int = CHUNK):
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


class Known(NamedTuple):
    id: int
    pack_id: int
    position: int
    number: int  # current version
    retired_at: datetime | None
    checksum: str | None  # of the current version


def _existing(pack_id: int, keys: list[str]) -> dict[str, Known]:
    """The pack's questions and any question elsewhere that carries one of `keys`, by key."""
    rows: dict[str, Known] = {}
    for batch in chunks(keys) if keys else [[]]:
        query = (
            select(
                Question.key,
                Question.id,
                Question.pack_id,
                Question.position,
                Question.current_version,
                Question.retired_at,
                QuestionVersion.checksum,
            )
            .outerjoin(
                QuestionVersion,
                (QuestionVersion.question_id == Question.id)
                & (QuestionVersion.number == Question.current_version),
            )
            .where(or_(Question.pack_id == pack_id, Question.key.in_(batch)))
        )
        for key, *row in db.session.execute(query):
            rows[key] = Known(*row)
    return rows


def write_questions(
    pack_id: int, version_id: int, items: list[tuple[str, dict, str]], changes, now: datetime
) -> None:
    """`items` are (key, payload, payload checksum) in pack order; `changes` (a PackChanges) is filled."""
    keys = [key for key, _payload, _digest in items]
    existing = _existing(pack_id, keys)
    new_rows, updates, versions = [], [], []  # versions: (key, number, payload, checksum)
    for position, (key, payload, digest) in enumerate(items):
        known = existing.get(key)
        if known is None:
            new_rows.append({"key": key, "pack_id": pack_id, "position": position, "current_version": 1})
            versions.append((key, 1, payload, digest))
            changes.added.append(key)
            continue
        number = known.number
        if known.checksum == digest:
            back = known.retired_at is not None or known.pack_id != pack_id  # returned or moved here
            (changes.restored if back else changes.unchanged).append(key)
        else:
            changes.changed.append(key)
            number += 1
            versions.append((key, number, payload, digest))
        if (known.pack_id, known.position, known.retired_at, known.number) != (
            pack_id,
            position,
            None,
            number,
        ):
            updates.append({"id": known.id, "pack_id": pack_id, "position": position, "retired_at": None,
                            "current_version": number})  # fmt: skip
    ids = {key: known.id for key, known in existing.items()}
    for batch in chunks(new_rows):
        returned = db.session.execute(
            insert(Question).returning(Question.key, Question.id, sort_by_parameter_order=True), batch
        )
        ids.update((key, question_id) for key, question_id in returned)
    for batch in chunks(updates):
        db.session.execute(update(Question), batch)
    rows = [
        _version_row(ids[key], number, payload, digest, version_id)
        for key, number, payload, digest in versions
    ]
    for batch in chunks(rows):
        db.session.execute(insert(QuestionVersion), batch)
    taken = set(keys)
    gone = sorted((known.id, key) for key, known in existing.items()
                  if key not in taken and known.pack_id == pack_id and known.retired_at is None)  # fmt: skip
    for batch in chunks(gone):
        db.session.execute(
            update(Question).where(Question.id.in_([i for i, _k in batch])).values(retired_at=now)
        )
    changes.retired += [key for _id, key in gone]


def _version_row(question_id: int, number: int, payload: dict, digest: str, version_id: int) -> dict:
    spec = payload["spec"]
    return {
        "question_id": question_id, "number": number, "checksum": digest, "pack_version_id": version_id,
        "stem_html": spec["stem_html"], "explanation_html": spec["explanation_html"], **payload,
    }  # fmt: skip
