"""Drafts and their files. Services flush; the view commits once.

A draft's files are named by checksum: the bytes of a file uploaded with a draft are kept once in
`authoring_files`; a draft started from a published pack names that pack's files, already kept in
`pack_assets`. A file no draft names any more is deleted when its last draft is published or discarded.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from drill.accounts.models import User
from drill.authoring.models import Draft, DraftFile, PackSource
from drill.authoring.rules.uploads import PackUpload, slug
from drill.authoring.workspace import KIND_FOLDERS
from drill.content.discover import KIND_DIRS
from drill.content.models import Pack, PackAsset, PackVersion
from drill.content.services import checksum
from drill.database import utcnow
from drill.extensions import db


def store_file(data: bytes) -> str:
    """Keep `data` once; its checksum."""
    digest = checksum(data)
    known = db.session.scalar(select(DraftFile.id).where(DraftFile.checksum == digest))
    if known is None and db.session.scalar(select(PackAsset.id).where(PackAsset.checksum == digest)) is None:
        try:
            with db.session.begin_nested():  # two trainers uploading the same file at once: both succeed
                db.session.add(DraftFile(checksum=digest, size=len(data), data=data))
        except IntegrityError:
            pass
    return digest


def file_bytes(digest: str) -> bytes | None:
    found = db.session.scalar(select(DraftFile.data).where(DraftFile.checksum == digest))
    if found is None:
        found = db.session.scalar(select(PackAsset.data).where(PackAsset.checksum == digest))
    return found


def draft_files(draft: Draft) -> dict[str, bytes]:
    """The draft's files, path → bytes (a file whose bytes are gone is left out; check then reports it)."""
    files = {}
    for path, digest in sorted((draft.files or {}).items()):
        data = file_bytes(digest)
        if data is not None:
            files[path] = data
    return files


def files_size(draft: Draft) -> int:
    return sum(len(data) for data in draft_files(draft).values())


def guess_kind(text: str, hint: str | None = None) -> str:
    """quiz, case or rubric: the front matter's `kind:` first, then the folder hint, then the body."""
    for line in text.splitlines()[:40]:
        key, _, value = line.partition(":")
        if key.strip() in ("kind", "类别") and value.strip() in ("quiz", "case", "rubric"):
            return value.strip()
    if hint in KIND_FOLDERS:
        return hint
    body = text.replace("：", ":")
    if any(f"## {word}" in body for word in ("背景", "Background", "任务", "Tasks")):
        return "case"
    if "| 权重" in body and "类型:" not in body:
        return "rubric"
    return "quiz"


def create_draft(
    owner: User,
    text: str,
    *,
    kind: str | None = None,
    name: str = "pack",
    files: dict[str, bytes] | None = None,
    pack: Pack | None = None,
    digests: dict[str, str] | None = None,
) -> Draft:
    """A new draft owned by `owner`; `files` are stored, `digests` name files already kept."""
    names = dict(digests or {})
    for path, data in sorted((files or {}).items()):
        names[path] = store_file(data)
    draft = Draft(
        owner=owner,
        text=text,
        kind=kind or guess_kind(text),
        name=name,
        files=names,
        pack=pack,
        base_version=pack.current_version if pack else None,
    )
    db.session.add(draft)
    db.session.flush()
    return draft


def draft_from_upload(owner: User, upload: PackUpload) -> Draft:
    kind = guess_kind(upload.text, upload.kind)
    return create_draft(owner, upload.text, kind=kind, name=upload.name, files=upload.files)


def save(draft: Draft, text: str, kind: str, name: str) -> None:
    draft.text, draft.kind, draft.name = text, kind, name
    draft.updated_at = utcnow()
    db.session.flush()


def add_file(draft: Draft, path: str, data: bytes) -> None:
    draft.files = {**(draft.files or {}), path: store_file(data)}
    draft.updated_at = utcnow()
    db.session.flush()


