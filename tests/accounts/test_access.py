import pytest

ADMIN_PAGES = ["/users/new", "/users/import", "/branches"]
TRAINER_PAGES = ["/users"]


@pytest.mark.parametrize("path", ADMIN_PAGES + TRAINER_PAGES)
def test_a_manager_cannot_open_admin_or_trainer_pages(client, make_user, login, path):
    login(make_user("m001"))
    response = client.get(path)
    assert response.status_code == 403
    assert "无权访问" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_a_trainer_cannot_open_admin_pages(client, make_user, login, path):
    login(make_user("t001", roles={"trainer"}))
    assert client.get(path).status_code == 403


def test_a_manager_cannot_read_another_manager(client, make_user, login):
    other = make_user("m002")
    login(make_user("m001"))
    assert client.get(f"/users/{other.id}").status_code == 403


def test_a_trainer_scoped_to_one_branch_sees_only_its_users(client, make_user, login):
    east = make_user("m100", name="东城经理", branch="east1")
    west = make_user("m200", name="西山经理", branch="west1")
    login(make_user("t001", roles={"trainer"}, branch="east", scope_branch="east"))
    listing = client.get("/users").get_data(as_text=True)
    assert "东城经理" in listing and "西山经理" not in listing
    assert client.get(f"/users/{east.id}").status_code == 200
    assert client.get(f"/users/{west.id}").status_code == 403
    assert "西山经理" not in client.get("/users?q=m200").get_data(as_text=True)


def test_a_scoped_admin_cannot_edit_users_outside_the_scope(client, make_user, login):
    west = make_user("m200", branch="west1")
    login(make_user("a001", roles={"admin"}, branch="east", scope_branch="east"))
    assert client.get(f"/users/{west.id}/edit").status_code == 403
    assert client.post(f"/users/{west.id}/active", data={}).status_code == 403


def test_an_unscoped_trainer_sees_the_whole_organisation(client, make_user, login):
    make_user("m100", name="东城经理", branch="east1")
    make_user("m200", name="西山经理", branch="west1")
    login(make_user("t001", roles={"trainer"}, branch="head"))
    listing = client.get("/users").get_data(as_text=True)
    assert "东城经理" in listing and "西山经理" in listing


def test_a_missing_page_is_a_404_page_in_the_users_language(client, make_user, login, db):
    user = make_user("m001", locale="en")
    login(user)
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)
    assert client.get("/users/99999").status_code in (403, 404)


def test_the_404_page_is_chinese_by_default(client):
    response = client.get("/nothing-here")
    assert response.status_code == 404
    assert "页面不存在" in response.get_data(as_text=True)
