"""The worksheet template shared by the XLSX importer and exporter: its columns, the headers each may be
written with, and how a cell's header is recognised."""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

LETTERS = "ABCDEFGH"


class Column(NamedTuple):
    key: str
    header: str  # as the template writes it
    aliases: tuple[str, ...]  # also recognised (compared after `normal_header`)
    width: int
    note: str  # the instructions sheet's line for it


COLUMNS: tuple[Column, ...] = (
    Column("type", "题型", ("类型", "试题类型", "题目类型"), 10,
           "必填。单选题、多选题、判断题、填空题、数值题（计算题）、排序题、匹配题（连线题）、问答题（简答题）"),
    Column("stem", "题干", ("题目", "试题内容", "题目内容", "试题"), 50,
           "必填。可用 Markdown（加粗、列表、表格）。填空题用 ____ 或（ ）标出每个空"),
    *(
        Column(letter, f"选项{letter}", (f"选项 {letter}", letter), 18,
               "选择题、排序题、匹配题的选项，从选项A起连续填写" if letter == "A" else "")
        for letter in LETTERS
    ),
    Column("answer", "答案", ("正确答案", "标准答案", "参考答案"), 16,
           "单选 A；多选 A,C（或带权重 A:50%, B:50%, D:-100%）；判断 对/错；"
           "填空 各空用 ； 分隔，同一空的多个答案用 | 分隔；"
           "数值 12.5 或 12.5±0.1 或 12.5±1%；排序 写正确顺序的字母，如 CABD；"
           "匹配 留空（选项写 左=>右）；问答 写参考答案"),
    Column("explanation", "解析", ("答案解析", "试题解析"), 36,
           "提交后显示：为什么对，为什么错（问答题可不填）"),
    Column("difficulty", "难度", ("难易度", "难易程度"), 8,
           "1（最易）到 5（最难），或 易/较易/中等/较难/难；默认 3"),
    Column("points", "分值", ("分数",), 8, "大于 0 的数，默认 1"),
    Column("competencies", "知识点/能力项", ("知识点", "能力项", "能力", "考点"), 20,
           "taxonomy.yaml 中的能力（如 风险预判），用 、 分隔；不在其中的名称作为标签"),
    Column("theme", "主题", (), 14, "taxonomy.yaml 中的主题（如 案例分析）；一个文件只能有一个主题"),
    Column("level", "级别", ("等级",), 8, "初级、中级或高级；题库的级别取最常见的一个"),
    Column("id", "题号/ID", ("题号", "id", "编号", "试题编号"), 16,
           "可选。小写字母、数字、- 和 _ 组成的编号；只写数字时按 题库编号-001 编号；不填则自动编号"),
    Column("unit", "单位", (), 8, "可选，数值题的单位，如 万元、%、天"),
    Column("tags", "标签", (), 14, "可选，自由标签，用 、 分隔"),
    Column("scoring", "计分", ("计分方式",), 10,
           "可选。多选 all/partial/per-option（全对/部分/逐项）；填空、匹配 partial/all；"
           "排序 position/adjacent/all"),
    Column("shuffle", "乱序", ("选项乱序",), 6, "可选。否：选项按原顺序显示（如“以上都对”）"),
    Column("rubric", "评分标准", (), 16, "可选，问答题使用的共享评分标准编号（content/rubrics/）"),
    Column("meta", "其他属性", ("其他",), 16,
           "可选。题目的其他属性，写成 键: 值，多个用 | 分隔（与内容包题目属性行的写法相同）"),
)  # fmt: skip
BY_KEY = {c.key: c for c in COLUMNS}


def normal_header(text: object) -> str:
    """`选项 A（必填）*` → `选项a`: full-width folded, notes in brackets, marks and spaces removed."""
    folded = unicodedata.normalize("NFKC", str(text or "")).casefold()
    folded = re.sub(r"\(.*?\)|\[.*?\]|[*\s:]", "", folded)
    return folded


HEADERS = {normal_header(name): c.key for c in COLUMNS for name in (c.header, *c.aliases)}
