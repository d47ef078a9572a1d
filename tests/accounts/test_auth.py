from sqlalchemy import select

from drill.accounts.models import LoginSession


def test_signing_in_opens_the_home_page(client, make_user):
    make_user("m001", name="王芳")
    response = client.post("/login", data={"employee_no": "m001", "password": "correct horse"})
    assert response.status_code == 302
    page = client.get("/").get_data(as_text=True)
    assert "王芳" in page and "欢迎" in page


def test_a_wrong_password_says_so_without_revealing_which_part_was_wrong(client, make_user):
    make_user("m001")
    for number, password in (("m001", "wrong"), ("nobody", "correct horse")):
        page = client.post("/login", data={"employee_no": number, "password": password})
        assert page.status_code == 200
        assert "工号或密码错误" in page.get_data(as_text=True)
    assert client.get("/").status_code == 302  # still signed out


def test_a_disabled_account_cannot_sign_in(client, make_user, db):
    user = make_user("m001")
    user.active = False
    db.session.commit()
    page = client.post("/login", data={"employee_no": "m001", "password": "correct horse"})
    assert "工号或密码错误" in page.get_data(as_text=True)


def test_signing_out_ends_the_session_on_the_server_too(app, client, make_user, login, db):
    login(make_user("m001"))
    stolen = app.test_client()
    cookie = client.get_cookie("session")
    stolen.set_cookie("session", cookie.value)
    assert stolen.get("/").status_code == 200  # a copied cookie works while the session lives

    client.post("/logout")
    assert client.get("/").status_code == 302
    assert stolen.get("/").status_code == 302  # and stops working once the user signs out
    ended = db.session.scalars(select(LoginSession)).one()
    assert ended.ended_at is not None


def test_login_redirects_only_within_the_site(client, make_user):
    make_user("m001")
    data = {"employee_no": "m001", "password": "correct horse"}
    response = client.post("/login?next=//evil.example/x", data=data)
    assert response.headers["Location"] == "/"
    client.post("/logout")
    response = client.post("/login?next=/account", data=data)
    assert response.headers["Location"] == "/account"


def test_pages_need_a_login(client):
    response = client.get("/users")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
