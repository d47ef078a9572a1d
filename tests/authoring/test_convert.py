"""Question banks from other systems, in the browser: a GIFT (or XLSX) upload becomes a draft to check."""

import pytest

from drill.authoring import convert
from drill.authoring.models import Draft
from tests.authoring.conftest import counts, make_zip

GIFT = "::q1:: 贷前调查首先核实什么？ {=真实性 ~兴趣爱好 ~亲属收入}\n\n::q2:: 贷款发放后无需跟踪。 {F}\n"


@pytest.fixture
def gift_ready():
    if ".gift" not in convert.available():
        pytest.skip("the GIFT converter (drill.content.convert.gift) is not installed")


def test_a_gift_upload_becomes_a_draft_with_the_converters_notes_and_the_checks_problems(
    db, gift_ready, upload, as_trainer
):
    response = upload("bank.gift", GIFT.encode())
    assert response.status_code == 302
    draft = db.session.query(Draft).one()
    assert (
        (draft.kind, draft.name) == ("quiz", "bank")
        and "## q1" in draft.text
        and "- [x] 真实性" in draft.text
    )
    html = as_trainer.get(response.headers["Location"]).get_data(as_text=True)
    assert "From the converted file:" in html  # e.g. the placeholders written for title, theme, level
    assert "unknown theme" in html  # drill check then reports them at their lines


def test_a_gift_file_that_is_not_utf8_is_refused(db, gift_ready, upload):
    before = counts(db)
    html = upload("bank.gift", GIFT.encode("gbk")).get_data(as_text=True)
    assert "not UTF-8" in html and counts(db) == before


def test_the_excel_template_is_offered_where_the_xlsx_converter_is_installed(as_trainer):
    response = as_trainer.get("/authoring/template.xlsx")
    if ".xlsx" in convert.available() and convert.xlsx_template() is not None:
        assert response.status_code == 200 and response.data[:2] == b"PK"
    else:
        assert response.status_code == 404


@pytest.fixture
def xlsx_ready():
    if ".xlsx" not in convert.available() or convert.xlsx_template() is None:
        pytest.skip("the XLSX converter (drill.content.convert.xlsx) is not installed")


def test_the_excel_template_uploaded_as_it_is_becomes_a_draft(db, xlsx_ready, upload, as_trainer):
    response = upload("信贷题库.xlsx", convert.xlsx_template())
    assert response.status_code == 302, response.get_data(as_text=True)[-500:]
    draft = db.session.query(Draft).one()
    assert draft.kind == "quiz" and draft.text.startswith("---") and "类型:" in draft.text
    html = as_trainer.get(response.headers["Location"]).get_data(as_text=True)
    assert 'id="draft-check"' in html


def test_an_xlsx_that_unpacks_too_far_or_cannot_be_read_is_refused(db, xlsx_ready, upload):
    before = counts(db)
    bomb = make_zip({"xl/worksheets/sheet1.xml": b"<x/>" * (6 * 1024 * 1024)})
    assert "unpacks to" in upload("bomb.xlsx", bomb).get_data(as_text=True)
    assert "could not be converted" in upload("broken.xlsx", make_zip({"a.txt": b"x"})).get_data(as_text=True)
    assert counts(db) == before


def test_a_moodle_xml_upload_becomes_a_draft(db, upload):
    if ".xml" not in convert.available():
        pytest.skip("the Moodle XML converter (drill.content.convert.moodle_xml) is not installed")
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n  <question type="truefalse">\n'
        "    <name><text>q1</text></name>\n"
        '    <questiontext format="plain_text"><text>贷款发放后无需跟踪。</text></questiontext>\n'
        '    <answer fraction="0"><text>true</text></answer>\n'
        '    <answer fraction="100"><text>false</text></answer>\n  </question>\n</quiz>\n'
    )
    response = upload("moodle.xml", xml.encode())
    assert response.status_code == 302
    draft = db.session.query(Draft).one()
    assert draft.name == "moodle" and "## q1" in draft.text and "答案: 错" in draft.text
