"""Content-quality warnings a reviewer would raise: a key that gives itself away by its length, the same
stem asked twice across packs, an explanation that only restates the answer. Warnings, not errors (an
error under `--strict`): each is a judgement a trainer may overrule. Plain data in, problems out."""

from __future__ import annotations

import re
import unicodedata

from drill.messages import N_, Message

# A key this much longer than every distractor (and by this many characters) stands out on its own.
KEY_LENGTH_RATIO = 2.0
KEY_LENGTH_MARGIN = 12
# An explanation with fewer characters than this left once the answer's own words are taken out says
# nothing about why ("解析: 对。", "正确答案是 B"); a worked sum ("120 + 135 = 255") says how.
MIN_EXPLAINING_CHARS = 4
FILLERS = ("正确答案是", "答案是", "答案为", "正确", "故选", "所以选", "选", "对", "错", "是")
_NOISE = re.compile(r"[\W_]+")
_MARKUP = re.compile(r"[*`>#|\-\[\]()!]")


def plain(text: str) -> str:
    """Letters and digits only, NFKC-folded: what two texts are compared on."""
    return _NOISE.sub("", unicodedata.normalize("NFKC", _MARKUP.sub("", text or "")).casefold())


def check_quality(packs) -> None:
    """Add the warnings to each pack's own problems."""
    seen: dict[str, tuple[object, object]] = {}
    for pack in packs:
        for question in pack.questions:
            _key_length(pack, question)
            _restated(pack, question)
            stem = plain(question.spec.get("stem", ""))
            if len(stem) < 12 or pack.kind != "quiz":
                continue
            if stem in seen:
                other_pack, other = seen[stem]
                pack.problems.warning(
                    question.line,
                    Message(
                        N_("question `%(qid)s`: the same stem as `%(other)s` (%(file)s:%(line)s); ask once"),
                        qid=question.id,
                        other=other.id,
                        file=other_pack.file,
                        line=other.line,
                    ),
                )
            else:
                seen[stem] = (pack, question)


def _key_length(pack, question) -> None:
    if question.type != "single":
        return
    options = question.spec.get("options") or []
    keys = [len(plain(o["text"])) for o in options if o.get("correct")]
    others = [len(plain(o["text"])) for o in options if not o.get("correct")]
    if not keys or not others:
        return
    key, longest = max(keys), max(others)
    if key >= KEY_LENGTH_RATIO * longest and key - longest >= KEY_LENGTH_MARGIN:
        pack.problems.warning(
            question.line,
            Message(
                N_(
                    "question `%(qid)s`: the right option is much longer than the others (%(key)d "
                    "characters, the others at most %(longest)d); a guesser picks the longest: "
                    "make the wrong options as full"
                ),
                qid=question.id,
                key=key,
                longest=longest,
            ),
        )


def _restated(pack, question) -> None:
    """The explanation holds the answer (or only 对/错/正确) and next to nothing else."""
    explanation = plain(question.spec.get("explanation", ""))
    if not explanation:
        return
    answers = [plain(o["text"]) for o in question.spec.get("options") or [] if o.get("correct")]
    answers += [plain(str(question.spec["answer"]))] if isinstance(question.spec.get("answer"), str) else []
    answers = [a for a in answers if a]
    left = explanation
    for answer in answers:
        left = left.replace(answer, "")
    restates = left != explanation
    for filler in FILLERS:
        left = left.replace(filler, "")
    if len(left) < MIN_EXPLAINING_CHARS and (restates or not left):
        pack.problems.warning(
            question.line,
            Message(
                N_(
                    "question `%(qid)s`: the explanation only restates the answer; say why it is right "
                    "and why the tempting wrong answer is wrong"
                ),
                qid=question.id,
            ),
        )
