"""Reading an uploaded zip of a pack folder — pure: the rules of uploads.py applied to every member.

Every entry is checked from its header first (kind, path, declared size, compression ratio), then read
in chunks and counted, so neither a lying header nor a bomb unpacks past the limits; the pack folder is
the one holding the Markdown file, and every other file must be inside it.
"""

from __future__ import annotations

import io
import posixpath
import stat
import zipfile
import zlib

from drill.authoring.rules.uploads import (
    Limits,
    PackUpload,
    Refused,
    asset_type,
    extension,
    human,
    markdown_text,
    member_path,
    slug,
)
from drill.content.discover import KIND_DIRS
from drill.messages import N_

RATIO_FLOOR = 64 * 1024  # smaller entries are never bombs, however well they compress
CHUNK = 64 * 1024
JUNK = (".DS_Store", "Thumbs.db", "desktop.ini")


def _display_name(info: zipfile.ZipInfo) -> str:
    """Zips made by Windows' own tool store Chinese names in GBK without saying so; read them as such."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    for encoding in ("utf-8", "gbk"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


def _junk(path: str) -> bool:
    """Files that operating systems add to zips (and names drill skips anyway): left out silently."""
    parts = path.split("/")
    return parts[0] == "__MACOSX" or parts[-1] in JUNK or any(p.startswith(".") for p in parts)


def _check_entry(info: zipfile.ZipInfo, name: str, limits: Limits) -> None:
    kind = stat.S_IFMT(info.external_attr >> 16)
    if kind == stat.S_IFLNK:
        raise Refused(N_("“%(name)s” is a symbolic link; a pack holds only plain files."), name=name)
    if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        raise Refused(N_("“%(name)s” is a special file; a pack holds only plain files."), name=name)
    if info.flag_bits & 0x1:
        raise Refused(N_("“%(name)s” is encrypted; upload a zip without a password."), name=name)
    if info.file_size > RATIO_FLOOR and info.file_size > limits.ratio * max(info.compress_size, 1):
        raise Refused(
            N_("“%(name)s” expands more than %(ratio)d times: this looks like an archive bomb."),
            name=name,
            ratio=limits.ratio,
        )


def _members(archive: zipfile.ZipFile, limits: Limits) -> list[tuple[zipfile.ZipInfo, str]]:
    """The zip's files to read, every entry checked from its header first."""
    members: list[tuple[zipfile.ZipInfo, str]] = []
    seen: set[str] = set()
    declared = 0
    for info in archive.infolist():
        name = _display_name(info)
        _check_entry(info, name, limits)
        path = member_path(name)
        if info.is_dir() or _junk(path):
            continue
        if path in seen:
            raise Refused(N_("“%(name)s” is in the zip twice."), name=path)
        seen.add(path)
        declared += info.file_size
        members.append((info, path))
    if len(members) > limits.files:
        raise Refused(
            N_("The zip holds %(count)d files; the limit is %(limit)d."),
            count=len(members),
            limit=limits.files,
        )
    if declared > limits.unpacked_bytes:
        raise Refused(
            N_("The zip unpacks to %(size)s; the limit is %(limit)s."),
            size=human(declared),
            limit=human(limits.unpacked_bytes),
        )
    return members


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: str, budget: int) -> bytes:
    """The member's bytes, counted as they come: never more than declared, never past the budget."""
    chunks, size = [], 0
    with archive.open(info) as stream:
        while chunk := stream.read(CHUNK):
            size += len(chunk)
            if size > info.file_size:
                raise Refused(N_("“%(name)s” is larger than the zip says: the zip is damaged."), name=path)
            if size > budget:
                raise Refused(N_("The zip unpacks to more than %(limit)s."), limit=human(budget))
            chunks.append(chunk)
    return b"".join(chunks)


def read_zip(filename: str, data: bytes, limits: Limits) -> PackUpload:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = _members(archive, limits)
            markdown = [path for _info, path in members if extension(path) == ".md"]
            _one_markdown(markdown)
            root = posixpath.dirname(markdown[0])
            budget, contents = limits.unpacked_bytes, {}
            for info, path in members:
                relative = _inside(root, path)
                if relative != posixpath.basename(markdown[0]):
                    asset_type(relative)
                contents[relative] = _read_member(archive, info, path, budget)
                budget -= len(contents[relative])
    except Refused:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        NotImplementedError,
        RuntimeError,
        zlib.error,
        EOFError,
        OSError,
        ValueError,
    ) as exc:
        raise Refused(
            N_("“%(name)s” is not a zip drill can read (%(reason)s)."), name=filename, reason=str(exc)
        ) from None
    md_name = posixpath.basename(markdown[0])
    text = markdown_text(md_name, contents.pop(md_name), limits)
    return PackUpload(text, contents, *_kind_and_name(root, md_name, filename))


def screen_workbook(filename: str, data: bytes, limits: Limits) -> None:
    """An .xlsx is a zip too: refuse one that would unpack past the limit before a reader opens it (zipfile
    never reads a member past its declared size, so the declared total bounds what is unpacked)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise Refused(
            N_("“%(name)s” is not a zip drill can read (%(reason)s)."), name=filename, reason=str(exc)
        ) from None
    declared = sum(info.file_size for info in infos)
    if len(infos) > 10 * limits.files or declared > limits.unpacked_bytes:
        raise Refused(
            N_("The zip unpacks to %(size)s; the limit is %(limit)s."),
            size=human(declared),
            limit=human(limits.unpacked_bytes),
        )


def _one_markdown(markdown: list[str]) -> None:
    if not markdown:
        raise Refused(N_("The zip holds no Markdown file; a pack folder holds exactly one .md file."))
    if len(markdown) > 1:
        raise Refused(
            N_("The zip holds %(count)d Markdown files (%(names)s); a pack folder holds exactly one."),
            count=len(markdown),
            names=", ".join(markdown[:5]),
        )


def _inside(root: str, path: str) -> str:
    """`path` relative to the pack folder `root`; Refused if it is elsewhere in the zip."""
    if not root:
        return path
    if not path.startswith(root + "/"):
        raise Refused(
            N_("“%(name)s” is outside the pack folder “%(folder)s”; zip one pack folder."),
            name=path,
            folder=root,
        )
    return path[len(root) + 1 :]


def _kind_and_name(root: str, md_name: str, filename: str) -> tuple[str | None, str]:
    parts = root.split("/") if root else []
    zip_stem = posixpath.splitext(posixpath.basename(filename.replace("\\", "/")))[0]
    md_stem = posixpath.splitext(md_name)[0]
    if parts and parts[-1] in KIND_DIRS:  # quizzes/credit.md
        return KIND_DIRS[parts[-1]], slug(md_stem)
    kind = KIND_DIRS.get(parts[-2]) if len(parts) > 1 else None
    name = parts[-1] if parts else (zip_stem if md_stem.lower() in ("index", "readme") else md_stem)
    return kind, slug(name)
