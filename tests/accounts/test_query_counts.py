"""The users list, its export and a user's page run as many statements for 200 rows as for 5 (#14); the
export holds the filtered users and never a password hash."""

import io
from datetime import timedelta

from openpyxl import load_workbook

from drill.accounts.models import LoginSession, SecurityEvent, User, UserRole
from drill.database import utcnow
from tests.querycount import assert_same_queries, counted, page_queries


def people(db, org, first: int, n: int) -> None:
    """n users as plain rows (they never sign in): managers and trainers, by turns in east1 and west1,
    every fifth disabled."""
    users = [
        User(
            employee_no=f"p{first + i:05d}",
            name=f"=经理{first + i}" if i == 0 else f"经理{first + i}",
            password_hash="argon2-secret",
            branch_id=org["east1" if i % 2 else "west1"].id,
            category="personal",
            level="junior",
            active=i % 5 != 4,
        )
        for i in range(n)
    ]
    for i, user in enumerate(users):
        user.role_rows = [UserRole(role="manager")] + ([UserRole(role="trainer")] if i % 3 == 0 else [])
    db.session.add_all(users)
    db.session.commit()


def download(db, client, url):
    with counted(db) as statements:
        response = client.get(url)
    assert response.status_code == 200, url
    rows = list(load_workbook(io.BytesIO(response.get_data())).active.iter_rows(values_only=True))
    response.close()
    return statements, rows


def test_the_users_list_and_its_export_cost_the_same_for_200_users_as_for_5(
    db, org, make_user, client, login
):
    login(make_user("a001", roles={"admin"}, branch="head"))
    people(db, org, 0, 5)
    filtered = f"/users?q=p0&branch={org['east'].id}&role=manager&active=1"
    export = f"/users/export.xlsx?branch={org['east'].id}&role=trainer"
    client.get("/users")  # warm: the first page of a session may load what later ones find cached
    small = [page_queries(db, client, url) for url in ("/users", filtered)]
    small_export, rows = download(db, client, export)
    assert [row[0] for row in rows[1:]] == ["p00003"]  # east1, a trainer

    people(db, org, 5, 195)
    large = [page_queries(db, client, url) for url in ("/users", filtered)]
    for before, after in zip(small, large, strict=True):
        assert_same_queries(before, after)
    large_export, rows = download(db, client, export)
    assert_same_queries(small_export, large_export)
    assert rows[0] == ("工号", "姓名", "机构", "代码", "角色", "类别", "级别", "账号状态")
    east_trainers = ["p00003"] + [f"p{5 + i:05d}" for i in range(195) if i % 2 and i % 3 == 0]
    assert [row[0] for row in rows[1:]] == east_trainers  # every one, not a page of them
    assert all("argon2" not in str(cell) for row in rows for cell in row)
    page = client.get("/users").get_data(as_text=True)
    assert page.count("/users/") >= 50 and "'=经理0" not in page


def test_the_export_quotes_a_name_a_spreadsheet_would_run(db, org, make_user, client, login):
    login(make_user("a001", roles={"admin"}, branch="head"))
    people(db, org, 0, 2)
    _statements, rows = download(db, client, "/users/export.xlsx?q=p00000")
    assert rows[1][:3] == ("p00000", "'=经理0", "西山一网点")
    assert rows[1][4] == "客户经理、培训师"


def test_a_scoped_trainer_exports_only_the_users_of_the_scope(db, org, make_user, client, login):
    login(make_user("t001", roles={"trainer"}, branch="west", scope_branch="west"))
    people(db, org, 0, 6)
    _statements, rows = download(db, client, "/users/export.xlsx")
    assert {row[2] for row in rows[1:]} == {"西山一网点", "西山支行"}  # the trainer's own branch too
    manager = make_user("m900")
    other = client.application.test_client()
    login(manager, target=other)
    assert other.get("/users/export.xlsx").status_code == 403


def test_a_users_page_costs_the_same_with_200_sessions_and_events_as_with_5(
    db, org, make_user, client, login
):
    admin = make_user("a001", roles={"admin"}, branch="head")
    target = make_user("m100", branch="east1")

    def history(n):
        now = utcnow()
        db.session.add_all(LoginSession(user_id=target.id) for _ in range(n))
        db.session.add_all(
            SecurityEvent(
                action="end_sessions", actor_id=admin.id, user_id=target.id, at=now - timedelta(minutes=i)
            )
            for i in range(n)
        )
        db.session.commit()

    history(5)
    login(admin)
    url = f"/users/{target.id}"
    client.get(url)
    small = page_queries(db, client, url)
    history(195)
    assert_same_queries(small, page_queries(db, client, url))
