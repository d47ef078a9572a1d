"""The manager's file gives honest advice: absolute thresholds besides the comparison with peers, a radar
that a 320-px phone shows whole with every series visible, and penalties and vetoes listed."""

from datetime import UTC, datetime, timedelta

from drill.appraisal import entry, services
from drill.appraisal.models import Period
from drill.appraisal.rules import gaps
from drill.charts import radar_chart, text_width
from tests.appraisal.world import drill, import_shipped_quizzes, scheme_file, versions


def test_a_competency_under_60_percent_is_a_gap_even_when_the_organisation_is_no_better():
    found = gaps.gaps({"a": 0.0, "b": 75.0}, {}, {"a": 0.0, "b": 70.0})
    assert [(g.competency, g.below_organisation, g.below_threshold) for g in found] == [("a", False, True)]
    assert gaps.status({"a": 0.0, "b": 75.0}, {"a": 0.0, "b": 70.0}, found) == gaps.BELOW
    assert gaps.gaps({"a": 80.0}, {}, {"a": 70.0}) == []  # above both: nothing to say but "keep it up"
    # the further to go (to the organisation or to 60%) comes first; below both before below one
    ranked = gaps.gaps({"a": 50.0, "b": 58.0, "c": 20.0}, {}, {"a": 90.0, "b": 59.0, "c": 10.0})
    assert [(g.competency, g.shortfall) for g in ranked] == [("a", 40.0), ("c", 40.0), ("b", 2.0)]


def test_a_manager_at_zero_is_never_told_to_keep_it_up(client, login, db, make_user):
    import_shipped_quizzes()
    alone = make_user("M001", branch="east1", name="周经理")
    bank = [v for v in versions() if "risk-foresight" in (v.competencies or [])][:3]
    items = [(v.id, v.points, 0.0) for v in bank]  # everything wrong: 0% where the organisation is 0% too
    drill(alone, datetime.now(UTC).date() - timedelta(days=3), 0, sum(p for _, p, _ in items), items=items)
    db.session.commit()
    login(alone)
    page = client.get(f"/appraisal/people/{alone.id}").get_data(as_text=True)
    assert "继续保持" not in page and 'data-status="below"' in page
    gap = page.split('class="mb-2 gap"', 1)[1].split("</li>", 1)[0]
    assert "低于 60%" in gap and "全辖 0.0%" in gap


def test_the_radar_fits_a_small_screen_and_keeps_the_managers_series_on_top():
    axes = [
        "职业道德与保密",
        "政策法规与产品知识",
        "分析判断",
        "风险预判",
        "Marketing skill (segmentation, positioning)",
    ]
    same = [0.0, 40.0, 60.0, 0.0, 20.0]
    chart = radar_chart(axes, {"周经理": same, "东城支行": list(same), "全辖": [50.0] * 5})
    for label in chart.labels:  # every line of every label inside the picture
        width = max(text_width(line) for line in label.lines)
        left = label.x - {"start": 0, "middle": width / 2, "end": width}[label.anchor]
        assert left >= 0 and left + width <= chart.size, label
        assert label.y > 0 and label.y + 13 * (len(label.lines) - 1) <= chart.size, label
    assert chart.series[-1].name == "周经理"  # drawn last: on top where it coincides with the branch
    looks = {(s.dash, s.marker) for s in chart.series}
    assert len(looks) == 3 and [s.name for s in chart.legend] == ["周经理", "东城支行", "全辖"]


def test_a_recorded_veto_and_deduction_are_listed_in_the_file(app, client, login, db, make_user):
    admin = make_user("A01", roles={"admin"}, branch="head", name="管理员甲")
    manager = make_user("M001", branch="east1", name="周经理")
    period = services.create_period(scheme_file("bank-manager"), "quarterly", 2025, 1, admin)
    entry.add_occurrence(period, manager, "veto", "major_complaint", 1, "重大投诉", admin)
    db.session.commit()
    as_admin = app.test_client()
    login(admin, target=as_admin)
    page = as_admin.get(f"/appraisal/people/{manager.id}").get_data(as_text=True)
    rewards = page.split('id="rewards"', 1)[1].split("</ul>", 1)[0]
    assert 'data-kind="veto"' in rewards and "重大投诉" in rewards and "2025-Q1" in rewards
    login(manager)
    rewards = client.get(f"/appraisal/people/{manager.id}").get_data(as_text=True).split('id="rewards"', 1)[1]
    assert "重大投诉" not in rewards.split("</ul>", 1)[0]  # not before the period is published
    db.session.get(Period, period.id).state = "published"
    db.session.commit()
    rewards = client.get(f"/appraisal/people/{manager.id}").get_data(as_text=True).split('id="rewards"', 1)[1]
    rewards = rewards.split("</ul>", 1)[0]
    assert 'data-kind="veto"' in rewards and "重大投诉" in rewards and "无" not in rewards
