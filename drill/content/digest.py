"""A pack's source digest: what an import would read, hashed before anything is parsed.

The digest covers the pack's own files (its Markdown; for a pack folder every file in it, by sorted
relative path and bytes, so a changed image counts), the kind its folder gives it, and the pack's context:
the taxonomy, the shared rubrics and the assessment points of its content root, which change what a pack
parses to or what the check reports, and the rubric files among the imported paths themselves (a rubric
outside a content root is resolved among them). `IMPORT_FORMAT` is part of it too: bump it whenever parsing or
rendering changes what the same source imports to, so every pack is read again once.

A single-file pack's images live beside it in the kind folder with other packs' files, so its digest
cannot name them without parsing; `assets_unchanged` re-hashes the files its current version linked.
Reads files; never touches a database.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from drill.content.discover import TAXONOMY, Source, content_root

IMPORT_FORMAT = b"drill-pack-source/1"
CONTEXT_FOLDERS = ("rubrics", "standards")


def _files(folder: Path) -> list[Path]:
    return sorted(
        (p for p in folder.rglob("*") if p.is_file()), key=lambda p: p.relative_to(folder).as_posix()
    )


def _feed(digest, name: str, data: bytes) -> None:
    """Length-prefixed, so that no two different file lists feed the same bytes."""
    for part in (name.encode(), data):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)


def file_checksum(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Digests:
    """Source digests for the packs of one import, each content root's context hashed once."""

    def __init__(self, sources: list[Source], taxonomy_path: Path | str | None = None) -> None:
        self.taxonomy_path = Path(taxonomy_path) if taxonomy_path else None
        self._contexts: dict[Path | None, bytes] = {}
        self._digests: dict[Path, str | None] = {}
        rubrics = hashlib.sha256()  # every file that may be a rubric other packs name (kind from the folder
        for source in sorted(sources, key=lambda s: str(s.file)):  # or, outside one, from the front matter)
            if source.kind in ("rubric", None):
                _feed(rubrics, str(source.file), self._own(source) or b"")
        self._rubrics = rubrics.digest()

    def context(self, root: Path | None) -> bytes:
        if root not in self._contexts:
            digest = hashlib.sha256(IMPORT_FORMAT)
            taxonomy = root / TAXONOMY if root else self.taxonomy_path
            if taxonomy is not None and taxonomy.is_file():
                _feed(digest, TAXONOMY, taxonomy.read_bytes())
            for name in CONTEXT_FOLDERS if root else ():
                for path in _files(root / name) if (root / name).is_dir() else []:
                    _feed(digest, path.relative_to(root).as_posix(), path.read_bytes())
            self._contexts[root] = digest.digest()
        return self._contexts[root]

    def of(self, source: Source) -> str | None:
        """The pack's digest, or None when a file cannot be read (the check will say why)."""
        if source.file not in self._digests:
            own = self._own(source)
            digest = hashlib.sha256(self.context(content_root(source.file)))
            for name, part in (("kind", (source.kind or "").encode()), ("rubrics", self._rubrics)):
                _feed(digest, name, part)
            _feed(digest, "pack", own or b"")
            self._digests[source.file] = digest.hexdigest() if own is not None else None
        return self._digests[source.file]

    @staticmethod
    def _own(source: Source) -> bytes | None:
        """The digest of the pack's own files: its Markdown, or every file of its folder."""
        digest = hashlib.sha256()
        try:
            if source.folder:
                for path in _files(source.base):
                    _feed(digest, path.relative_to(source.base).as_posix(), path.read_bytes())
            else:
                _feed(digest, source.file.name, source.file.read_bytes())
        except OSError:
            return None
        return digest.digest()


def assets_unchanged(source: Source, assets: dict[str, str]) -> bool:
    """Whether every file a version linked (pack path → checksum) still holds the same bytes."""
    try:
        return all(file_checksum(source.base / path) == want for path, want in assets.items())
    except OSError:
        return False
