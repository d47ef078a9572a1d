"""Appraisal on the bank scheme: last quarter's indicator sheet imported, every rating given, one veto,
computed, reviewed and published; this quarter open with a first branch rated; the level rules run, so a
level change waits for the other admin's approval (four eyes)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from sqlalchemy import select

from drill.appraisal import entry, level_changes, level_review, period_records, services
from drill.appraisal.models import Period
from drill.appraisal.rules import states
from drill.demo.world import World
from drill.exams.models import Certificate
from drill.extensions import db
from drill.i18n import local_day

SCHEME = "bank-manager"
COMMENTS = {
    "ethics_rating": ["遵守职业操守，无违规记录。", "廉洁自律，客户评价良好。"],
    "management_rating": ["台账、档案按时整理。", "基础工作扎实，偶有报表延迟。"],
    "thinking": ["分析客户需求有条理。", "能从数据中发现问题。"],
    "action": ["任务推进及时，走访计划落实到位。", "执行到位，个别任务需督促。"],
    "management_ability": ["能带动网点同事协作营销。", "客户分层管理清楚。"],
    "attitude": ["工作积极主动，按时参加培训。", "态度端正，服务耐心。"],
}


def seed(world: World) -> Period | None:
    found = [f for f in services.scheme_files() if f.scheme.id == SCHEME]
    if not found:
        world.note(f"appraisal skipped: content/appraisal has no scheme {SCHEME}")
        return None
    file, rng = found[0], world.rng
    today = local_day(world.now)
    quarter = (today.month - 1) // 3 + 1
    year, last = (today.year, quarter - 1) if quarter > 1 else (today.year - 1, 4)
    reviewer, admin = world.user("admin2"), world.user("admin")
    past = services.create_period(file, "quarterly", year, last, reviewer)
    managers = [u for u in world.bank_managers if u.active]
    after = world.now - timedelta(days=max(1, min(10, (today - past.ends_on).days - 1)))
    strength = {u.id: rng.random() for u in managers}  # who does well, on the sheet and in the ratings
    sheet = indicator_sheet(file.scheme, managers, strength, rng)
    imported = entry.import_indicators(past, f"{past.label}-指标.csv", sheet, reviewer, after)
    if imported.problems:
        raise RuntimeError(f"the demo's indicator sheet was refused: {imported.problems[0]}")
    rate(past, managers, strength, rng, reviewer, after)
    vetoed = next(u for u in managers if u.level == "senior")
    entry.add_occurrence(
        past, vetoed, "veto", "major_complaint", 1, "客户投诉经查属实，造成不良影响。", reviewer
    )
    outcome = period_records.compute_period(past, reviewer, after + timedelta(hours=1))
    if not outcome.ok:
        raise RuntimeError("; ".join(str(m.text()) for m in outcome.blockers[:3]))
    services.move(past, states.REVIEWED, admin, after + timedelta(hours=3))
    services.move(past, states.PUBLISHED, admin, after + timedelta(hours=4))
    current = services.create_period(file, "quarterly", today.year, quarter, reviewer)
    first_branch = [u for u in managers if u.branch.code.startswith("QH-DC")]
    rate(current, first_branch, strength, rng, reviewer, world.now - timedelta(hours=20))
    proposals = level_changes.propose_all(reviewer, world.now - timedelta(hours=2))
    proposals += promote_by_hand(world, managers, reviewer)
    world.note(
        f"appraisal: {past.label} computed and published ({len(managers)} managers), {current.label} open "
        f"({len(first_branch)} rated), {len(proposals)} level change(s) waiting for approval"
    )
    return past


def promote_by_hand(world: World, managers, by) -> list:
    """A junior who passed the intermediate exam, proposed for promotion by hand (the rules want a year)."""
    rules = services.level_rules()
    certified = {
        c.user_id for c in db.session.scalars(select(Certificate).where(Certificate.level == "intermediate"))
    }
    found = next((u for u in managers if u.level == "junior" and u.id in certified), None)
    if rules is None or found is None:
        return []
    reason = "秋季中级技能等级考评合格，本季度考评良好，支行推荐晋升中级。"
    return [level_review.propose_by_hand(found, "intermediate", reason, rules, by, local_day(world.now))]


def indicator_sheet(scheme, managers, strength, rng) -> bytes:
    """The quarter's indicator sheet as the branch sends it: 工号, 姓名 and the scheme's columns."""
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(["工号", "姓名", *(c.label for c in scheme.columns)])
    for user in managers:
        f = strength[user.id]
        deposit, loan, due = rng.randint(30, 80) * 100, rng.randint(20, 60) * 100, rng.randint(100, 300)
        values = {
            "deposit_actual": deposit * (0.8 + 0.45 * f + rng.uniform(-0.05, 0.05)),
            "deposit_target": deposit,
            "loan_actual": loan * (0.78 + 0.45 * f + rng.uniform(-0.05, 0.05)),
            "loan_target": loan,
            "interest_collected": due * (0.9 + 0.1 * f),
            "interest_due": due,
            "npl_ratio": max(0.2, 3.5 - 3 * f + rng.uniform(-0.3, 0.3)),
            "post_loan_rate": min(100, 80 + 20 * f + rng.uniform(-2, 2)),
            "file_rate": min(100, 85 + 15 * f + rng.uniform(-2, 2)),
            "satisfaction": min(100, 84 + 15 * f + rng.uniform(-1, 1)),
            "complaints": 0 if f > 0.5 else rng.choice([0, 1, 1, 2]),
        }
        writer.writerow([user.employee_no, user.name, *(f"{values[c.key]:.2f}" for c in scheme.columns)])
    return text.getvalue().encode("utf-8")


def rate(period: Period, managers, strength, rng, rater, when) -> None:
    """The supervisor's ratings of every rating item, each with its reason."""
    scheme = services.scheme_of(period)
    for user in managers:
        f = strength[user.id]
        for item in entry.rating_items(scheme):
            low, high = (int(x) for x in item.scale)
            if high <= 5:
                value = min(high, max(low, round(2.6 + 2.4 * f + rng.uniform(-0.5, 0.5))))
            else:
                value = min(high, round(70 + 28 * f + rng.uniform(-3, 3)))
            comment = rng.choice(COMMENTS.get(item.key, ["按季度工作记录评价。"]))
            entry.save_rating(period, user, item.key, float(value), comment, rater, when)