def remove_file(draft: Draft, path: str) -> None:
    draft.files = {p: d for p, d in (draft.files or {}).items() if p != path}
    draft.updated_at = utcnow()
    db.session.flush()
    forget_unused_files()


def discard(draft: Draft) -> None:
    db.session.delete(draft)
    db.session.flush()
    forget_unused_files()


def forget_unused_files() -> None:
    """Delete uploaded bytes that no draft names any more (published ones live on in pack_assets)."""
    used = {d for files in db.session.scalars(select(Draft.files)) for d in (files or {}).values()}
    stored = set(db.session.scalars(select(DraftFile.checksum)))
    if stored - used:
        db.session.execute(delete(DraftFile).where(DraftFile.checksum.in_(stored - used)))


def drafts_of(user: User) -> list[Draft]:
    """The user's drafts with the pack each edits (the library shows it)."""
    query = select(Draft).where(Draft.owner_id == user.id).options(joinedload(Draft.pack))
    return list(db.session.scalars(query.order_by(Draft.updated_at.desc())))


def draft_of_pack(user: User, pack: Pack) -> Draft | None:
    return db.session.scalar(
        select(Draft).where(Draft.owner_id == user.id, Draft.pack_id == pack.id).order_by(Draft.id).limit(1)
    )


def current_source(pack: Pack) -> PackSource | None:
    """The stored source of the pack's current version, when it was published in the browser."""
    return db.session.scalar(
        select(PackSource)
        .join(PackVersion, PackVersion.id == PackSource.pack_version_id)
        .where(PackVersion.pack_id == pack.id, PackVersion.number == pack.current_version)
    )


def git_source(pack: Pack, content_dir: Path) -> tuple[str, str] | None:
    """(name, text) of a pack imported from the content folder, read from there if it is still there."""
    parts = Path(pack.source_path or "").parts
    folder = next((i for i in range(len(parts) - 1, -1, -1) if parts[i] in KIND_DIRS), None)
    if folder is None:
        return None
    base = content_dir.resolve()
    file = base.joinpath(*parts[folder:])
    try:
        file = file.resolve()
        if not file.is_relative_to(base) or not file.is_file():
            return None
        text = file.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    inside = file.relative_to(base).parts  # quizzes/name.md or quizzes/name/index.md
    name = inside[1] if len(inside) > 2 else Path(inside[-1]).stem
    return name, text


def draft_from_pack(owner: User, pack: Pack, content_dir: Path) -> Draft | None:
    """A draft of the pack's current version, from its stored source or its file in the content folder;
    None when neither is available."""
    source = current_source(pack)
    if source is not None:
        name = Path(source.name).parent.name if len(Path(source.name).parts) > 2 else Path(source.name).stem
        files = source.files
        text = source.text
    else:
        found = git_source(pack, content_dir)
        if found is None:
            return None
        (name, text), files = found, _current_assets(pack)
    return create_draft(
        owner, text, kind=pack.kind, name=slug(name, pack.slug[:48]), pack=pack, digests=files
    )


def _current_assets(pack: Pack) -> dict[str, str]:
    """Pack path → checksum of the files the pack's current version links (one query, not its history)."""
    current = (PackVersion.pack_id == pack.id) & (PackVersion.number == pack.current_version)
    meta = db.session.scalar(select(PackVersion.meta).where(current))
    return dict((meta or {}).get("assets") or {})


def published_rubrics() -> dict[str, str]:
    """slug → Markdown of the shared rubrics published in the browser, for drafts that refer to them."""
    rows = db.session.execute(
        select(Pack.slug, PackSource.text)
        .join(PackVersion, PackVersion.pack_id == Pack.id)
        .join(PackSource, PackSource.pack_version_id == PackVersion.id)
        .where(Pack.kind == "rubric", Pack.retired.is_(False), PackVersion.number == Pack.current_version)
    )
    return dict(rows.all())
