"""Generate a large content folder in the real pack format: `write_packs(root, packs=20, per_pack=500)`.

Each pack mixes every question type (single and multiple choice, true/false, fill-in, numeric, ordering,
matching, open answer graded by a shared rubric); every fifth pack is a folder pack with an image and a
data file it links to, so asset handling is measured too. The same seed writes the same bytes.

    python -m bench.pack_gen /tmp/packs        # 20 packs × 500 questions
"""

from __future__ import annotations

import random
import shutil
import sys
from pathlib import Path

CONTENT = Path(__file__).resolve().parent.parent / "content"
THEMES = ["case-analysis", "marketing-planning", "brand-culture", "brand-cultivation", "data-application",
          "service-qa", "terminal-function"]  # fmt: skip
COMPETENCIES = ["ethics", "policy-knowledge", "analysis", "risk-foresight", "marketing-skill", "planning"]
LEVELS = ["初级", "中级", "高级"]
WORDS = (
    "客户", "网点", "存款", "贷款", "品牌", "终端", "零售户", "订货", "活跃率", "不良率",
    "营销", "服务", "回访", "台账", "授信", "渠道", "陈列", "价格", "卷烟", "柜面",
)  # fmt: skip
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
RUBRIC = """---
id: gen-rubric
title: 生成题库的评分标准
---

问答题通用评分标准。

| 编号 | 评分项 | 权重 | 优秀 | 良好 | 合格 | 不合格 |
|---|---|---|---|---|---|---|
| c1 | 要点完整 | 60 | 要点齐全 | 缺一项 | 缺两项 | 缺三项以上 |
| c2 | 表达清楚 | 40 | 条理清晰 | 基本清楚 | 略有混乱 | 混乱 |
"""


def _phrase(rng: random.Random, n: int = 6) -> str:
    return "".join(rng.choice(WORDS) for _ in range(n))


def _question(rng: random.Random, qid: str, n: int, linked: bool) -> str:
    kind = n % 8
    level = LEVELS[n % 3]
    head = f"能力: {COMPETENCIES[n % len(COMPETENCIES)]} | 级别: {level} | 难度: {1 + n % 3}"
    stem = f"第{n}题：关于{_phrase(rng)}，{_phrase(rng, 8)}（编号 {qid}）"
    why = f"解析: {_phrase(rng, 10)}。"
    if kind == 0:
        right = rng.randrange(4)
        options = "\n".join(f"- [{'x' if i == right else ' '}] 选项{i}：{_phrase(rng, 4)}" for i in range(4))
        return f"## {qid}\n类型: 单选 | 分值: 2 | {head}\n\n{stem}\n\n{options}\n\n{why}\n"
    if kind == 1:
        options = "\n".join(f"- [{'x' if i < 2 else ' '}] 选项{i}：{_phrase(rng, 4)}" for i in range(4))
        return f"## {qid}\n类型: 多选 | 分值: 3 | {head}\n\n{stem}\n\n{options}\n\n{why}\n"
    if kind == 2:
        answer = rng.choice(["对", "错"])
        return f"## {qid}\n类型: 判断 | 分值: 1 | {head}\n\n{stem}\n\n答案: {answer}\n\n{why}\n"
    if kind == 3:
        blank = _phrase(rng, 2)
        return f"## {qid}\n类型: 填空 | 分值: 2 | {head}\n\n{_phrase(rng)}是{{{{{blank}}}}}。\n\n{why}\n"
    if kind == 4:
        link = "\n\n![走势](images/chart.png) 见[台账](data/ledger.csv)" if linked else ""
        value = rng.randint(10, 999)
        return (f"## {qid}\n类型: 数值 | 分值: 2 | 误差: 0.5 | 单位: 万元 | {head}\n\n{stem}{link}\n\n"
                f"答案: {value}\n\n{why}\n")  # fmt: skip
    if kind == 5:
        steps = "\n".join(f"{i}. 步骤{i}：{_phrase(rng, 3)}" for i in range(1, 5))
        return f"## {qid}\n类型: 排序 | 分值: 4 | {head}\n\n{stem}\n\n{steps}\n\n{why}\n"
    if kind == 6:
        pairs = "\n".join(f"- 情形{i}{_phrase(rng, 2)} => 措施{i}{_phrase(rng, 2)}" for i in range(3))
        return f"## {qid}\n类型: 匹配 | 分值: 3 | {head}\n\n{stem}\n\n{pairs}\n\n{why}\n"
    return (f"## {qid}\n类型: 问答 | 分值: 10 | 评分标准: gen-rubric | {head}\n\n{stem}\n\n"
            f"参考答案: {_phrase(rng, 12)}。\n\n{why}\n")  # fmt: skip


def pack_text(index: int, per_pack: int, seed: int = 0, linked: bool = False) -> str:
    """One quiz pack's Markdown: `gen-NN` with `per_pack` questions `gNN-NNNN`."""
    rng = random.Random(f"{seed}:{index}")
    front = (f"---\nid: gen-{index:02d}\ntitle: 生成题库 {index:02d}\ntheme: {THEMES[index % len(THEMES)]}\n"
             f"level: intermediate\naudience: bank\ncompetencies: [analysis, marketing-skill]\n"
             f"time_limit: 60\nversion: 1\nmultiple_scoring: partial\n---\n\n")  # fmt: skip
    intro = f"本题库由 bench.pack_gen 生成，用于测量导入速度（{_phrase(rng, 8)}）。\n\n"
    questions = [_question(rng, f"g{index:02d}-{n:04d}", n, linked) for n in range(per_pack)]
    return front + intro + "\n".join(questions)


def write_packs(root: Path, packs: int = 20, per_pack: int = 500, seed: int = 0) -> Path:
    """Write a content folder under `root` (taxonomy, a shared rubric, `packs` quiz packs); returns root."""
    root = Path(root)
    (root / "quizzes").mkdir(parents=True, exist_ok=True)
    (root / "rubrics").mkdir(exist_ok=True)
    shutil.copyfile(CONTENT / "taxonomy.yaml", root / "taxonomy.yaml")
    (root / "rubrics" / "gen-rubric.md").write_text(RUBRIC, encoding="utf-8")
    for index in range(packs):
        folder = index % 5 == 4  # every fifth pack is a folder with linked files
        if folder:
            base = root / "quizzes" / f"gen-{index:02d}"
            (base / "images").mkdir(parents=True, exist_ok=True)
            (base / "data").mkdir(exist_ok=True)
            (base / "images" / "chart.png").write_bytes(PNG)
            (base / "data" / "ledger.csv").write_text(f"月份,金额\n1,{index}\n2,{seed}\n", encoding="utf-8")
            file = base / "index.md"
        else:
            file = root / "quizzes" / f"gen-{index:02d}.md"
        file.write_text(pack_text(index, per_pack, seed, linked=folder), encoding="utf-8")
    return root


if __name__ == "__main__":
    print(write_packs(Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/drill-packs")))
