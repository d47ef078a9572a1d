"""`check_paths`: find the packs, parse them all, check what spans files (ids unique across packs,
shared rubrics, linked files), and report every problem at once. Reads files; never touches a database
and never raises on any input."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from drill.appraisal.files import CheckedAppraisal, check_file, cross_check
from drill.content import standards
from drill.content.assets import collect_assets
from drill.content.discover import APPRAISAL, Source, content_root, discover, shown
from drill.content.rules.cases import check_examples
from drill.content.rules.packs import ParsedPack, parse_pack
from drill.content.rules.problems import ERROR, WARNING, Problem, Problems, unreadable
from drill.content.rules.quality import check_quality
from drill.content.rules.reader import decode
from drill.content.standards import Standards, coverage, load_standards
from drill.content.taxonomy import Taxonomy, load_taxonomy
from drill.messages import N_, Message


@dataclass
class CheckedPack:
    source: Source
    pack: ParsedPack
    assets: dict[str, Path] = field(default_factory=dict)  # pack-relative path → file
    examples: list[dict] = field(default_factory=list)  # example answers scored against the rubric

    def summary(self) -> dict:
        meta = self.pack.meta
        summary = {
            "path": self.pack.file, "id": meta.get("id"), "kind": self.pack.kind, "title": meta.get("title"),
            "theme": meta.get("theme"), "level": meta.get("level"), "audience": meta.get("audience"),
            "questions": len(self.pack.questions),
            "by_type": dict(Counter(q.type for q in self.pack.questions)),
            "by_level": dict(Counter(q.level or "-" for q in self.pack.questions)),
        }  # fmt: skip
        if self.pack.kind == "case":
            summary["rubric"] = meta.get("rubric") or ("inline" if self.pack.rubric else None)
            summary["examples"] = len(self.examples)
        return summary


@dataclass
class Report:
    packs: list[CheckedPack] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    appraisal: list[CheckedAppraisal] = field(default_factory=list)  # schemes and level rules, not packs
    standards: Standards = field(default_factory=Standards)  # assessment points (content/standards/)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict:
        return {"packs": [p.summary() for p in self.packs], "errors": [e.as_dict() for e in self.errors],
                "warnings": [w.as_dict() for w in self.warnings],
                "coverage": coverage([p.pack for p in self.packs], self.standards)}  # fmt: skip


def check_paths(
    paths: list[Path | str], strict: bool = False, taxonomy_path: Path | str | None = None
) -> Report:
    """Check the packs under `paths`. `taxonomy_path` serves packs outside a folder holding taxonomy.yaml;
    `strict` turns every warning into an error."""
    problems: list[Problem] = []
    sources = discover([Path(p) for p in paths], problems)
    taxonomies: dict[Path | None, Taxonomy | None] = {}
    checked: list[CheckedPack] = []
    appraisal: list[CheckedAppraisal] = []
    for source in sources:
        if source.kind == APPRAISAL:  # needs no taxonomy and no rendering
            item, found = check_file(source.file, shown(source.file))
            appraisal.append(item)
            problems += found
            continue
        root = content_root(source.file)
        if root not in taxonomies:
            taxonomies[root] = _taxonomy(root, taxonomy_path, problems)
        taxonomy = taxonomies[root]
        if taxonomy is None:
            problems.append(
                Problem(
                    shown(source.file), 0, Message(N_("no taxonomy.yaml found in this folder or above it"))
                )
            )
            continue
        checked.append(_parse(source, taxonomy))
    extra_rubrics = _shared_rubrics(checked, taxonomies)
    _cross_check(checked, extra_rubrics)
    whole = {Path(p).resolve() for p in paths}
    standards = _check_standards(checked, taxonomies, problems, whole)
    check_quality([item.pack for item in checked])
    for item in checked:
        problems += item.pack.problems.items
    problems += cross_check(appraisal)
    report = _report(checked, problems, strict)
    report.appraisal = appraisal
    report.standards = standards
    return report


def _check_standards(
    checked: list[CheckedPack], taxonomies: dict, problems: list[Problem], whole: set[Path]
) -> Standards:
    """Assessment points of every content root checked, joined with the questions that name them. Points
    without a question, and questions without a point, are reported only for a root checked whole (`drill
    check content`, `--strict` for a release); a single pack or a draft is told only of unknown points."""
    found = Standards()
    complete = Standards()
    for root, taxonomy in taxonomies.items():
        loaded, read_problems = load_standards(root, taxonomy, shown)
        problems += read_problems
        for into in (found, complete) if root is not None and root.resolve() in whole else (found,):
            into.points.update(loaded.points)
            into.themes |= loaded.themes
    packs = [item.pack for item in checked]
    standards.cross_check(packs, found, mapped=complete.themes)
    problems += standards.uncovered(packs, complete)
    return found


def _taxonomy(root: Path | None, fallback: Path | str | None, problems: list[Problem]) -> Taxonomy | None:
    path = root / "taxonomy.yaml" if root else Path(fallback) if fallback else None
    if path is None or not path.is_file():
        return None
    collector = Problems(shown(path))
    taxonomy = load_taxonomy(path, collector)
    problems += collector.items
    return taxonomy


def _parse(source: Source, taxonomy: Taxonomy) -> CheckedPack:
    file = shown(source.file)
    try:
        collector = Problems(file)
        text = decode(source.file.read_bytes(), collector)
        if text is None:
            return CheckedPack(source, ParsedPack(file, source.kind or "quiz", collector))
        pack = parse_pack(text, file, source.kind, taxonomy)
        fragments = pack.fragments + [f for q in pack.questions for f in q.fragments]
        return CheckedPack(source, pack, collect_assets(fragments, source.base, pack.problems))
    except Exception as exc:  # a checker must report, never crash: the trainer still gets every other file
        collector = Problems(file)
        collector.error(1, unreadable(exc))
        return CheckedPack(source, ParsedPack(file, source.kind or "quiz", collector))


def _shared_rubrics(checked: list[CheckedPack], taxonomies: dict) -> list[CheckedPack]:
    """Rubrics in the content roots' `rubrics/` folders that were not among the checked paths."""
    have = {item.source.file.resolve() for item in checked}
    extra: list[CheckedPack] = []
    for root, taxonomy in taxonomies.items():
        if root is None or taxonomy is None or not (root / "rubrics").is_dir():
            continue
        for source in discover([root / "rubrics"], []):
            if source.file.resolve() not in have:
                extra.append(_parse(source, taxonomy))
    return extra


