"""Drafts → a checked pack. Every importer ends here: the front matter is resolved (or left with
placeholders, reported), the Markdown is written, read back with the pack parser, and each question is
compared with its draft — so a conversion that reports no error yields a pack `drill check` accepts, and
a question that would not read back the same is an error at its source line, never a silent change.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from drill.content.convert.draft import (
    ERROR,
    WARNING,
    Draft,
    Issue,
    Issues,
    differences,
    essence,
    from_parsed,
)
from drill.content.convert.markdown_writer import PackInfo, write_pack
from drill.content.rules.blocks import join
from drill.content.rules.packs import parse_pack
from drill.content.rules.problems import Problems
from drill.content.rules.reader import Line
from drill.content.rules.render import SCHEMES, links, pack_path
from drill.content.rules.rubric import find_rubric_table, parse_rubric
from drill.content.rules.schema import AUDIENCES, LEVELS, SLUG_RE, resolve_choice, validate_meta
from drill.content.taxonomy import Taxonomy

READ_BACK_ZH = {"no explanation": "没有解析，建议补上“解析: …”（提交后显示）"}


@dataclass
class Conversion:
    """`markdown` is None when a question could not be converted (nothing is converted then); otherwise
    it is the pack, in which any front-matter placeholder is reported as an error for the caller to fill."""

    markdown: str | None
    issues: list[Issue] = field(default_factory=list)
    questions: int = 0

    @property
    def ok(self) -> bool:
        return self.markdown is not None and not self.errors

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == ERROR]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == WARNING]


def resolve_info(info: PackInfo, taxonomy: Taxonomy, issues: Issues) -> PackInfo:
    """The front matter with every given value resolved to its key; a missing or unknown required value
    is reported and left None (a placeholder)."""
    out = PackInfo(description=info.description, extra=dict(info.extra))
    if info.id is not None and not SLUG_RE.match(info.id):
        issues.error(
            0,
            f"题库编号「{info.id}」只能用小写字母、数字和 -",
            f"the pack id `{info.id}` must be a slug such as `credit-gift`",
        )
    out.id = info.id if info.id and SLUG_RE.match(info.id) else None
    out.title = info.title.strip() if info.title and info.title.strip() else None
    if info.theme:
        out.theme = taxonomy.themes.resolve(info.theme)
        if out.theme is None:
            issues.error(
                0,
                f"未知主题「{info.theme}」；可选：{taxonomy.themes.listing()}",
                f"unknown theme `{info.theme}`",
            )
    if info.level:
        out.level = resolve_choice(LEVELS, info.level)
        if out.level is None:
            issues.error(
                0,
                f"级别「{info.level}」应为 初级、中级 或 高级",
                f"level `{info.level}` must be junior, intermediate or senior",
            )
    if info.audience:
        out.audience = resolve_choice(AUDIENCES, info.audience)
        if out.audience is None:
            issues.error(
                0,
                f"适用对象「{info.audience}」应为 银行、烟草 或 通用",
                f"audience `{info.audience}` must be bank, tobacco or both",
            )
    if info.extra:
        problems = Problems("front matter")
        validate_meta(info.extra, {}, "quiz", taxonomy, problems, complete=False)
        for problem in problems.errors:
            issues.error(0, f"题库信息有误：{problem.what}", f"the pack's front matter: {problem.what}")
    for key, zh in (("id", "编号"), ("title", "标题"), ("theme", "主题"), ("level", "级别")):
        if getattr(out, key) is None and getattr(info, key) in (None, ""):
            issues.error(
                0,
                f"题库缺少{zh}（{key}），已写入占位符「待填写」，请填写",
                f"the pack has no {key}: a placeholder was written; fill it in (e.g. --{key})",
            )
    return out


def assemble(
    drafts: list[Draft],
    info: PackInfo,
    taxonomy: Taxonomy,
    issues: Issues,
    intro: str = "",
) -> Conversion:
    """Write, read back and compare. `issues` already holds what the importer found."""
    front = Issues()
    resolved = resolve_info(info, taxonomy, front)
    if not drafts and not issues.has_errors:
        issues.error(0, "没有找到任何题目", "no questions were found")
    if issues.has_errors:
        return Conversion(None, front.items + sorted_issues(issues), len(drafts))
    for draft in drafts:
        lift_rubric(draft)
    stand_in = replace(
        resolved,
        id=resolved.id or "converted",
        title=resolved.title or "converted",
        theme=resolved.theme or (taxonomy.themes.terms[0].key if taxonomy.themes.terms else "x"),
        level=resolved.level or "junior",
    )
    _read_back(drafts, stand_in, taxonomy, issues, intro)
    if issues.has_errors:
        return Conversion(None, front.items + sorted_issues(issues), len(drafts))
    markdown, _starts = write_pack(resolved, drafts, intro)
    return Conversion(markdown, front.items + sorted_issues(issues), len(drafts))


def lift_rubric(draft: Draft) -> None:
    """An open question whose text holds a rubric table (`| 编号 | 评分项 | 权重 | …`) keeps the table as
    its rubric, as the pack parser will; a table the parser would refuse stays for it to report."""
    if draft.type != "open" or draft.fields.get("rubric") or draft.fields.get("rubric_id"):
        return
    lines = [Line(n, text) for n, text in enumerate(draft.stem.splitlines(), start=1)]
    table = find_rubric_table(lines)
    if table is None:
        return
    problems = Problems("stem")
    rubric = parse_rubric(table, problems)
    if rubric is not None and not problems.has_errors:
        draft.fields["rubric"] = rubric
        draft.stem = join([line for line in lines if line not in table])


def sorted_issues(issues: Issues) -> list[Issue]:
    return sorted(issues.items, key=lambda i: (i.line, i.severity != ERROR))


def _read_back(drafts: list[Draft], info: PackInfo, taxonomy: Taxonomy, issues: Issues, intro: str) -> None:
    text, starts = write_pack(info, drafts, intro)
    pack = parse_pack(text, "converted.md", "quiz", taxonomy)
    order = sorted((line, qid) for qid, line in starts.items())
    by_id = {d.id: d for d in drafts}

    def source(line: int) -> Draft | None:
        found = [qid for start, qid in order if start <= line]
        return by_id[found[-1]] if found else None

    front_end = text.splitlines().index("---", 1) + 1
    for problem in pack.problems.items:
        draft = source(problem.line)
        if draft is None and problem.line <= front_end:
            continue  # the stand-in front matter; the given values were checked by resolve_info
        add = issues.error if problem.severity == ERROR else issues.warning
        zh = next((z for en, z in READ_BACK_ZH.items() if en in problem.message), None) or (
            "转换结果未通过检查" if problem.severity == ERROR else "转换结果的提示"
        )
        add(draft.source if draft else 0, f"题目 {draft.id}：{zh}" if draft else zh, problem.message)
    parsed = {q.id: q for q in pack.questions}
    for draft in drafts:
        question = parsed.get(draft.id)
        if question is None:
            continue  # reported above
        want, got = essence(draft, info.level), essence(from_parsed(question), info.level)
        diff = differences(want, got)
        if diff:
            issues.error(
                draft.source,
                f"题目 {draft.id} 转换后读回的内容与原题不同（{', '.join(diff)}）；请简化这部分文字",
                f"question {draft.id} reads back differently after conversion ({', '.join(diff)}); "
                "simplify that text",
            )
        for _line, fragment in question.fragments:
            check_links(fragment, draft.source, issues)
    check_links(intro, 0, issues)


def check_links(markdown: str, line: int, issues: Issues) -> None:
    """What `drill check` would refuse in a link, as errors; files linked beside the pack, as warnings
    (the converted pack needs them copied beside it)."""
    for tag, href in links(markdown) if markdown.strip() else []:
        parts = urlsplit(href.strip())
        if parts.scheme and parts.scheme.lower() not in SCHEMES:
            issues.error(line, f"不安全的链接「{href[:60]}」", f"unsafe link `{href[:60]}`")
        elif href.startswith("//"):
            issues.error(line, f"链接「{href[:60]}」缺少 https:", f"the link `{href[:60]}` has no scheme")
        elif tag == "img" and parts.scheme:
            issues.error(
                line,
                f"外部图片「{href[:60]}」在内网无法显示；请下载后放在内容包旁",
                f"outside image `{href[:60]}`: save it beside the pack and link to it",
            )
        elif not parts.scheme and not href.startswith(("/", "#")) and href.strip():
            if pack_path(href) is None:
                issues.error(
                    line,
                    f"链接「{href[:60]}」指向内容包以外",
                    f"the link `{href[:60]}` leaves the pack",
                )
            else:
                issues.warning(
                    line,
                    f"链接到文件「{href[:60]}」：请把它复制到转换后的内容包旁",
                    f"links to `{href[:60]}`: copy that file beside the converted pack",
                )
