"""Importing packs: check first, import nothing on any error, one transaction (flushed here, committed by
the caller). Unchanged packs and questions are left alone, changed ones get a new version, questions that
left their pack are retired."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import false, select, text, update

from drill.content.assets import content_type
from drill.content.check import CheckedPack, Report, check_paths
from drill.content.models import Pack, PackAsset, PackVersion, Question, QuestionVersion
from drill.content.questions import render_spec
from drill.content.render import render_markdown
from drill.content.rubric import render_rubric
from drill.database import utcnow
from drill.extensions import db

ASSET_URL_PREFIX = "/content/assets"  # the `content.asset` route (see views.py)


@dataclass
class PackChanges:
    slug: str
    kind: str
    status: str  # added | changed | unchanged
    version: int
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    report: Report
    packs: list[PackChanges] = field(default_factory=list)
    retired_packs: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.report.ok


def checksum(data: object) -> str:
    raw = data if isinstance(data, bytes) else json.dumps(data, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(raw).hexdigest()


def import_paths(
    paths: list[Path | str], *, taxonomy_path: Path | str | None = None, retire_missing: bool = False,
    now: datetime | None = None,
) -> ImportResult:  # fmt: skip
    """Import the packs under `paths`. On any check error nothing is written and the result says why.

    `retire_missing` retires packs (and their questions) that are in the database but not among `paths`:
    use it only when importing the whole content folder.
    """
    now = now or utcnow()
    report = check_paths(paths, taxonomy_path=taxonomy_path)
    result = ImportResult(report)
    if not report.ok:
        return result
    lock_imports()
    for item in report.packs:
        result.packs.append(_import_pack(item, now))
    if retire_missing:
        seen = {item.pack.id for item in report.packs}
        for pack in db.session.scalars(select(Pack).where(Pack.retired.is_(False), Pack.slug.not_in(seen))):
            pack.retired = True
            for question in pack.questions:
                question.retired_at = question.retired_at or now
            result.retired_packs.append(pack.slug)
    db.session.flush()
    return result


def lock_imports() -> None:
    """Hold the import lock until the transaction ends, so that two imports (a `drill import` and a
    publish from the browser, say) run one after the other, the second seeing what the first wrote,
    instead of both adding the same pack and one failing on its unique slug. Take it before reading."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(hashtext('drill-content-import'))"))
    else:  # SQLite has one writer at a time: a write that changes nothing takes the lock (or waits for it)
        db.session.execute(update(Pack).where(false()).values(slug=Pack.slug))


def _store_assets(item: CheckedPack) -> dict[str, str]:
    """Save every linked file once per checksum; returns pack path → checksum."""
    sums: dict[str, str] = {}
    for path, file in sorted(item.assets.items()):
        data = file.read_bytes()
        digest = checksum(data)
        sums[path] = digest
        if db.session.scalar(select(PackAsset.id).where(PackAsset.checksum == digest)) is None:
            db.session.add(
                PackAsset(checksum=digest, content_type=content_type(path), size=len(data), data=data)
            )
    db.session.flush()
    return sums


def _renderer(sums: dict[str, str]):
    def resolve(path: str) -> str | None:
        digest = sums.get(path)
        return f"{ASSET_URL_PREFIX}/{digest}/{quote(Path(path).name)}" if digest else None

    return lambda source: render_markdown(source, resolve)


def _rendered_sections(item: CheckedPack, md) -> dict:
    pack = item.pack
    sections = {name: md(text) for name, text in pack.sections.items() if text}
    if pack.rubric is not None:
        sections["rubric"] = render_rubric(pack.rubric, md)
    if item.examples:
        sections["examples"] = [
            {**e, "answer_html": md(e["answer"]), "comment_html": md(e["comment"])} for e in item.examples
        ]
    return sections


def _question_payloads(item: CheckedPack, md) -> list[tuple[str, dict]]:
    prefix = f"{item.pack.id}/" if item.pack.kind == "case" else ""
    payloads = []
    for q in item.pack.questions:
        payload = {
            "type": q.type, "points": q.points, "difficulty": q.difficulty, "level": q.level,
            "competencies": q.competencies, "tags": q.tags, "spec": render_spec(q.spec, md),
        }  # fmt: skip
        payloads.append((prefix + q.id, payload))
    return payloads


def _import_pack(item: CheckedPack, now: datetime) -> PackChanges:
    sums = _store_assets(item)
    md = _renderer(sums)
    meta = {**item.pack.meta, "assets": sums}
    sections = _rendered_sections(item, md)
    payloads = _question_payloads(item, md)
    digest = checksum(
        {"meta": meta, "sections": sections, "questions": [(k, checksum(p)) for k, p in payloads]}
    )
    pack = db.session.scalar(select(Pack).where(Pack.slug == item.pack.id))
    status = "added" if pack is None else "changed"
    if pack is None:
        pack = Pack(slug=item.pack.id, kind=item.pack.kind, title=meta["title"], current_version=0)
        db.session.add(pack)
    elif pack.versions and pack.versions[-1].checksum == digest and not pack.retired:
        keys = [key for key, _payload in payloads]
        return PackChanges(pack.slug, pack.kind, "unchanged", pack.current_version, unchanged=keys)
    pack.kind, pack.title, pack.retired = item.pack.kind, meta["title"], False
    pack.theme, pack.level, pack.audience = meta.get("theme"), meta.get("level"), meta.get("audience")
    pack.source_path = item.pack.file
    pack.current_version += 1
    version = PackVersion(
        pack=pack, number=pack.current_version, checksum=digest, meta=meta, sections=sections
    )
    db.session.add(version)
    db.session.flush()
    changes = PackChanges(pack.slug, pack.kind, status, pack.current_version)
    _import_questions(pack, version, payloads, changes, now)
    return changes


def _import_questions(
    pack: Pack, version: PackVersion, payloads: list[tuple[str, dict]], changes: PackChanges, now: datetime
) -> None:
    keys = [key for key, _payload in payloads]
    existing = {q.key: q for q in db.session.scalars(select(Question).where(Question.key.in_(keys)))}
    for position, (key, payload) in enumerate(payloads):
        question = existing.get(key)
        digest = checksum(payload)
        if question is None:
            question = Question(key=key, pack=pack, position=position, current_version=0)
            db.session.add(question)
            changes.added.append(key)
        elif question.latest is not None and question.latest.checksum == digest:
            back = question.retired_at is not None or question.pack_id != pack.id  # returned or moved here
            (changes.restored if back else changes.unchanged).append(key)
        else:
            changes.changed.append(key)
        question.pack, question.position, question.retired_at = pack, position, None
        if question.latest is None or question.latest.checksum != digest:
            question.current_version += 1
            question.versions.append(
                QuestionVersion(
                    number=question.current_version,
                    checksum=digest,
                    pack_version_id=version.id,
                    stem_html=payload["spec"]["stem_html"],
                    explanation_html=payload["spec"]["explanation_html"],
                    **payload,
                )
            )
    gone = select(Question).where(
        Question.pack_id == pack.id, Question.key.not_in(keys), Question.retired_at.is_(None)
    )
    for question in db.session.scalars(gone):
        question.retired_at = now
        changes.retired.append(question.key)
