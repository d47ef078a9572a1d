"""One broken pack per problem drill reports: the text, the line the problem must be reported on and a
fragment of the message. Each text is broken in exactly one way, so it must yield exactly that problem.

Line numbers: FRONT is lines 1–6 and a blank line 7, so a pack's first question heading is on line 8.
"""

FRONT = "---\nid: broken\ntitle: 坏题库\ntheme: case-analysis\nlevel: junior\n---\n\n"


def quiz(
    meta: str = "类型: 单选 | 分值: 2",
    body: str = "题干？\n\n- [x] 对的\n- [ ] 错的",
    qid: str = "q-001",
    explanation: str = "\n\n解析: 因为。\n",
) -> str:
    """FRONT, then `## qid` (line 8), the meta line (9), a blank line (10) and the body from line 11."""
    return f"{FRONT}## {qid}\n{meta}\n\n{body}{explanation}"


def front(replace: str, by: str) -> str:
    return quiz().replace(replace, by, 1)


CASE = """---
id: broken-case
title: 坏案例
theme: case-analysis
level: intermediate
---

## 背景 / Background

某农场申请贷款。

## 任务 / Tasks

### task-1
类型: 问答 | 分值: 100

请分析风险。

## 评分标准 / Rubric

| 编号 | 评分项 | 权重 | 优秀 | 合格 |
|---|---|---|---|---|
| risk | 风险识别 | 60 | 全面 | 部分 |
| expr | 表达 | 40 | 清晰 | 基本清楚 |

## 参考答案 / Reference answer

风险在于季节性。

## 示例答案 / Example answers

### example-1
得分: risk=50, expr=30

季节性风险明显。

点评: 较好。
"""
# CASE lines: 8 背景, 12 任务, 14 task-1, 15 meta, 19 评分标准, 21 header row, 23 risk, 24 expr,
# 26 参考答案, 30 示例答案, 32 example-1, 33 得分, 37 点评.

RUBRIC = """---
id: broken-rubric
title: 坏评分标准
---

| 编号 | 评分项 | 权重 | 优秀 | 合格 |
|---|---|---|---|---|
| risk | 风险识别 | 60 | 全面 | 部分 |
| expr | 表达 | 40 | 清晰 | 基本清楚 |
"""
# RUBRIC lines: 6 header row, 8 risk, 9 expr.

