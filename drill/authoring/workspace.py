"""A draft laid out as `drill check` expects it, in a fresh temporary content folder:

    tmp/taxonomy.yaml          copied from the content folder
    tmp/rubrics/…              the shared rubrics of the content folder, and those published in the browser
    tmp/standards/…            the content folder's assessment points (考点)
    tmp/quizzes/NAME.md        the draft, or quizzes/NAME/index.md beside its files (cases/, rubrics/ alike)

So a draft is checked exactly as `drill check content/quizzes/NAME.md` checks a file in the content folder
(same taxonomy, same shared rubrics, only the draft reported), and `import_paths` on it imports the draft
alone. Every path written is normalised by the upload rules and verified to stay under the fresh folder.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from drill.authoring.rules.uploads import member_path
from drill.content.discover import TAXONOMY

KIND_FOLDERS = {"quiz": "quizzes", "case": "cases", "rubric": "rubrics"}


@dataclass(frozen=True)
class Workspace:
    root: Path
    file: Path  # the draft's Markdown file
    label: str  # the file as the trainer sees it: quizzes/credit.md

    def label_of(self, shown: str) -> str:
        """A problem's file (as `drill check` shows it) relative to the workspace, when it is inside."""
        path = Path(shown)
        path = path if path.is_absolute() else Path.cwd() / path
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except (ValueError, OSError):
            return shown


def draft_label(kind: str, name: str, has_files: bool) -> str:
    folder = KIND_FOLDERS.get(kind, "quizzes")
    return f"{folder}/{name}/index.md" if has_files else f"{folder}/{name}.md"


def safe_join(base: Path, relative: str) -> Path:
    """`base/relative` for a normalised relative path; ValueError if it would land outside `base`."""
    target = base.joinpath(*member_path(relative).split("/"))
    if not target.resolve().is_relative_to(base.resolve()):
        raise ValueError(f"{relative!r} leaves {base}")
    return target


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("xb") as handle:  # never through an existing file or link
        handle.write(data)


def _copy_rubrics(content_dir: Path, root: Path, skip: str | None, published: dict[str, str]) -> None:
    """The content folder's shared rubrics, then those published in the browser (newer: they win)."""
    target = root / "rubrics"
    target.mkdir()
    source = content_dir / "rubrics"
    leave_out = {skip, *published}  # a draft rubric takes the place of the shared rubric it edits
    if source.is_dir():
        for child in sorted(source.iterdir()):
            if child.name.startswith((".", "_")) or child.is_symlink() or child.stem in leave_out:
                continue
            if child.is_dir():
                shutil.copytree(child, target / child.name)
            elif child.suffix.lower() == ".md":
                shutil.copyfile(child, target / child.name)
    for slug, text in sorted(published.items()):
        if slug != skip:
            _write(safe_join(target, f"{slug}.md"), text.encode("utf-8"))


@contextmanager
def workspace(
    kind: str,
    name: str,
    text: str,
    files: dict[str, bytes],
    content_dir: Path,
    published_rubrics: dict[str, str] | None = None,
) -> Iterator[Workspace]:
    """Lay the draft out in a new temporary folder, removed again on exit."""
    root = Path(tempfile.mkdtemp(prefix="drill-authoring-")).resolve()
    try:
        taxonomy = content_dir / TAXONOMY
        if taxonomy.is_file():
            shutil.copyfile(taxonomy, root / TAXONOMY)
        _copy_rubrics(content_dir, root, name if kind == "rubric" else None, published_rubrics or {})
        if (content_dir / "standards").is_dir():  # the assessment points a draft's `考点:` may name
            shutil.copytree(content_dir / "standards", root / "standards", symlinks=False)
        label = draft_label(kind, name, bool(files))
        file = safe_join(root, label)
        _write(file, text.encode("utf-8"))
        for path, data in sorted(files.items()):
            _write(safe_join(file.parent, path), data)
        yield Workspace(root, file, label)
    finally:
        shutil.rmtree(root, ignore_errors=True)
