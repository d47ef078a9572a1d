"""Checking, planning and publishing a draft with the same code as `drill check` and `drill import`.

- check: `check_paths` on the draft laid out in a temporary content folder (see workspace.py), plus one
  rule only the database can tell: a question id already used by another published pack.
- plan: `import_paths` itself, run inside a SAVEPOINT that is rolled back — the diff shown is what the
  import computes, not a second opinion, and nothing is written.
- publish: `import_paths` for real, the draft's source kept beside the new version, the draft removed; all
  flushed in the caller's one transaction, so a failure leaves the database as it was.

The plan carries a token (the draft's content and the pack's version it was computed against); publish
refuses a stale token, so what goes live is the diff the trainer saw.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from drill.accounts.models import User
from drill.authoring import services
from drill.authoring.checking import DraftCheck, present, text_diff
from drill.authoring.models import Draft, PackSource
from drill.authoring.workspace import Workspace, workspace
from drill.content.discover import TAXONOMY
from drill.content.models import Pack, PackVersion, Question
from drill.content.rules.check import Report, check_paths
from drill.content.rules.problems import Problem
from drill.content.services import ImportResult, checksum, import_paths, lock_imports
from drill.extensions import db
from drill.messages import N_, Message


@dataclass
class Checked:
    workspace: Workspace
    report: Report
    check: DraftCheck

    @property
    def slug(self) -> str | None:
        return self.report.packs[0].pack.id if self.report.packs else None


@contextmanager
def checked(
    draft: Draft, content_dir: Path, unsaved: tuple[str, str, str] | None = None
) -> Iterator[Checked]:
    """The draft checked as saved, or with `unsaved` (text, kind, name) in place of its own: nothing is
    written to the draft then, so the editor can check what the trainer is typing."""
    text, kind, name = unsaved or (draft.text, draft.kind, draft.name)
    files = services.draft_files(draft)
    rubrics = services.published_rubrics()
    with workspace(kind, name, text, files, content_dir, rubrics) as ws:
        report = check_paths([ws.file], taxonomy_path=ws.root / TAXONOMY)
        extra = taken_ids(report) if report.ok else []
        yield Checked(ws, report, present(report, ws.label_of, ws.label, extra))


def check(draft: Draft, content_dir: Path, unsaved: tuple[str, str, str] | None = None) -> DraftCheck:
    with checked(draft, content_dir, unsaved) as result:
        return result.check


def taken_ids(report: Report) -> list[Problem]:
    """Question ids of the draft that a different published pack uses now: publishing would take them."""
    problems = []
    for item in report.packs:
        if item.pack.kind != "quiz" or not item.pack.questions:
            continue
        lines = {q.id: q.line for q in item.pack.questions}
        rows = db.session.execute(
            select(Question.key, Pack.slug)
            .join(Pack, Pack.id == Question.pack_id)
            .where(Question.key.in_(lines), Question.retired_at.is_(None), Pack.slug != item.pack.id)
        )
        for key, slug in rows:
            message = Message(
                N_(
                    "question id `%(key)s` is already used by the published pack `%(pack)s`; "
                    "ids must be unique across packs"
                ),
                key=key,
                pack=slug,
            )
            problems.append(Problem(item.pack.file, lines[key], message))
    return problems


def token(draft: Draft, pack: Pack | None) -> str:
    return checksum(
        {
            "text": draft.text,
            "files": draft.files or {},
            "kind": draft.kind,
            "name": draft.name,
            "pack": pack.slug if pack else None,
            "version": pack.current_version if pack else 0,
        }
    )


def pack_by_slug(slug: str | None) -> Pack | None:
    return db.session.scalar(select(Pack).where(Pack.slug == slug)) if slug else None


@dataclass
class Plan:
    check: DraftCheck
    result: ImportResult | None = None  # what the import would do; None when the check failed
    pack: Pack | None = None  # the published pack the draft's id names, if any
    token: str = ""
    from_git: bool = False  # that pack's current version came from `drill import`
    diff: list[tuple[str, str]] = field(default_factory=list)  # the Markdown against the published one
    old_source: bool = False  # whether the published Markdown was found to compare with

    @property
    def changes(self):
        return self.result.packs[0] if self.result and self.result.packs else None


def plan(draft: Draft, content_dir: Path, now: datetime) -> Plan:
    with checked(draft, content_dir) as found:
        if not found.check.ok:
            return Plan(found.check)
        pack = pack_by_slug(found.slug)
        savepoint = db.session.begin_nested()
        try:
            result = import_paths(
                [found.workspace.file], taxonomy_path=found.workspace.root / TAXONOMY, now=now
            )
        finally:
            savepoint.rollback()
        outcome = Plan(found.check, result, pack, token(draft, pack))
        if pack is not None:
            source = services.current_source(pack)
            old = source.text if source else (services.git_source(pack, content_dir) or (None, None))[1]
            outcome.from_git = source is None
            if old is not None:
                outcome.old_source = True
                outcome.diff = text_diff(old, draft.text, f"v{pack.current_version}", found.workspace.label)
        return outcome


@dataclass
class Published:
    check: DraftCheck | None = None  # the draft has problems: nothing was published
    stale: bool = False  # the draft or the pack changed since the diff was shown: nothing was published
    result: ImportResult | None = None
    pack: Pack | None = None

    @property
    def ok(self) -> bool:
        return self.result is not None


def publish(draft: Draft, user: User, content_dir: Path, expected: str, now: datetime) -> Published:
    """Import the draft as `drill import` would, keep its source, remove the draft. Flushes; the caller
    commits, or rolls back on anything but an ok result."""
    with checked(draft, content_dir) as found:
        if not found.check.ok:
            return Published(check=found.check)
        lock_imports()  # then a publish that finished a moment ago makes this one stale
        if token(draft, pack_by_slug(found.slug)) != expected:
            return Published(stale=True)
        ws = found.workspace
        result = import_paths([ws.file], taxonomy_path=ws.root / TAXONOMY, now=now)
        if not result.ok:
            return Published(check=present(result.report, ws.label_of, ws.label))
        changes = result.packs[0]
        pack = pack_by_slug(changes.slug)
        if changes.status != "unchanged":
            pack.source_path = ws.label
            version = db.session.scalar(
                select(PackVersion).where(
                    PackVersion.pack_id == pack.id, PackVersion.number == pack.current_version
                )
            )
            assets = dict(version.meta.get("assets") or {})
            db.session.add(
                PackSource(
                    version=version,
                    name=ws.label,
                    text=draft.text,
                    files=assets,
                    published_by=user,
                    published_at=now,
                )
            )
        services.discard(draft)
        db.session.flush()
        return Published(result=result, pack=pack)
