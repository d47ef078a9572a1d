"""`drill new quiz|case NAME`: a skeleton pack that passes `drill check --strict` as written — a question
bank with one example of every question type, or a case with every section, a rubric, a reference
answer and three scored example answers. The trainer replaces the examples with their own content."""

from __future__ import annotations

from pathlib import Path

from drill.content.rules.schema import SLUG_RE
from drill.content.taxonomy import Taxonomy

FOLDERS = {"quiz": "quizzes", "case": "cases"}

QUIZ = """---
id: NAME
title: 新题库（请改成题库名称）
theme: THEME  # 主题：content/taxonomy.yaml 中的一个
level: junior  # junior 初级 / intermediate 中级 / senior 高级
audience: both  # bank 银行 / tobacco 烟草 / both 通用
time_limit: 15
version: 1
# 每种题型各有一道示例题：改成您自己的题目，删去不需要的。格式见 docs/content-format.zh.md。
---

## NAME-001
类型: 单选 | 分值: 2 | 难度: 2 | 能力: COMPETENCY

贷前调查中，客户经理首先应核实的是：

- [ ] 借款人的兴趣爱好
- [x] 借款人身份与经营情况的真实性
- [ ] 借款人亲属的收入

解析: 贷前调查的核心是“真实性”；兴趣爱好和亲属收入与还款能力无关。

## NAME-002
类型: 多选 | 分值: 4 | 计分: partial

下列属于贷前调查内容的有：

- [x] 经营流水
- [x] 抵押物权属
- [ ] 客户的星座
- [x] 征信记录

解析: 星座与还款能力无关，其余三项都是调查要点。少选得部分分，错选不得分。

## NAME-003
类型: 判断 | 分值: 1

贷款发放后即无需再跟踪客户经营情况。

答案: 错

解析: 贷后管理贯穿贷款全过程。

## NAME-004
类型: 填空 | 分值: 2

信贷业务的“三查”是指贷前调查、{{贷时审查|贷中审查}}和{{贷后检查}}。

解析: 每个 {{…}} 是一个空，| 分隔同一个空可接受的答案。

## NAME-005
类型: 数值 | 分值: 2 | 误差: 0.5 | 单位: 万元

支行 1 月新增贷款 120 万元，2 月 135 万元。两个月合计多少万元？

答案: 255

解析: 120 + 135 = 255（万元）。

## NAME-006
类型: 排序 | 分值: 4 | 计分: adjacent

请按正确顺序排列贷款业务流程：

1. 受理申请
2. 贷前调查
3. 审查审批
4. 签订合同
5. 发放贷款

解析: 按正确顺序书写，系统会打乱顺序显示。

## NAME-007
类型: 匹配 | 分值: 3

将风险信号与应对措施连线：

- 抵押物价值下跌 => 追加担保
- 客户经营恶化 => 提前收回贷款
- 资金被挪用 => 加强用途监控
- => 提高利率

解析: 提高利率不能化解上述任何风险，是干扰项。

## NAME-008
类型: 问答 | 分值: 10 | 级别: 中级

某家庭农场申请 50 万元流动资金贷款。请说明您的调查要点和理由。

| 编号 | 评分项 | 权重 | 优秀 | 合格 | 不合格 |
|---|---|---|---|---|---|
| points | 调查要点 | 60 | 覆盖真实性、还款来源、担保、用途四方面 | 覆盖其中两三方面 | 要点缺失 |
| reason | 理由 | 40 | 每个要点都说明了为什么 | 部分要点有理由 | 没有理由 |

参考答案: 核实身份与经营的真实性；以流水和销售合同测算还款来源；评估抵押物权属与价值；
明确资金用途并采用受托支付。
"""

