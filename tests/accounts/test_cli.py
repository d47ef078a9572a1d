from sqlalchemy import func, select

from drill.accounts.models import Branch, User


def count(db, model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_user_add_creates_a_user(runner, org, db):
    result = runner.invoke(
        args=[
            "user",
            "add",
            "9001",
            "--name",
            "陈静",
            "--branch",
            "E1",
            "--role",
            "客户经理",
            "--role",
            "judge",
            "--category",
            "综合类",
            "--level",
            "senior",
            "--password",
            "long-enough",
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.employee_no == "9001"))
    assert user.roles == {"manager", "judge"} and user.category == "comprehensive"
    assert user.check_password("long-enough")


def test_user_add_names_the_bad_option(runner, org, db):
    result = runner.invoke(
        args=[
            "user",
            "add",
            "9001",
            "--name",
            "x",
            "--branch",
            "NOPE",
            "--role",
            "manager",
            "--password",
            "long-enough",
        ]
    )
    assert result.exit_code == 2 and "--branch" in result.output
    assert count(db, User) == 0


def test_demo_seeds_the_organisation_and_prints_logins(runner, db):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "admin" in result.output and "drill-demo" in result.output
    assert count(db, Branch, Branch.kind == "branch") == 3
    assert count(db, Branch, Branch.kind == "outlet") == 6
    users = list(db.session.scalars(select(User)))
    managers = [u for u in users if "manager" in u.roles]
    assert len(managers) == 30
    assert {u.category for u in managers} == {"personal", "corporate", "comprehensive", "tobacco"}
    assert {u.level for u in managers} == {"junior", "intermediate", "senior"}
    assert len({u.branch_id for u in managers}) == 6
    assert sum("trainer" in u.roles for u in users) == 2
    assert sum("judge" in u.roles for u in users) == 3
    assert sum("admin" in u.roles for u in users) == 2  # admin2 proposes level changes, admin approves


def test_demo_refuses_a_database_with_real_users(runner, make_user, db):
    make_user("real1")
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 1 and "--force" in result.output
    assert count(db, User) == 1
    assert runner.invoke(args=["demo", "--if-empty"]).exit_code == 0
    assert count(db, User) == 1
    assert runner.invoke(args=["demo", "--force"]).exit_code == 0
    assert count(db, User) == 38
