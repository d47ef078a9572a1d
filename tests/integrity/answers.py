"""A seeded set of Chinese case answers: independent ones built from the same domain phrases (so they
share wording the way real answers to one case do), and copies of some of them with small edits."""

from __future__ import annotations

import random

PHRASES = [
    "首先要了解客户的经营状况",
    "核实企业的现金流和负债情况",
    "客户经理应当实地走访",
    "关注行业政策变化",
    "评估抵押物的价值和变现能力",
    "与客户建立长期信任关系",
    "做好贷后管理和风险预警",
    "分析近三年的财务报表",
    "结合征信报告判断还款意愿",
    "向客户推荐合适的理财产品",
    "注意防范洗钱风险",
    "严格执行双人调查制度",
    "了解零售户的进货渠道",
    "帮助商户提升品牌陈列效果",
    "根据销售数据调整订货策略",
    "及时上报异常交易",
    "对客户进行分层分类管理",
    "定期回访重点客户",
    "保护客户个人信息安全",
    "合理确定授信额度和期限",
    "核查担保人的代偿能力",
    "加强与上级部门的沟通",
    "关注客户的上下游企业",
    "制定差异化的营销方案",
    "提高服务效率和客户满意度",
    "按照合规要求留存资料",
    "识别虚假交易和关联交易",
    "控制集中度风险",
    "发挥网格化营销的作用",
    "做好卷烟市场的价格监测",
    "引导零售户诚信经营",
    "宣传新的金融服务政策",
    "对不良贷款及时采取保全措施",
    "结合当地经济特点开展营销",
    "重视客户投诉的处理",
    "落实首问负责制",
    "优化客户结构",
    "分析竞争对手的产品",
    "利用数据平台筛选目标客户",
    "评估项目的可行性",
]
FILLERS = ["我认为", "因此", "同时", "另外", "总之", "具体来说", "此外", "其次", "最后", "例如"]


def independent(rng: random.Random, length: int = 14) -> str:
    parts = []
    for _ in range(length):
        if rng.random() < 0.3:
            parts.append(rng.choice(FILLERS))
        parts.append(rng.choice(PHRASES))
        if rng.random() < 0.3:
            parts.append(f"约{rng.randint(2, 98)}%")
    out = ""
    for part in parts:
        out += part + rng.choice("，。；")
    return out


def copied(rng: random.Random, text: str, edits: int = 5) -> str:
    """Small edits a copier makes: change a few characters, drop a clause, add a filler, re-punctuate."""
    chars = list(text)
    for _ in range(edits):
        chars[rng.randrange(len(chars))] = rng.choice("的了和是在有也就都而")
    out = "".join(chars)
    clauses = [c for c in out.replace("；", "，").replace("。", "，").split("，") if c]
    if len(clauses) > 4:
        del clauses[rng.randrange(len(clauses))]
    clauses.insert(rng.randrange(len(clauses)), rng.choice(FILLERS))
    return "，".join(clauses) + "。"


def seeded_set(seed: int, originals: int, copies: int) -> tuple[dict[str, str], set[frozenset[str]]]:
    """`originals` independent answers and `copies` copies of some of them; the copied pairs."""
    rng = random.Random(seed)
    texts = {f"a{i}": independent(rng, rng.randint(8, 18)) for i in range(originals)}
    pairs = set()
    for j in range(copies):
        source = f"a{rng.randrange(originals)}"
        key = f"c{j}"
        texts[key] = copied(rng, texts[source], rng.randint(2, 5))
        pairs.add(frozenset((source, key)))
    # copies of the same original are copies of each other too
    by_source: dict[str, list[str]] = {}
    for pair in pairs:
        source = min(pair, key=lambda k: k.startswith("c"))
        by_source.setdefault(source, []).append(max(pair, key=lambda k: k.startswith("c")))
    for group in by_source.values():
        for x in group:
            for y in group:
                if x < y:
                    pairs.add(frozenset((x, y)))
    return texts, pairs
