import io

from openpyxl import Workbook
from sqlalchemy import func, select

from drill.accounts.models import User
from drill.accounts.rules.sheet import parse_users, read_table

HEADER = ["工号", "姓名", "机构", "角色", "类别", "级别", "初始密码"]


def problems_of(rows, branches=frozenset({"E1"}), existing=frozenset()):
    result = parse_users([HEADER, *rows], set(branches), set(existing))
    return [(p.row, p.column, str(p.message)) for p in result.problems], result


def test_a_good_sheet_yields_users_with_resolved_vocabulary():
    problems, result = problems_of([["1001", "王芳", "E1", "客户经理、评委", "企业类", "中级", ""]])
    assert problems == []
    row = result.rows[0]
    assert row.roles == {"manager", "judge"} and row.category == "corporate" and row.level == "intermediate"
    assert row.password is None


def test_every_bad_row_is_reported_with_its_row_and_column():
    problems, _ = problems_of(
        [
            ["1001", "王芳", "E9", "客户经理", "企业类", "中级", ""],
            ["1002", "", "E1", "厨师", "企业类", "中级", ""],
            ["1001", "张伟", "E1", "客户经理", "企业类", "特级", "short"],
        ]
    )
    assert (2, "机构", "no branch with code “E9”") in problems
    assert (3, "姓名", "name is empty") in problems
    assert any(row == 3 and column == "角色" and "厨师" in text for row, column, text in problems)
    assert any(row == 4 and column == "级别" and "特级" in text for row, column, text in problems)
    assert any(row == 4 and column == "初始密码" for row, column, _ in problems)


def test_duplicates_within_the_sheet_and_against_the_database_are_reported():
    problems, _ = problems_of(
        [["1001", "王芳", "E1", "评委", "", "", ""], ["1001", "王芳", "E1", "评委", "", "", ""]],
        existing={"2002"},
    )
    assert (3, "工号", "employee number 1001 repeats row 2") in problems
    problems, _ = problems_of([["2002", "王芳", "E1", "评委", "", "", ""]], existing={"2002"})
    assert problems == [(2, "工号", "employee number 2002 already has an account")]


def test_missing_and_unknown_columns_are_reported():
    result = parse_users([["工号", "姓名", "部门"], ["1", "x", "y"]], {"E1"}, set())
    messages = [str(p.message) for p in result.problems]
    assert "unknown column “部门”" in messages
    assert "missing column “机构”" in messages and "missing column “角色”" in messages


def test_english_headers_and_gbk_csv_are_read():
    text = "employee_no,name,branch,roles\n3003,赵敏,E1,trainer\n"
    table = read_table("users.csv", text.encode("gb18030"))
    assert table[1] == ["3003", "赵敏", "E1", "trainer"]
    assert parse_users(table, {"E1"}, set()).problems == []


def xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_xlsx_numbers_come_back_as_employee_numbers():
    table = read_table("u.xlsx", xlsx([HEADER, [1001, "王芳", "E1", "评委", None, None, None]]))
    assert table[1][0] == "1001"


def upload(client, name, data):
    return client.post(
        "/users/import", data={"sheet": (io.BytesIO(data), name)}, content_type="multipart/form-data"
    )


def count_users(db):
    return db.session.scalar(select(func.count()).select_from(User))


def test_an_admin_imports_a_sheet_and_sees_generated_passwords(client, make_user, login, db):
    login(make_user("a001", roles={"admin"}, branch="head"))
    data = xlsx(
        [
            HEADER,
            [1001, "王芳", "E1", "客户经理", "个人类", "初级", None],
            [1002, "张伟", "W1", "评委", None, None, "pass-word-1"],
        ]
    )
    page = upload(client, "people.xlsx", data).get_data(as_text=True)
    assert "已导入 2 名用户" in page
    assert count_users(db) == 3
    assert "（表格中提供）" in page  # the given password is not echoed back


def test_a_sheet_with_one_bad_row_imports_nothing(client, make_user, login, db):
    login(make_user("a001", roles={"admin"}, branch="head"))
    csv_text = (
        "工号,姓名,机构,角色,类别,级别\n"
        "1001,王芳,E1,客户经理,个人类,初级\n"
        "1002,张伟,NOPE,客户经理,个人类,初级\n"
    )
    page = upload(client, "people.csv", csv_text.encode()).get_data(as_text=True)
    assert "未导入任何数据" in page and "没有代码为“NOPE”的机构" in page
    assert count_users(db) == 1


def test_a_file_that_is_not_a_sheet_is_refused_with_a_reason(client, make_user, login, db):
    login(make_user("a001", roles={"admin"}, branch="head"))
    page = upload(client, "people.xlsx", b"not a zip at all").get_data(as_text=True)
    assert "不是可读取的 XLSX 工作簿" in page
    assert count_users(db) == 1