def _cross_check(checked: list[CheckedPack], extra_rubrics: list[CheckedPack]) -> None:
    pack_ids: dict[str, ParsedPack] = {}
    question_ids: dict[str, tuple[ParsedPack, int]] = {}
    for item in checked:
        pack = item.pack
        if pack.id in pack_ids:
            other = pack_ids[pack.id]
            pack.problems.error(
                pack.line_of("id"),
                Message(
                    N_("pack id `%(id)s` is also used by %(file)s:%(line)s; every pack needs its own id"),
                    id=pack.id,
                    file=other.file,
                    line=other.line_of("id"),
                ),
            )
        elif pack.id:
            pack_ids[pack.id] = pack
        if pack.kind != "quiz":
            continue
        for question in pack.questions:
            if question.id in question_ids:
                other, line = question_ids[question.id]
                if other is not pack:
                    pack.problems.error(
                        question.line,
                        Message(
                            N_(
                                "question id `%(id)s` is also used in %(file)s:%(line)s; "
                                "ids must be unique across packs"
                            ),
                            id=question.id,
                            file=other.file,
                            line=line,
                        ),
                    )
            else:
                question_ids[question.id] = (pack, question.line)
    rubrics = {p.pack.id: p.pack for p in [*checked, *extra_rubrics] if p.pack.kind == "rubric" and p.pack.id}
    for item in checked:
        _resolve_rubrics(item, rubrics)


def _resolve_rubrics(item: CheckedPack, rubrics: dict[str, ParsedPack]) -> None:
    """Embed the rubric each open question and case is graded by, so a version keeps the one it used."""
    pack = item.pack

    def shared(ref: str, line: int) -> dict | None:
        found = rubrics.get(ref)
        if found is None:
            known = ", ".join(sorted(rubrics)) or Message(N_("none found"))
            pack.problems.error(
                line,
                Message(
                    N_(
                        "unknown rubric `%(ref)s`; a shared rubric is a file in content/rubrics/ "
                        "with `id: %(ref)s` (known: %(known)s)"
                    ),
                    ref=ref,
                    known=known,
                ),
            )
        return found.rubric if found else None

    case_rubric = pack.rubric
    if pack.kind == "case" and pack.meta.get("rubric"):
        case_rubric = shared(pack.meta["rubric"], pack.line_of("rubric"))
        pack.rubric = case_rubric
    for question in pack.questions:
        if question.type != "open":
            continue
        if question.rubric_ref is not None:
            question.spec["rubric"] = shared(question.rubric_ref.value.strip(), question.rubric_ref.line)
        elif question.spec.get("rubric") is None and pack.kind == "case":
            question.spec["rubric"], question.spec["rubric_id"] = case_rubric, pack.meta.get("rubric")
    if pack.kind == "case" and case_rubric is not None and case_rubric["criteria"]:
        item.examples = check_examples(pack.examples, case_rubric, pack.problems)


def _report(checked: list[CheckedPack], problems: list[Problem], strict: bool) -> Report:
    unique = sorted(set(problems), key=lambda p: (p.file, p.line, p.message))
    report = Report(packs=checked)
    for problem in unique:
        if problem.severity == WARNING and not strict:
            report.warnings.append(problem)
        else:
            report.errors.append(Problem(problem.file, problem.line, problem.what, ERROR))
    return report
