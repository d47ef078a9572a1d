"""Display names are NFKC-normalised; control, bidi and zero-width characters are refused with a clear
message on every path that sets a name; names mixing scripts are flagged to the admin."""

import pytest
from sqlalchemy import select

from drill.accounts.models import User
from drill.accounts.rules import names
from drill.accounts.rules.sheet import parse_users
from tests.accounts.test_admin_users import user_form
from tests.accounts.test_sheet import HEADER

RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE
ZWSP = "\u200b"  # ZERO WIDTH SPACE


@pytest.mark.parametrize("hidden", [RLO, ZWSP, "\u200d", "\u2066", "\ufeff", "\x07", "\u2028"])
def test_invisible_and_control_characters_are_refused(hidden):
    found = names.problem(names.normalise(f"张{hidden}伟"))
    assert found is not None and f"U+{ord(hidden):04X}" in found.text()


def test_ordinary_names_pass_and_full_width_letters_fold():
    for name in ("王芳", "阿卜杜拉·艾买提", "Li Wei", "O'Neil-Smith"):
        assert names.problem(names.normalise(name)) is None and not names.mixed_script(name)
    assert names.normalise(" Ｌｉ Ｗｅｉ ") == "Li Wei"


def test_a_cyrillic_letter_in_a_latin_name_is_flagged():
    assert names.mixed_script("Pаul")  # the "а" is Cyrillic
    assert names.scripts("Pаul") == {"Latin", "Cyrillic"}
    assert names.mixed_script("张Wei")


def test_the_user_form_refuses_a_right_to_left_override_and_stores_the_normalised_name(
    client, make_user, login, org, db
):
    login(make_user("a001", roles={"admin"}, branch="head"))
    refused = client.post("/users/new", data=user_form(org, name=f"李{RLO}娜"))
    assert refused.status_code == 200 and "U+202E" in refused.get_data(as_text=True)
    assert db.session.scalar(select(User).where(User.employee_no == "m500")) is None
    assert client.post("/users/new", data=user_form(org, name="Ｌｉ Ｎａ")).status_code == 302
    assert db.session.scalar(select(User.name).where(User.employee_no == "m500")) == "Li Na"


def test_the_import_sheet_refuses_a_zero_width_name_with_its_row_and_column():
    result = parse_users([HEADER, ["1001", f"王{ZWSP}芳", "E1", "评委", "", "", ""]], {"E1"}, set())
    [problem] = result.problems
    assert (problem.row, problem.column) == (2, "姓名") and "U+200B" in problem.message.text()
    good = parse_users([HEADER, ["1001", "Ｗａｎｇ Ｆａｎｇ", "E1", "评委", "", "", ""]], {"E1"}, set())
    assert good.rows[0].name == "Wang Fang"


def test_drill_user_add_refuses_a_hidden_character(runner, org, db):
    result = runner.invoke(
        args=["user", "add", "a900", "--name", f"管理{RLO}员", "--branch", "HO", "--role", "admin"],
        input="long-password\nlong-password\n",
    )
    assert result.exit_code != 0 and "U+202E" in result.output
    assert db.session.scalar(select(User).where(User.employee_no == "a900")) is None


def test_the_admin_sees_a_mixed_script_name_flagged(client, make_user, login, db):
    login(make_user("a001", roles={"admin"}, branch="head"))
    lookalike = make_user("m001", name="Pаul")
    page = client.get(f"/users/{lookalike.id}").get_data(as_text=True)
    assert 'id="mixed-script"' in page and "西里尔字母" in page
    assert "混用文字" in client.get("/users").get_data(as_text=True)
    plain = make_user("m002", name="王芳")
    assert 'id="mixed-script"' not in client.get(f"/users/{plain.id}").get_data(as_text=True)
