"""What a demo manager types for a question: the right answer, or a plausible wrong one. Pure: the
question's spec and a random generator come in, a response shaped as the paper page sends it goes out."""

from __future__ import annotations

import random
from decimal import Decimal

OPEN_SENTENCES = [
    "先稳定客户情绪，请到安静的地方坐下，耐心听完诉求，不打断、不争辩。",
    "按规定当场登记投诉内容、联系方式和诉求，告知受理编号和答复时限。",
    "核实事实：调取业务记录和监控，向经办人了解情况，区分是制度问题还是操作问题。",
    "属于我行责任的，及时致歉并纠正；不属于的，用客户听得懂的话讲清依据。",
    "从客户的实际需求出发，先了解经营和资金周转情况，再介绍合适的产品，讲清利率、费用和风险。",
    "对照材料中的数据逐项分析余额变化、逾期情况和担保关系，结论是需要加强贷后检查。",
    "分三步推进：走访摸底、分类施策、定期回访，每一步都留存记录，便于考核和复盘。",
    "答复后三个工作日内回访，确认客户满意；把这次投诉写进案例，组织网点学习。",
    "整改措施落实到人：谁负责、什么时候完成、怎么检查，都写清楚。",
    "注意保护客户信息，不在公开场合讨论客户的账户和贷款情况。",
]


def response(spec: dict, right: bool, rng: random.Random) -> object:
    """A response to `spec`: right, or wrong the way a person gets it wrong (one slip, not nonsense)."""
    kind = spec["type"]
    if kind == "single":
        correct = [o["id"] for o in spec["options"] if o.get("correct")]
        wrong = [o["id"] for o in spec["options"] if not o.get("correct")]
        return rng.choice(correct if right or not wrong else wrong)
    if kind == "multiple":
        correct = [o["id"] for o in spec["options"] if o.get("correct")]
        wrong = [o["id"] for o in spec["options"] if not o.get("correct")]
        if right:
            return correct
        if wrong and (len(correct) < 2 or rng.random() < 0.5):
            return [*correct[1:], rng.choice(wrong)]
        return correct[:-1]
    if kind == "truefalse":
        return bool(spec["answer"]) if right else not spec["answer"]
    if kind == "blank":
        typed = [b["answers"][0] for b in spec["blanks"]]
        if not right:
            typed[rng.randrange(len(typed))] = "不清楚"
        return typed
    if kind == "numeric":
        answer = Decimal(spec["answer"])
        return str(answer) if right else str(answer * Decimal("1.1") + 1)
    if kind == "ordering":
        order = [i["id"] for i in spec["items"]]
        if not right and len(order) > 1:
            order[0], order[1] = order[1], order[0]
        return order
    if kind == "matching":
        pairs = {p["id"]: p["right"] for p in spec["pairs"]}
        if not right and len(pairs) > 1:
            lefts = list(pairs)
            pairs[lefts[0]], pairs[lefts[1]] = pairs[lefts[1]], pairs[lefts[0]]
        return pairs
    return "".join(rng.sample(OPEN_SENTENCES, rng.randint(2, 4)))  # open: people grade it


def rubric_scores(criteria: list[dict], share: float, rng: random.Random, spread: float = 0.05) -> dict:
    """Scores per rubric criterion (each within its weight) around `share` of the full marks, in halves."""
    scores = {}
    for criterion in criteria:
        weight = float(criterion["weight"])
        value = weight * min(1.0, max(0.0, share + rng.uniform(-spread, spread)))
        scores[criterion["id"]] = round(value * 2) / 2
    return scores
