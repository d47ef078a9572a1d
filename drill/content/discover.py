"""Which files are packs: `quizzes/NAME.md`, `quizzes/NAME/` (a folder holding exactly one Markdown
file beside its images and data files), the same under `cases/` and `rubrics/`. YAML files directly
under `appraisal/` are appraisal schemes and level rules (kind "appraisal"; checked by drill.appraisal)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from drill.content.rules.problems import Problem
from drill.messages import N_, Message

KIND_DIRS = {"quizzes": "quiz", "cases": "case", "rubrics": "rubric"}
TAXONOMY = "taxonomy.yaml"
APPRAISAL = "appraisal"  # the folder and the kind; not in KIND_DIRS: these are not packs
APPRAISAL_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Source:
    file: Path  # the pack's Markdown file
    kind: str | None  # from its folder; None outside quizzes/, cases/, rubrics/
    folder: bool  # a pack folder (assets beside it) rather than a single file

    @property
    def base(self) -> Path:
        """Relative links in the pack are resolved from here, and may not leave it."""
        return self.file.parent


def shown(path: Path) -> str:
    """A path as the report shows it: relative to the working directory when it is inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


def _skipped(path: Path) -> bool:
    return path.name.startswith((".", "_")) or path.name in {"node_modules", "__pycache__"}


def _markdown_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() == ".md")


def _folder_pack(folder: Path, kind: str, problems: list[Problem]) -> Source | None:
    files = _markdown_files(folder)
    if len(files) != 1:
        names = ", ".join(p.name for p in files) or Message(N_("none"))
        message = Message(
            N_(
                "a pack folder holds exactly one Markdown file beside its "
                "images and data files; this one has %(count)d (%(names)s)"
            ),
            count=len(files),
            names=names,
        )
        problems.append(Problem(shown(folder), 0, message))
        return None
    return Source(files[0], kind, True)


def _walk(folder: Path, problems: list[Problem], out: list[Source]) -> None:
    if folder.parent.name in KIND_DIRS:
        source = _folder_pack(folder, KIND_DIRS[folder.parent.name], problems)
        out.extend([source] if source else [])
        return
    for child in sorted(folder.iterdir()):
        if _skipped(child):
            continue
        if folder.name == APPRAISAL:
            if child.is_file() and child.suffix.lower() in APPRAISAL_SUFFIXES:
                out.append(Source(child, APPRAISAL, False))
        elif folder.name in KIND_DIRS:
            if child.is_dir():
                source = _folder_pack(child, KIND_DIRS[folder.name], problems)
                out.extend([source] if source else [])
            elif child.suffix.lower() == ".md" and child.name.lower() != "readme.md":
                out.append(Source(child, KIND_DIRS[folder.name], False))
        elif child.is_dir():
            _walk(child, problems, out)


def discover(paths: list[Path], problems: list[Problem]) -> list[Source]:
    """Every pack under `paths`; folder problems (zero or two Markdown files...) go to `problems`."""
    out: list[Source] = []
    for path in paths:
        if not path.exists():
            problems.append(Problem(shown(path), 0, Message(N_("no such file or folder"))))
        elif path.is_dir():
            try:
                _walk(path, problems, out)
            except OSError as exc:
                message = Message(N_("cannot read the folder (%(reason)s)"), reason=exc.strerror)
                problems.append(Problem(shown(path), 0, message))
        elif path.parent.name == APPRAISAL and path.suffix.lower() in APPRAISAL_SUFFIXES:
            out.append(Source(path, APPRAISAL, False))
        elif path.suffix.lower() != ".md":
            message = Message(N_("not a pack: packs are Markdown files ending in `.md`"))
            problems.append(Problem(shown(path), 0, message))
        elif path.parent.parent.name in KIND_DIRS and path.parent.name not in KIND_DIRS:
            source = _folder_pack(path.parent, KIND_DIRS[path.parent.parent.name], problems)
            out.extend([source] if source else [])
        else:
            out.append(Source(path, KIND_DIRS.get(path.parent.name), False))
    unique: dict[str, Source] = {}
    for source in out:
        unique.setdefault(os.path.realpath(source.file), source)
    return list(unique.values())


def content_root(path: Path) -> Path | None:
    """The nearest folder at or above `path` that holds `taxonomy.yaml`."""
    for folder in [path if path.is_dir() else path.parent, *path.resolve().parents]:
        if (folder / TAXONOMY).is_file():
            return folder
    return None
