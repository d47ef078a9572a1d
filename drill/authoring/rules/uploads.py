"""What an uploaded pack may be — pure rules: bytes in, a checked pack folder (in memory) out.

An upload is one Markdown file (`.md`) or a `.zip` of a pack folder: exactly one Markdown file beside
the images and data files it links to. Everything else is refused with the reason, before anything is
stored:

- sizes: the upload, the unpacked total (declared in the zip *and* counted while reading, so a zip that
  lies about its sizes is caught) and the number of files are limited; an entry that expands more than
  `ratio` times its compressed size is an archive bomb;
- paths: no `..`, no absolute path, no drive letter, no backslash, no control character — a member's
  path is normalised here and the caller only ever joins it under a fresh temporary folder;
- kinds: no symbolic link, device or other special file, no encrypted member;
- types: only Markdown, the images drill shows and the data files a pack links to.

Nothing here touches the file system: members are read into memory, within the limits above.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field

from drill.content.rules.reader import MAX_FILE_BYTES
from drill.messages import N_, Message

MiB = 1024 * 1024
IMAGE_EXTENSIONS = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg"})
DATA_EXTENSIONS = frozenset(
    {".csv", ".tsv", ".txt", ".json", ".xlsx", ".xls", ".docx", ".doc", ".pptx", ".ppt", ".pdf"}
)
ASSET_EXTENSIONS = IMAGE_EXTENSIONS | DATA_EXTENSIONS
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_DRIVE = re.compile(r"^[A-Za-z]:")
_SLUG_BAD = re.compile(r"[^a-z0-9-]+")


@dataclass(frozen=True)
class Limits:
    upload_bytes: int = 5 * MiB
    unpacked_bytes: int = 20 * MiB
    files: int = 200
    ratio: int = 100
    markdown_bytes: int = MAX_FILE_BYTES

    @classmethod
    def from_config(cls, config: dict) -> Limits:
        defaults = cls()
        return cls(
            upload_bytes=int(config.get("AUTHORING_MAX_UPLOAD", defaults.upload_bytes)),
            unpacked_bytes=int(config.get("AUTHORING_MAX_UNPACKED", defaults.unpacked_bytes)),
            files=int(config.get("AUTHORING_MAX_FILES", defaults.files)),
            ratio=int(config.get("AUTHORING_MAX_RATIO", defaults.ratio)),
        )


class Refused(ValueError):
    """An upload drill will not take; `message` says why (translated where it is shown)."""

    def __init__(self, template: str, **params) -> None:
        self.message = Message(template, **params)
        super().__init__(str(self.message))


@dataclass
class PackUpload:
    text: str  # the Markdown
    files: dict[str, bytes] = field(default_factory=dict)  # path relative to the Markdown file → bytes
    kind: str | None = None  # from a quizzes/, cases/ or rubrics/ folder in the zip
    name: str = "pack"  # a slug for the pack's file or folder


def slug(text: str, fallback: str = "pack") -> str:
    """A file or folder name safe on every system, usable as a pack id: lowercase letters, digits, `-`."""
    cleaned = _SLUG_BAD.sub("-", text.lower()).strip("-")[:48].strip("-")
    return cleaned or fallback


def extension(name: str) -> str:
    return posixpath.splitext(name)[1].lower()


def read_upload(filename: str, data: bytes, limits: Limits) -> PackUpload:
    """A `.md` or `.zip` upload → its pack, or Refused saying why."""
    if len(data) > limits.upload_bytes:
        raise Refused(
            N_("The upload is %(size)s; the limit is %(limit)s."),
            size=human(len(data)),
            limit=human(limits.upload_bytes),
        )
    kind = extension(filename)
    if kind == ".md":
        stem = posixpath.splitext(posixpath.basename(filename.replace("\\", "/")))[0]
        return PackUpload(markdown_text(filename, data, limits), name=slug(stem))
    if kind == ".zip":
        from drill.authoring.rules.zips import read_zip  # zips.py builds on the rules here

        return read_zip(filename, data, limits)
    raise Refused(
        N_("“%(name)s” is not a pack: upload a .md file or a .zip of a pack folder."), name=filename
    )


def markdown_text(name: str, data: bytes, limits: Limits) -> str:
    if len(data) > limits.markdown_bytes:
        raise Refused(
            N_("“%(name)s” is %(size)s; a pack's Markdown file may be at most %(limit)s."),
            name=name,
            size=human(len(data)),
            limit=human(limits.markdown_bytes),
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Refused(
            N_("“%(name)s” is not UTF-8 text; save it as UTF-8 (not GBK) and upload it again."), name=name
        ) from None


def member_path(name: str) -> str:
    """A zip member's (or uploaded file's) path, normalised; Refused if it could leave the pack."""
    if "\\" in name:
        raise Refused(N_("“%(name)s”: backslashes are not allowed in paths; use “/”."), name=name)
    if _CONTROL.search(name):
        raise Refused(N_("“%(name)s”: control characters are not allowed in names."), name=name)
    if name.startswith("/") or _DRIVE.match(name):
        raise Refused(N_("“%(name)s” is an absolute path; a pack holds only relative paths."), name=name)
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if ".." in parts:
        raise Refused(N_("“%(name)s” points outside the pack (“..”)."), name=name)
    if not parts:
        raise Refused(N_("An entry has an empty name."))
    return posixpath.join(*parts)


def asset_type(path: str) -> str:
    """The extension of a file a pack may hold beside its Markdown; Refused for anything else."""
    ext = extension(path)
    if ext == ".md":
        raise Refused(N_("“%(name)s”: a pack holds exactly one Markdown file."), name=path)
    if ext not in ASSET_EXTENSIONS:
        allowed = " ".join(sorted(ASSET_EXTENSIONS))
        raise Refused(
            N_("“%(name)s”: this type of file cannot be part of a pack (allowed: %(allowed)s)."),
            name=path,
            allowed=allowed,
        )
    return ext


def read_asset(folder: str, filename: str, data: bytes, limits: Limits, used: int = 0) -> str:
    """Where a single file added to a draft goes (`folder/name`), or Refused; `used` is the draft's total."""
    name = posixpath.basename(filename.replace("\\", "/"))
    path = member_path(posixpath.join(folder.strip("/"), name) if folder.strip("/") else name)
    asset_type(path)
    if len(data) > limits.upload_bytes:
        raise Refused(
            N_("The upload is %(size)s; the limit is %(limit)s."),
            size=human(len(data)),
            limit=human(limits.upload_bytes),
        )
    if used + len(data) > limits.unpacked_bytes:
        raise Refused(
            N_("The pack's files would exceed %(limit)s together."), limit=human(limits.unpacked_bytes)
        )
    return path


def human(size: int) -> str:
    if size >= MiB:
        return f"{size / MiB:.1f} MiB"
    if size >= 1024:
        return f"{size / 1024:.0f} KiB"
    return f"{size} B"
