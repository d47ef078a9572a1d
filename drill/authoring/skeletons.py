"""Skeleton packs for "New pack": the question bank and case skeletons of `drill new quiz|case NAME`
(drill.content.convert.skeleton: one example of every question type, every case section), and a rubric
skeleton; each passes `drill check` as written."""

from __future__ import annotations

from drill.content.convert.skeleton import skeleton as pack_skeleton
from drill.content.taxonomy import Taxonomy

RUBRIC = """\
---
id: {id}
title: 新评分标准（请修改标题）
---

适用范围与使用说明写在这里。各档参考得分：优秀为权重的 90% 以上，良好 75%–89%，合格 60%–74%。

| 编号 | 评分项 | 权重 | 优秀 | 良好 | 合格 | 不合格 |
|---|---|---|---|---|---|---|
| risk | 风险识别 | 30 | 识别出全部主要风险并说明依据 | 识别出大部分风险 | 识别出部分风险 | 未识别风险 |
| plan | 措施设计 | 40 | 措施具体可行，与风险一一对应 | 措施基本可行 | 措施笼统 | 无措施 |
| expr | 表达与规范 | 30 | 条理清晰、用语规范 | 较清晰 | 基本清楚 | 混乱 |
"""


def skeleton(kind: str, pack_id: str, taxonomy: Taxonomy | None = None) -> str:
    """The skeleton of a `kind` pack (quiz, case, rubric) whose id is `pack_id`, a slug of up to 48
    characters (question ids start with it)."""
    if kind == "rubric":
        return RUBRIC.format(id=pack_id)
    return pack_skeleton(kind, pack_id, taxonomy)
