"""« Is this a number? » means the digits 0 to 9: str.isdigit also says yes to « ² » (int() then raised, a 500,
found by the fuzzing on the company merge form) and to « ١ »."""

import pytest

from portal.text import is_digits
from tests.conftest import csrf_token


@pytest.mark.parametrize("text, expected", [("0", True), ("63430", True), ("", False), ("²", False), ("١", False),
                                            ("12a", False), (" 12", False), ("-1", False), ("1.5", False)])
def test_is_digits(text, expected):
    assert is_digits(text) is expected


@pytest.mark.parametrize("code", ["²", "١٢", "¹²³"])
def test_a_company_merge_with_an_exotic_number_is_refused_in_french(client, auth, make, code):
    auth.login(make.counsellor())
    company = make.company(name="Forge Dumas")
    url = f"/entreprises/{company.id}/fusionner"
    response = client.post(url, data={"target_id": code, "csrf_token": csrf_token(client, url)})
    assert response.status_code == 422
    assert "Forge Dumas" in response.get_data(as_text=True)
