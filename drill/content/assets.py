"""The files a pack links to (images, data files): each link checked, each file found beside the pack."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import urlsplit

from drill.content.rules.problems import Problems
from drill.content.rules.render import SCHEMES, links, pack_path
from drill.messages import N_, Message

MAX_ASSET_BYTES = 20 * 1024 * 1024
IMAGE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml"}


def content_type(path: str) -> str:
    guessed, _ = mimetypes.guess_type(path)
    return guessed or "application/octet-stream"


def _exact(base: Path, relative: str) -> Path | None:
    """The file at base/relative with exactly this spelling (the server is case-sensitive even if the
    trainer's laptop is not), or None."""
    current = base
    for part in relative.split("/"):
        try:
            names = {p.name for p in current.iterdir()}
        except OSError:
            return None
        if part not in names:
            return None
        current = current / part
    return current if current.is_file() else None


def collect_assets(fragments: list[tuple[int, str]], base: Path, problems: Problems) -> dict[str, Path]:
    """Check every link in the pack's Markdown; return pack-relative path → file for the linked files."""
    found: dict[str, Path] = {}
    for start, source in fragments:
        source_lines = source.splitlines()
        for tag, href in links(source):
            # The fragment starts at `line`; the link is on the first of its lines that holds the address.
            offset = next((i for i, text in enumerate(source_lines) if href in text), 0)
            line = start + offset
            path = _check_link(tag, href.strip(), line, problems)
            if path is None or path in found:
                continue
            file = _exact(base, path)
            if file is None:
                problems.error(
                    line,
                    Message(
                        N_(
                            "broken link `%(href)s`: there is no file `%(path)s` beside the pack "
                            "(in %(folder)s); check the name, its letter case and the folder"
                        ),
                        href=href,
                        path=path,
                        folder=str(base),
                    ),
                )
            elif file.stat().st_size > MAX_ASSET_BYTES:
                problems.error(
                    line,
                    Message(
                        N_("`%(path)s` is larger than %(limit)d MiB; make it smaller"),
                        path=path,
                        limit=MAX_ASSET_BYTES // (1024 * 1024),
                    ),
                )
            elif tag == "img" and content_type(path) not in IMAGE_TYPES:
                problems.error(
                    line,
                    Message(
                        N_(
                            "`%(path)s` is not an image drill can show (png, jpg, gif, webp, svg); "
                            "link to it as a file instead: `[%(name)s](%(path)s)`"
                        ),
                        path=path,
                        name=Path(path).name,
                    ),
                )
            else:
                found[path] = file
    return found


def _check_link(tag: str, href: str, line: int, problems: Problems) -> str | None:
    """The pack-relative path a link points to, None for fine outside links; problems reported."""
    parts = urlsplit(href)
    if parts.scheme and parts.scheme.lower() not in SCHEMES:
        problems.error(
            line,
            Message(
                N_(
                    "unsafe link `%(href)s`: links may only be http(s), mailto, or files of the "
                    "pack such as `images/chart.png`"
                ),
                href=href[:60],
            ),
        )
        return None
    if tag == "img" and (parts.scheme or href.startswith("//")):
        problems.error(
            line,
            Message(
                N_(
                    "outside image `%(href)s`: managers' browsers cannot reach it from the "
                    "intranet; save the picture beside the pack and write `![…](images/name.png)`"
                ),
                href=href[:60],
            ),
        )
        return None
    if href.startswith("//"):
        problems.error(
            line,
            Message(
                N_("the link `%(href)s` has no scheme; write the full address `https://…`"), href=href[:60]
            ),
        )
        return None
    if parts.scheme or href.startswith(("/", "#")) or not href:
        return None
    path = pack_path(href)
    if path is None:
        problems.error(
            line,
            Message(
                N_(
                    "the link `%(href)s` leaves the pack folder; keep linked files beside the "
                    "pack (e.g. `images/`, `data/`)"
                ),
                href=href[:60],
            ),
        )
    return path
