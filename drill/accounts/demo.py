"""The demo organisation: a head office, three branches with two outlets each, and their people."""

import random

from drill.accounts import services
from drill.accounts.models import Branch, password_hasher

DEMO_PASSWORD = "drill-demo"

BRANCHES = [
    ("QH", "青河农商银行总行", "head_office", None),
    ("QH-DC", "东城支行", "branch", "QH"),
    ("QH-XS", "西山支行", "branch", "QH"),
    ("QH-NH", "南湖支行", "branch", "QH"),
    ("QH-DC-01", "东城支行城关网点", "outlet", "QH-DC"),
    ("QH-DC-02", "东城支行桥头网点", "outlet", "QH-DC"),
    ("QH-XS-01", "西山支行柳林网点", "outlet", "QH-XS"),
    ("QH-XS-02", "西山支行石门网点", "outlet", "QH-XS"),
    ("QH-NH-01", "南湖支行渔港网点", "outlet", "QH-NH"),
    ("QH-NH-02", "南湖支行新村网点", "outlet", "QH-NH"),
]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "磊",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "霞",
    "平",
    "刚",
    "桂英",
    "建华",
    "晓东",
]
CATEGORIES = ["personal", "corporate", "comprehensive", "tobacco"]
LEVELS = ["junior", "junior", "intermediate", "intermediate", "senior"]


def seed() -> list[tuple[str, str, str, str]]:
    """Create the demo; returns (employee number, name, roles, branch) of every login made."""
    rng = random.Random(20261128)  # the same demo every time
    branches: dict[str, Branch] = {}
    for code, name, kind, parent in BRANCHES:
        branches[code] = services.create_branch(code, name, kind, branches.get(parent))
    outlets = [b for b in branches.values() if b.kind == "outlet"]
    logins = []
    # Every demo account has the same published password: one hash for all (each takes ~20-40 ms to make).
    shared = password_hasher().hash(DEMO_PASSWORD)

    def add(no, name, branch, roles, **extra):
        services.create_user(
            employee_no=no, name=name, branch=branch, roles=roles, password=DEMO_PASSWORD,
            password_hash=shared, **extra,
        )  # fmt: skip
        logins.append((no, name, ",".join(sorted(roles)), branch.name))

    add("admin", "管理员", branches["QH"], {"admin"})
    add("admin2", "考评管理员 孙丽", branches["QH"], {"admin"})  # proposes level changes; admin approves
    add("trainer1", "培训师 周敏", branches["QH"], {"trainer"})
    add("trainer2", "培训师 郑磊", branches["QH-DC"], {"trainer"}, scope_branch=branches["QH-DC"])
    for index in range(1, 4):
        add(f"judge{index}", f"评委 {rng.choice(SURNAMES)}{rng.choice(GIVEN)}", branches["QH"], {"judge"})
    for index in range(1, 31):
        outlet = outlets[(index - 1) % len(outlets)]
        add(
            f"m{index:03d}",
            f"{rng.choice(SURNAMES)}{rng.choice(GIVEN)}",
            outlet,
            {"manager"},
            category=CATEGORIES[(index - 1) % len(CATEGORIES)],
            level=rng.choice(LEVELS),
        )
    return logins