# (name, folder, text, line, message fragment, severity)
BROKEN = [
    # front matter and YAML
    ("no front matter", "quizzes", quiz()[len(FRONT) :], 1, "begins with YAML front matter", "error"),
    ("front matter never closed", "quizzes", "---\nid: x\ntitle: y\n", 1, "never closed", "error"),
    (
        "bad YAML",
        "quizzes",
        front("title: 坏题库", "title: 坏题库: 冒号"),
        3,
        "bad YAML in the front matter",
        "error",
    ),
    ("tab in YAML", "quizzes", front("level: junior", "level:\tjunior\n\tx: 1"), 5, "bad YAML", "error"),
    (
        "unsafe YAML tag",
        "quizzes",
        front("title: 坏题库", "title: !!python/object/apply:os.system [ls]"),
        3,
        "unsafe YAML tag `!!python/object/apply:os.system` refused",
        "error",
    ),
    (
        "YAML alias bomb",
        "quizzes",
        front("title: 坏题库", "a: &a [x, x]\nb: [*a, *a]\ntitle: 坏题库"),
        4,
        "YAML aliases (`*a`) are not allowed",
        "error",
    ),
    (
        "deep YAML",
        "quizzes",
        front("title: 坏题库", "title: 坏题库\nauthors: " + "[" * 40 + "]" * 40),
        4,
        "nested more than 8 levels deep",
        "error",
    ),
    (
        "huge front matter",
        "quizzes",
        front("title: 坏题库", "title: 坏题库\ndescription: " + "很" * 30000),
        2,
        "larger than 64 KiB",
        "error",
    ),
    (
        "front matter is a list",
        "quizzes",
        "---\n- a\n- b\n---\n" + quiz()[len(FRONT) :],
        2,
        "must be `key: value` lines",
        "error",
    ),
    (
        "duplicate front-matter key",
        "quizzes",
        front("level: junior", "level: junior\ntitle: 又一个"),
        6,
        "`title` is given twice (first on line 3)",
        "error",
    ),
    (
        "unknown front-matter key",
        "quizzes",
        front("level: junior", "level: junior\ntime_limt: 15"),
        6,
        "unknown front-matter key `time_limt` for a quiz. Did you mean `time_limit`?",
        "error",
    ),
    ("missing id", "quizzes", front("id: broken\n", ""), 1, "the front matter has no `id:`", "error"),
    (
        "bad pack id",
        "quizzes",
        front("id: broken", "id: Broken Pack"),
        2,
        "`Broken Pack` is not a valid id",
        "error",
    ),
    (
        "unknown theme",
        "quizzes",
        front("theme: case-analysis", "theme: 案例分折"),
        4,
        "unknown theme `案例分折`. Did you mean `案例分析`?",
        "error",
    ),
    ("unknown level", "quizzes", front("level: junior", "level: 特级"), 5, "unknown level `特级`", "error"),
    (
        "unknown audience",
        "quizzes",
        front("level: junior", "level: junior\naudience: 保险"),
        6,
        "unknown audience `保险`",
        "error",
    ),
    (
        "unknown pack competency",
        "quizzes",
        front("level: junior", "level: junior\ncompetencies: [风险预测]"),
        6,
        "unknown competency `风险预测`. Did you mean `风险预判`?",
        "error",
    ),
    (
        "time limit not a number",
        "quizzes",
        front("level: junior", "level: junior\ntime_limit: 十五"),
        6,
        "`十五` is not a whole number",
        "error",
    ),
    (
        "version not a number",
        "quizzes",
        front("level: junior", "level: junior\nversion: v2"),
        6,
        "`v2` is not a version number: write a whole number ≥ 1, e.g. `version: 2`",
        "error",
    ),
    (
        "bad multiple scoring",
        "quizzes",
        front("level: junior", "level: junior\nmultiple_scoring: some"),
        6,
        "unknown multiple-choice scoring `some`",
        "error",
    ),
    (
        "kind contradicts folder",
        "quizzes",
        front("level: junior", "level: junior\nkind: case"),
        6,
        "`kind: case` but the file is in the folder for quiz packs",
        "error",
    ),
    # pack structure
    ("no questions", "quizzes", FRONT + "只有介绍。\n", 6, "the pack has no questions", "error"),
    (
        "level-1 heading among questions",
        "quizzes",
        quiz() + "\n# 第二部分\n",
        18,
        "a `#` heading among the questions",
        "error",
    ),
    (
        "duplicate question id",
        "quizzes",
        quiz() + "\n" + quiz()[len(FRONT) :],
        18,
        "question id `q-001` is used twice in this pack (first on line 8)",
        "error",
    ),
    ("bad question id", "quizzes", quiz(qid="第1题"), 8, "`第1题` is not a question id", "error"),
    (
        "heading without a space",
        "quizzes",
        quiz().replace("## q-001", "##q-001"),
        8,
        "write a space after `##`",
        "warning",
    ),
    # meta line
    ("no meta line", "quizzes", quiz(meta="贷前调查中，应核实什么？"), 8, "no meta line", "error"),
    ("meta without type", "quizzes", quiz(meta="分值: 2"), 9, "has no `类型:`", "error"),
    (
        "unknown type",
        "quizzes",
        quiz(meta="类型: 单项 | 分值: 2"),
        9,
        "unknown question type `单项`",
        "error",
    ),
    (
        "unknown meta key",
        "quizzes",
        quiz(meta="类型: 单选 | 分直: 2"),
        9,
        "unknown key `分直` in the meta line. Did you mean `分值`?",
        "error",
    ),
    (
        "meta part without colon",
        "quizzes",
        quiz(meta="类型: 单选 | 2分"),
        9,
        "`2分` is not `key: value`",
        "error",
    ),
    (
        "meta key twice",
        "quizzes",
        quiz(meta="类型: 单选 | 分值: 2 | points: 3"),
        9,
        "`points` is given twice",
        "error",
    ),
    (
        "points not a number",
        "quizzes",
        quiz(meta="类型: 单选 | 分值: 两分"),
        9,
        "`分值: 两分` is not a number above 0",
        "error",
    ),
    (
        "difficulty out of range",
        "quizzes",
        quiz(meta="类型: 单选 | 难度: 6"),
        9,
        "`难度: 6` must be a whole number",
        "error",
    ),
    (
        "unknown question level",
        "quizzes",
        quiz(meta="类型: 单选 | 级别: 顶级"),
        9,
        "unknown level `顶级`",
        "error",
    ),
    (
        "unknown question competency",
        "quizzes",
        quiz(meta="类型: 单选 | 能力: 飞行"),
        9,
        "unknown competency `飞行`",
        "error",
    ),
    ("bad shuffle value", "quizzes", quiz(meta="类型: 单选 | 乱序: 也许"), 9, "write `是` or `否`", "error"),
    (
        "meta key that does not apply",
        "quizzes",
        quiz(meta="类型: 单选 | 单位: 元"),
        9,
        "`单位` does not apply to 单选 (single) questions",
        "warning",
    ),
    (
        "scoring rule on a single choice",
        "quizzes",
        quiz(meta="类型: 单选 | 计分: all"),
        9,
        "`计分` does not apply to 单选 (single) questions",
        "warning",
    ),
    # common to every question
    (
        "blank question",
        "quizzes",
        quiz(body="- [x] 对的\n- [ ] 错的"),
        8,
        "the question has no text",
        "error",
    ),
    ("missing explanation", "quizzes", quiz(explanation="\n"), 8, "no explanation", "warning"),
    # choices
    (
        "single with no correct option",
        "quizzes",
        quiz(body="题干？\n\n- [ ] 甲\n- [ ] 乙"),
        13,
        "no option is marked correct",
        "error",
    ),
    (
        "single with two correct options",
        "quizzes",
        quiz(body="题干？\n\n- [x] 甲\n- [x] 乙"),
        13,
        "has 2 options marked `[x]`",
        "error",
    ),
    (
        "multiple with no correct option",
        "quizzes",
        quiz(meta="类型: 多选", body="题干？\n\n- [ ] 甲\n- [ ] 乙"),
        13,
        "no option is marked correct",
        "error",
    ),
    ("one option only", "quizzes", quiz(body="题干？\n\n- [x] 甲"), 8, "needs at least two options", "error"),
    (
        "unknown option mark",
        "quizzes",
        quiz(body="题干？\n\n- [x] 甲\n- [?] 乙"),
        14,
        "unknown option mark `[?]`",
        "error",
    ),
    (
        "text after options",
        "quizzes",
        quiz(body="题干？\n\n- [x] 甲\n- [ ] 乙\n\n补充说明"),
        16,
        "text after the options is not shown",
        "error",
    ),
    (
        "duplicate options",
        "quizzes",
        quiz(body="题干？\n\n- [x] 甲\n- [ ] 甲"),
        14,
        "repeats the option on line 13",
        "error",
    ),
    (
        "scoring rule unknown",
        "quizzes",
        quiz(meta="类型: 多选 | 计分: most", body="题干？\n\n- [x] 甲\n- [ ] 乙"),
        9,
        "unknown scoring rule `most`",
        "error",
    ),
    # true/false
    (
        "true/false without answer",
        "quizzes",
        quiz(meta="类型: 判断", body="贷款可以挪用。"),
        8,
        "no answer given",
        "error",
    ),
    (
        "true/false bad answer",
        "quizzes",
        quiz(meta="类型: 判断", body="贷款可以挪用。\n\n答案: 也许"),
        13,
        "`也许` is not true or false",
        "error",
    ),
    (
        "second answer line",
        "quizzes",
        quiz(meta="类型: 判断", body="贷款可以挪用。\n\n答案: 错\n答案: 对"),
        14,
        "a second `答案:` line",
        "error",
    ),
    # blanks
    (
        "blank without gaps",
        "quizzes",
        quiz(meta="类型: 填空", body="三查是指什么。"),
        8,
        "needs at least one blank",
        "error",
    ),
    ("empty gap", "quizzes", quiz(meta="类型: 填空", body="三查是指{{}}。"), 11, "an empty blank", "error"),
    (
        "unclosed gap",
        "quizzes",
        quiz(meta="类型: 填空", body="三查是指{{贷前}}和{{贷后。"),
        11,
        "is never closed",
        "error",
    ),
    (
        "blank with answer line",
        "quizzes",
        quiz(meta="类型: 填空", body="三查是指{{贷前}}。\n答案: 贷前"),
        12,
        "keeps its answers in the text",
        "error",
    ),
    # numeric
    (
        "numeric answer not a number",
        "quizzes",
        quiz(meta="类型: 数值", body="合计多少？\n\n答案: 约十二"),
        13,
        "the answer `约十二` is not a number",
        "error",
    ),
    (
        "numeric without answer",
        "quizzes",
        quiz(meta="类型: 数值", body="合计多少？"),
        8,
        "no answer given",
        "error",
    ),
    (
        "numeric unit mismatch",
        "quizzes",
        quiz(meta="类型: 数值 | 单位: 万元", body="合计多少？\n\n答案: 12 元"),
        13,
        "the answer's unit `元` differs from `单位: 万元`",
        "error",
    ),
    (
        "numeric bad tolerance",
        "quizzes",
        quiz(meta="类型: 数值 | 误差: 一点", body="合计多少？\n\n答案: 12"),
        9,
        "the tolerance `一点` is not a number",
        "error",
    ),
    (
        "numeric two tolerances",
        "quizzes",
        quiz(meta="类型: 数值 | 误差: 1", body="合计多少？\n\n答案: 12 ± 0.5"),
        13,
        "two tolerances",
        "error",
    ),
    # ordering and matching
    (
        "ordering with one item",
        "quizzes",
        quiz(meta="类型: 排序", body="排序：\n\n1. 受理"),
        8,
        "needs a numbered list",
        "error",
    ),
    (
        "ordering numbered out of order",
        "quizzes",
        quiz(meta="类型: 排序", body="排序：\n\n2. 调查\n1. 受理\n3. 审批"),
        13,
        "the items are numbered 2, 1, 3",
        "error",
    ),
    (
        "ordering duplicate items",
        "quizzes",
        quiz(meta="类型: 排序", body="排序：\n\n1. 受理\n2. 受理"),
        14,
        "this item repeats the one on line 13",
        "error",
    ),
    (
        "matching with one pair",
        "quizzes",
        quiz(meta="类型: 匹配", body="连线：\n\n- 甲 => 乙"),
        8,
        "needs at least two pairs",
        "error",
    ),
    (
        "matching pair without right",
        "quizzes",
        quiz(meta="类型: 匹配", body="连线：\n\n- 甲 => 乙\n- 丙 =>\n- 丁 => 戊"),
        14,
        "a pair has nothing on the right",
        "error",
    ),
    # open answers
    (
        "open with two rubrics",
        "quizzes",
        quiz(meta="类型: 问答 | 评分标准: some-rubric", body=RUBRIC.split("---\n\n")[1] + "\n请分析。"),
        11,
        "two rubrics",
        "error",
    ),
    (
        "open with unknown shared rubric",
        "quizzes",
        quiz(meta="类型: 问答 | 评分标准: no-such-rubric", body="请分析。"),
        9,
        "unknown rubric `no-such-rubric`",
        "error",
    ),
    # links and files
    (
        "broken image link",
        "quizzes",
        quiz(body="看图：![图](images/missing.png)\n\n- [x] 甲\n- [ ] 乙"),
        11,
        "broken link `images/missing.png`",
        "error",
    ),
    (
        "link leaving the pack",
        "quizzes",
        quiz(body="见[文件](../../secret.csv)\n\n- [x] 甲\n- [ ] 乙"),
        11,
        "leaves the pack folder",
        "error",
    ),
    (
        "javascript link",
        "quizzes",
        quiz(body="点[这里](javascript:alert(1))\n\n- [x] 甲\n- [ ] 乙"),
        11,
        "unsafe link `javascript:alert(1)`",
        "error",
    ),
    (
        "data image",
        "quizzes",
        quiz(body="![x](data:image/png;base64,AAAA)\n\n- [x] 甲\n- [ ] 乙"),
        11,
        "unsafe link `data:image/png",
        "error",
    ),
    (
        "outside image",
        "quizzes",
        quiz(body="![x](https://example.com/a.png)\n\n- [x] 甲\n- [ ] 乙"),
        11,
        "outside image `https://example.com/a.png`",
        "error",
    ),
    (
        "link in an option",
        "quizzes",
        quiz(body="题干？\n\n- [x] 见![图](nope.png)\n- [ ] 乙"),
        13,
        "broken link `nope.png`",
        "error",
    ),
    # rubrics
    (
        "rubric weights not 100",
        "rubrics",
        RUBRIC.replace("| 40 |", "| 30 |"),
        6,
        "the rubric weights add up to 90 (60 + 30), not 100",
        "error",
    ),
    (
        "rubric without id column",
        "rubrics",
        RUBRIC.replace("| 编号 |", "| 序 |"),
        6,
        "has no `编号` (id) column",
        "error",
    ),
    (
        "rubric with one level",
        "rubrics",
        RUBRIC.replace(" 合格 |", "")
        .replace(" 部分 |", "")
        .replace(" 基本清楚 |", "")
        .replace("|---|---|---|---|---|", "|---|---|---|---|"),
        6,
        "has 1 level columns",
        "error",
    ),
    ("rubric without table", "rubrics", RUBRIC.split("| 编号")[0], 4, "a rubric file needs a table", "error"),
    (
        "rubric bad criterion id",
        "rubrics",
        RUBRIC.replace("| risk |", "| 风险 |"),
        8,
        "criterion id `风险` must be",
        "error",
    ),
    (
        "rubric duplicate criterion",
        "rubrics",
        RUBRIC.replace("| expr |", "| risk |"),
        9,
        "criterion id `risk` is used twice",
        "error",
    ),
    (
        "rubric weight not a number",
        "rubrics",
        RUBRIC.replace("| 40 |", "| 四十 |"),
        9,
        "the weight `四十` of `expr`",
        "error",
    ),
    (
        "rubric empty descriptor",
        "rubrics",
        RUBRIC.replace("| 基本清楚 |", "|  |"),
        9,
        "has no descriptor for level",
        "warning",
    ),
    # cases
    (
        "example score above weight",
        "cases",
        CASE.replace("risk=50", "risk=65"),
        33,
        "example `example-1` gives `risk` 65; a score must be a number from 0 to the criterion's weight 60",
        "error",
    ),
    (
        "example scores unknown criterion",
        "cases",
        CASE.replace("risk=50, expr=30", "risk=50, expr=30, plan=5"),
        33,
        "scores `plan`, which is not a rubric criterion",
        "error",
    ),
    (
        "example misses a criterion",
        "cases",
        CASE.replace("risk=50, expr=30", "risk=50"),
        32,
        "gives no score for `expr`",
        "error",
    ),
    (
        "example without scores",
        "cases",
        CASE.replace("得分: risk=50, expr=30\n", ""),
        32,
        "has no `得分:` line",
        "error",
    ),
    (
        "example score pair malformed",
        "cases",
        CASE.replace("expr=30", "expr 30"),
        33,
        "`expr 30` is not",
        "error",
    ),
    ("example without comment", "cases", CASE.replace("点评: 较好。\n", ""), 32, "has no `点评:`", "warning"),
    (
        "unknown case section",
        "cases",
        CASE + "\n## 结论\n\n略。\n",
        39,
        "unknown case section `结论`",
        "error",
    ),
    (
        "second section of a kind",
        "cases",
        CASE + "\n## 背景\n\n更多。\n",
        39,
        "a second `背景` section",
        "error",
    ),
    (
        "case without background",
        "cases",
        CASE.replace("## 背景 / Background\n\n某农场申请贷款。\n\n", ""),
        6,
        "the case has no `## 背景 / Background` section",
        "error",
    ),
    (
        "case without reference answer",
        "cases",
        CASE.replace("## 参考答案 / Reference answer\n\n风险在于季节性。\n\n", ""),
        6,
        "no `## 参考答案 / Reference answer` section",
        "warning",
    ),
    (
        "case without tasks",
        "cases",
        CASE.replace("### task-1\n类型: 问答 | 分值: 100\n\n请分析风险。\n", ""),
        12,
        "the tasks section has no task",
        "error",
    ),
    (
        "case without rubric",
        "cases",
        CASE.split("## 评分标准")[0] + "## 参考答案" + CASE.split("## 参考答案")[1],
        6,
        "the case has no rubric",
        "error",
    ),
    (
        "case with two rubrics",
        "cases",
        CASE.replace("level: intermediate", "level: intermediate\nrubric: x"),
        22,
        "two rubrics",
        "error",
    ),
    (
        "case points not 100",
        "cases",
        CASE.replace("分值: 100", "分值: 60"),
        6,
        "the task points add up to 60",
        "warning",
    ),
    (
        "case task id twice",
        "cases",
        CASE.replace("## 评分标准", "### task-1\n类型: 问答 | 分值: 0.5\n\n再分析。\n\n## 评分标准"),
        19,
        "task id `task-1` is used twice in this case",
        "error",
    ),
    (
        "case rubric section without table",
        "cases",
        CASE.replace("| 编号", "编号").replace("|---", "---"),
        19,
        "the rubric section has no table",
        "error",
    ),
]
