def test_login_page_renders_in_dutch(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert 'lang="nl"' in response.get_data(as_text=True)


def test_every_page_redirects_an_anonymous_visitor_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_a_user_can_log_in(make_user, login, client):
    login(make_user("staff"))
    assert client.get("/").status_code == 200
