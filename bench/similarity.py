"""Similar answers: how long flagging near-copies among N free-text answers takes (default 5,000).

    .venv/bin/python -m bench.similarity [--entries 5000] [--copies 0.08] [--seed 1]

The answers are synthetic Chinese case answers (no word segmentation): each independent one is 8–18
clauses drawn from 5,400 domain clauses (subject × action × object, like real answers to one case, which
share stock wording), and a share of them (`--copies`) are copies of another answer with a few characters
changed, a clause dropped and a filler added. The run times `similarity.similar_pairs` — the same code
the app and `drill similar` use — and checks what it found against the copies it planted.

Prints a table, and last `RESULT {json}`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import time

from drill.integrity.rules import similarity

SUBJECTS = [
    "客户经理",
    "支行",
    "零售户",
    "企业客户",
    "我们",
    "营销团队",
    "风控部门",
    "网格员",
    "柜面人员",
    "客户",
    "合作商户",
    "上级部门",
    "信贷人员",
    "服务专员",
    "团队负责人",
]
ACTIONS = [
    "应当核实",
    "需要关注",
    "定期回访",
    "重点分析",
    "及时上报",
    "认真评估",
    "持续跟进",
    "主动了解",
    "严格审查",
    "合理安排",
    "积极推动",
    "妥善处理",
    "全面梳理",
    "逐户走访",
    "动态监测",
    "耐心解释",
    "如实记录",
    "统一规划",
]
OBJECTS = [
    "经营状况",
    "现金流",
    "负债情况",
    "抵押物价值",
    "征信报告",
    "财务报表",
    "进货渠道",
    "陈列效果",
    "订货策略",
    "异常交易",
    "授信额度",
    "担保能力",
    "上下游企业",
    "营销方案",
    "客户满意度",
    "合规资料",
    "关联交易",
    "集中度风险",
    "价格波动",
    "投诉处理",
]
FILLERS = ["我认为", "因此", "同时", "另外", "总之", "具体来说", "此外", "其次", "最后", "例如"]


def independent(rng: random.Random) -> str:
    out = ""
    for _ in range(rng.randint(8, 18)):
        if rng.random() < 0.3:
            out += rng.choice(FILLERS) + "，"
        out += rng.choice(SUBJECTS) + rng.choice(ACTIONS) + rng.choice(OBJECTS)
        if rng.random() < 0.3:
            out += f"约{rng.randint(2, 98)}%"
        out += rng.choice("，。；")
    return out


def copied(rng: random.Random, text: str) -> str:
    chars = list(text)
    for _ in range(rng.randint(2, 8)):
        chars[rng.randrange(len(chars))] = rng.choice("的了和是在有也就都而")
    clauses = [c for c in "".join(chars).replace("；", "，").replace("。", "，").split("，") if c]
    if len(clauses) > 4:
        del clauses[rng.randrange(len(clauses))]
    clauses.insert(rng.randrange(len(clauses)), rng.choice(FILLERS))
    return "，".join(clauses) + "。"


def corpus(entries: int, copies: float, seed: int) -> tuple[dict[str, str], set[frozenset[str]]]:
    rng = random.Random(seed)
    n_copies = int(entries * copies)
    texts = {f"a{i}": independent(rng) for i in range(entries - n_copies)}
    sources: dict[str, list[str]] = {}
    for j in range(n_copies):
        source = f"a{rng.randrange(entries - n_copies)}"
        texts[f"c{j}"] = copied(rng, texts[source])
        sources.setdefault(source, []).append(f"c{j}")
    planted = set()
    for source, group in sources.items():
        members = [source, *group]
        planted |= {frozenset((x, y)) for i, x in enumerate(members) for y in members[i + 1 :]}
    return texts, planted


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--copies", type=float, default=0.08, help="share of the entries that are copies")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threshold", type=float, default=similarity.THRESHOLD)
    args = parser.parse_args(argv)
    texts, planted = corpus(args.entries, args.copies, args.seed)
    chars = sum(len(t) for t in texts.values())
    started, cpu = time.perf_counter(), time.process_time()
    pairs = similarity.similar_pairs(texts, threshold=args.threshold)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    load = os.getloadavg()[0]
    found = {frozenset((p.a, p.b)) for p in pairs}
    reachable = {
        pair
        for pair in planted
        if similarity.jaccard(*(similarity.shingles(texts[key]) for key in sorted(pair))) >= args.threshold
    }
    result = {
        "entries": len(texts),
        "mean_chars": round(chars / len(texts), 1),
        "all_pairs": len(texts) * (len(texts) - 1) // 2,
        "planted_pairs": len(planted),
        "flagged_pairs": len(found),
        "planted_at_or_above_threshold": len(reachable),
        "planted_found": len(found & planted),
        "flagged_not_planted": len(found - planted),
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu_seconds, 2),
        "load_average_1min": round(load, 2),
        "threshold": args.threshold,
        "shingle": similarity.SHINGLE,
        "bands_rows": [similarity.BANDS, similarity.ROWS],
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
    }
    print(f"{'figure':<32}{'value':>14}")
    for key, value in result.items():
        print(f"{key:<32}{value!s:>14}")
    print("RESULT " + json.dumps(result, sort_keys=True))
    return result


if __name__ == "__main__":
    main()
