"""Every upload has a template to download: the users' sheet opens in openpyxl with the header the
importer reads and one example row, and explains its columns on a second sheet."""

import io

from openpyxl import load_workbook

from drill.accounts.rules.sheet import COLUMNS, header_map


def test_the_users_template_has_the_importers_headers_an_example_and_a_note_sheet(client, login, make_user):
    admin = make_user("A01", roles={"admin"}, branch="head")
    login(admin)
    page = client.get("/users/import").get_data(as_text=True)
    assert "/users/import/template.xlsx" in page
    response = client.get("/users/import/template.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    found, problems = header_map(header)
    assert problems == [] and set(found) == set(COLUMNS)
    assert sheet.max_row == 2 and sheet["D2"].value == "客户经理"
    assert book.sheetnames[1] == "说明" and book["说明"].max_row >= len(COLUMNS) + 1


def test_a_manager_cannot_download_the_users_template(client, login, make_user):
    login(make_user("m1"))
    assert client.get("/users/import/template.xlsx").status_code in (403, 404)
