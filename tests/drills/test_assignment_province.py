"""The assignment report at province size (#14): an assignment naming its people one by one costs the same
statements for 200 as for 5; with more branches than a page can list, the branch filter is a code typed in
and the completion table shows the branches furthest behind; who is assigned reads the targets once."""

import pytest
from sqlalchemy import select

from drill.accounts.models import Branch, User, UserRole
from drill.content.models import QuestionVersion
from drill.database import utcnow
from drill.drills import report
from drill.drills.models import Assignment, AssignmentTarget
from drill.drills.rules import progress
from tests.drills.test_query_counts import an_assignment, attempt_at, download, managers
from tests.querycount import assert_same_queries, page_queries


@pytest.fixture
def versions(db, sample_pack):
    return list(db.session.scalars(select(QuestionVersion.id).order_by(QuestionVersion.id)))


def named_assignment(db, org, trainer, versions) -> Assignment:
    """An assignment naming its people (as the province's 5,000), not a branch."""
    assignment = an_assignment(db, org, trainer, versions)
    assignment.targets = []
    db.session.commit()
    return assignment


def name(db, assignment, people, versions) -> None:
    now = utcnow()
    for i, person in enumerate(people):
        db.session.add(AssignmentTarget(assignment_id=assignment.id, user_id=person.id))
        if i % 2 == 0:
            db.session.add(attempt_at(person, versions, "submitted", now, assignment_id=assignment.id))
    db.session.commit()


def test_a_report_naming_200_people_costs_the_same_as_naming_5(db, org, make_user, versions, client, login):
    trainer = make_user("t001", roles={"trainer"}, branch="head", name="王培训")
    assignment = named_assignment(db, org, trainer, versions)
    name(db, assignment, managers(db, org, 0, 5), versions)
    managers(db, org, 1000, 20)  # not named: not counted
    db.session.commit()
    login(trainer)
    url = f"/drills/assignments/{assignment.id}"
    client.get(url)
    small = page_queries(db, client, url)
    export_small, rows = download(db, client, f"{url}/export.xlsx")
    assert len(rows) == 1 + 5
    name(db, assignment, managers(db, org, 5, 195), versions)
    assert_same_queries(small, page_queries(db, client, url))
    export_large, rows = download(db, client, f"{url}/export.xlsx")
    assert_same_queries(export_small, export_large)
    assert len(rows) == 1 + 200
    page = client.get(url).get_data(as_text=True)
    assert "已完成 101 / 200 人" in page  # every other one of 5, then of 195


def test_who_is_assigned_reads_the_outermost_target_branches_once(db, org, make_user, versions):
    trainer = make_user("t001", roles={"trainer"}, branch="head")
    assignment = an_assignment(db, org, trainer, versions)
    assignment.targets = [
        AssignmentTarget(branch_id=org["east"].id),
        AssignmentTarget(branch_id=org["east1"].id),
    ]
    db.session.commit()
    assert report.target_paths(assignment.id) == (org["east"].path,)
    east, west = make_user("m1", branch="east1"), make_user("m2", branch="west1")
    trainer_in_east = make_user("t002", roles={"trainer"}, branch="east")  # not a manager: not assigned
    named = make_user("m3", branch="west1")
    assignment.targets.append(AssignmentTarget(user_id=named.id))
    db.session.commit()
    who = report.assignees(assignment.id, None)
    people = db.session.scalars(
        select(User.employee_no).join(Branch, Branch.id == User.branch_id).where(who.condition())
    ).all()
    assert sorted(people) == [east.employee_no, named.employee_no]
    assert west.employee_no not in people and trainer_in_east.employee_no not in people
    in_east = report.Assignees(assignment.id, org["east"].path, who.paths)
    assert db.session.scalars(
        select(User.employee_no).join(Branch, Branch.id == User.branch_id).where(in_east.condition())
    ).all() == [east.employee_no]


def test_with_more_branches_than_a_list_the_filter_is_a_code_and_the_table_those_behind(
    db, org, make_user, versions, client, login
):
    trainer = make_user("t001", roles={"trainer"}, branch="head")
    outlets = [
        Branch(code=f"X{i:03d}", name=f"网点{i:03d}", kind="outlet", parent_id=org["west"].id, path="")
        for i in range(210)
    ]
    db.session.add_all(outlets)
    db.session.flush()
    for outlet in outlets:
        outlet.path = f"{org['west'].path}{outlet.id}/"
    people = [
        User(employee_no=f"x{i:03d}", name=f"经理{i}", password_hash="-", branch_id=outlet.id)
        for i, outlet in enumerate(outlets)
    ]
    for person in people:
        person.role_rows = [UserRole(role="manager")]
    db.session.add_all(people)
    db.session.flush()
    assignment = an_assignment(db, org, trainer, versions)
    now = utcnow()
    for person in people[:190]:  # the first 190 outlets done; the last 20 are behind
        db.session.add(attempt_at(person, versions, "submitted", now, assignment_id=assignment.id))
    db.session.commit()
    login(trainer)
    url = f"/drills/assignments/{assignment.id}"
    page = client.get(url).get_data(as_text=True)
    assert 'name="branch_code"' in page and 'name="branch"' not in page  # a code field, not 213 options
    table = page.split('id="completion"')[1].split("</table>")[0]
    assert table.count("<tr>") == 1 + 20  # the header and the 20 furthest behind
    assert "网点209" in table and "网点000" not in table
    assert "完成率最低的 20 个" in page
    for code in ("X205", "x205"):  # a code, whatever its case
        found = client.get(f"{url}?branch_code={code}").get_data(as_text=True)
        assert found.count('<tr data-status="') == 1 and "<td>x205</td>" in found
        assert f"branch_code={code}" in found.split('id="export-filtered"')[1].split(">")[0]
    unknown = client.get(f"{url}?branch_code=NOPE").get_data(as_text=True)
    assert unknown.count('<tr data-status="') == 0 and "没有符合筛选条件的人员" in unknown


def test_the_branches_furthest_behind_are_listed_by_name():
    lines = [
        progress.BranchProgress(n, d, 0, 10 - d) for n, d in [("丙", 9), ("甲", 1), ("乙", 5), ("丁", 0)]
    ]
    assert [b.branch for b in progress.furthest_behind(lines, 2)] == ["丁", "甲"]
    assert progress.furthest_behind(lines, 4) == lines
    assert progress.furthest_behind([*lines, progress.BranchProgress("空", 0, 0, 0)], 1)[0].branch == "丁"