CASE = """---
id: NAME
title: 新案例（请改成案例名称）
theme: THEME  # 主题：content/taxonomy.yaml 中的一个
level: intermediate  # junior 初级 / intermediate 中级 / senior 高级
audience: both  # bank 银行 / tobacco 烟草 / both 通用
competencies: [COMPETENCY]
time_limit: 45
version: 1
# 案例的每个部分都有示例：改成您自己的内容。任务分值合计 100。格式见 docs/content-format.zh.md。
---

本案例中的人物、数字均为虚构，仅用于练习。

## 背景 / Background

某家庭农场以种植水稻为主，申请流动资金贷款 50 万元，用于购买化肥和农药，期限一年。

## 材料 / Materials

| 月份 | 销售收入（万元） |
|---|---|
| 1 月 | 12 |
| 2 月 | 15 |

## 任务 / Tasks

请独立完成以下任务。

### task-1
类型: 问答 | 分值: 80

请指出该笔贷款的主要风险，并提出相应的风险控制措施。

### task-2
类型: 单选 | 分值: 20

该农场 1—2 月销售收入合计为：

- [x] 27 万元
- [ ] 30 万元
- [ ] 12 万元

解析: 1 月 12 万元加 2 月 15 万元，合计 27 万元。30 万元是把 2 月的收入算了两次，
12 万元只算了 1 月。

## 评分标准 / Rubric

| 编号 | 评分项 | 权重 | 优秀 | 良好 | 合格 | 不合格 |
|---|---|---|---|---|---|---|
| risk | 风险识别 | 30 | 识别出季节性、担保不足、用途三项主要风险 | 识别出两项 | 识别出一项 | 未识别 |
| plan | 措施设计 | 40 | 措施与风险一一对应、具体可行 | 措施基本可行 | 措施笼统 | 无措施 |
| expr | 表达与规范 | 30 | 结论先行、条理清晰、用语规范 | 较清晰 | 基本清楚 | 混乱 |

## 参考答案 / Reference answer

主要风险：销售收入季节性强，淡季还款压力大；抵押物不足；资金可能被挪用。
措施：按季分期还款；追加保证人；采用受托支付并跟踪资金流向。

## 示例答案 / Example answers

### example-1
得分: risk=28, plan=36, expr=27

风险有三：收入季节性强、抵押不足、资金可能被挪用。建议按季分期还款、追加保证人、受托支付。

点评: 风险识别全面，措施与风险一一对应，表达清晰。

### example-2
得分: risk=20, plan=25, expr=20

风险在于收入季节性强和资金可能被挪用。建议按季分期还款，采用受托支付。

点评: 遗漏了担保不足，措施基本可行。

### example-3
得分: risk=5, plan=5, expr=12

农场经营不错，可以放款。

点评: 未识别风险，结论缺乏依据。
"""


class SkeletonError(ValueError):
    """The skeleton cannot be written; the message is Chinese, then English."""


def skeleton(kind: str, name: str, taxonomy: Taxonomy | None = None) -> str:
    """The text of a skeleton pack. `taxonomy` supplies a theme and a competency that exist."""
    if kind not in FOLDERS:
        raise SkeletonError(f"类别只能是 quiz 或 case / the kind must be quiz or case, not `{kind}`")
    if not SLUG_RE.match(name):
        raise SkeletonError(
            f"名称「{name}」只能用小写字母、数字和 - / the name `{name}` must be lowercase letters, digits "
            "and '-', e.g. credit-basics"
        )
    theme = taxonomy.themes.terms[0].key if taxonomy and taxonomy.themes.terms else "case-analysis"
    competency = (
        taxonomy.competencies.terms[0].key if taxonomy and taxonomy.competencies.terms else "analysis"
    )
    template = QUIZ if kind == "quiz" else CASE
    return template.replace("NAME", name).replace("THEME", theme).replace("COMPETENCY", competency)


def create_pack(content_dir: Path, kind: str, name: str, taxonomy: Taxonomy | None = None) -> Path:
    """Write content/quizzes/NAME.md (or cases/); refuse to replace a pack that exists."""
    text = skeleton(kind, name, taxonomy)
    folder = Path(content_dir) / FOLDERS[kind]
    path = folder / f"{name}.md"
    for existing in (path, folder / name):
        if existing.exists():
            raise SkeletonError(f"{existing} 已存在，不会覆盖 / {existing} exists; it is not replaced")
    folder.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as out:
        out.write(text)
    return path
