"""NUL characters never reach the database (PostgreSQL refuses them): removed from input, 404 in paths."""


def test_nul_in_a_form_value_is_removed_not_a_500(client, csrf):
    token = csrf("/connexion")
    response = client.post("/connexion", data={"email": "personne\x00@exemple.fr", "password": "x\x00y",
                                               "csrf_token": token})
    assert response.status_code == 401
    page = response.get_data(as_text=True)
    assert "Adresse électronique ou mot de passe incorrect." in page
    assert 'value="personne@exemple.fr"' in page


def test_nul_in_a_query_is_removed(client):
    response = client.get("/referentiels/communes?q=thi%00ers")
    assert response.status_code == 200
    assert response.get_json()["results"][0]["label"].startswith("Thiers")


def test_nul_in_an_identifier_of_the_path_is_a_404(client, auth, make):
    auth.login(make.admin())
    assert client.get("/invitation/abc%00def").status_code == 404
