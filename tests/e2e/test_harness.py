"""The browser tests may be skipped only outside CI, and say why."""

import pytest

from tests.e2e import conftest


@pytest.mark.parametrize("value", ["", "false", "0"])
def test_without_a_browser_outside_ci_the_tests_are_skipped_with_the_reason(monkeypatch, value):
    monkeypatch.setenv("CI", value)
    with pytest.raises(pytest.skip.Exception) as raised:
        conftest._no_browser("Chromium est introuvable")
    assert "Tests dans le navigateur impossibles : Chromium est introuvable" in str(raised.value)
    assert "apt-get install chromium" in str(raised.value)


@pytest.mark.parametrize("value", ["true", "1", "TRUE"])
def test_without_a_browser_in_ci_the_tests_fail(monkeypatch, value):
    monkeypatch.setenv("CI", value)
    with pytest.raises(pytest.fail.Exception) as raised:
        conftest._no_browser("Chromium est introuvable")
    assert "obligatoires" in str(raised.value)


def test_chromium_is_looked_for_where_told(monkeypatch, tmp_path):
    fake = tmp_path / "chromium-maison"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    monkeypatch.setenv("MAILLAGE_CHROMIUM", str(fake))
    assert conftest.chromium_path() == str(fake)
