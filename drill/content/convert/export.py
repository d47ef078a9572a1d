"""What both exporters share: the result, the packs they accept, and the report of linked files that an
exported file cannot include."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from drill.content.convert.draft import ERROR, WARNING, Draft, Issue, Issues
from drill.content.convert.markdown_writer import full_stem
from drill.content.rules.packs import ParsedPack
from drill.content.rules.render import links


@dataclass
class Export:
    """The exported file (text for GIFT, bytes for a workbook), what could not be carried, and how many
    questions were written."""

    data: str | bytes | None
    issues: list[Issue] = field(default_factory=list)
    questions: int = 0

    @property
    def ok(self) -> bool:
        return self.data is not None and not any(i.severity == ERROR for i in self.issues)

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == WARNING]


def exportable(pack: ParsedPack, issues: Issues, fmt: str) -> bool:
    if pack.problems.has_errors:
        issues.error(
            0,
            "内容包有错误，请先用 drill check 修正",
            f"the pack has errors; fix them (drill check) before exporting to {fmt}",
        )
        return False
    if pack.kind != "quiz":
        issues.error(
            0, "只能导出题库（quizzes/）", f"only question banks (quizzes/) can be exported to {fmt}"
        )
        return False
    return True


def linked_files(draft: Draft, issues: Issues, fmt: str) -> None:
    texts = [full_stem(draft), draft.explanation, draft.fields.get("reference") or ""]
    texts += [o["text"] for o in draft.fields.get("options", [])]
    for _tag, href in (link for text in texts if text.strip() for link in links(text)):
        if not re.match(r"^[a-z][a-z0-9+.-]*:|^/|^#", href.strip(), re.IGNORECASE):
            issues.warning(
                draft.source,
                f"题目 {draft.id} 链接的文件「{href}」不会包含在 {fmt} 中",
                f"question {draft.id} links to `{href}`, which the {fmt} file does not include",
            )
