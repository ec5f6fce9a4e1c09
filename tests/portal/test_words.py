"""Every page a person reads says its dates in French and in Paris time: never an ISO date nor « UTC »,
never an internal code in parentheses in a heading (issue 16 §5).

The pages come from the URL map, filled with the security tests' world (one object of every kind), read as
each role who may open them; only the text a person reads is checked, not attributes (a date input holds
an ISO value by HTML's rule).
"""

import re
from html.parser import HTMLParser

import pytest

from portal.access import PUBLIC as PUBLIC_ACCESS
from portal.access import declared_access
from tests.security.world import TOKEN_LINKS, build_worlds, fill_url, login, send

ISO_DATE = re.compile(r"\b20\d\d-[01]\d-[0-3]\d\b")
CODE_IN_HEADING = re.compile(r"\(([a-z]+_[a-z_]+|qpv|zrr|cej|pacea)\)")


class _Text(HTMLParser):
    """The text nodes of a page (scripts and styles left out), and the text of its headings."""

    def __init__(self):
        super().__init__()
        self.parts, self.headings, self._skip, self._heading = [], [], 0, 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style")
        self._heading += tag in ("h1", "h2", "h3", "th", "caption", "legend", "label")

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style") and self._skip > 0
        self._heading -= tag in ("h1", "h2", "h3", "th", "caption", "legend", "label") and self._heading > 0

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)
            if self._heading:
                self.headings.append(data)


def _pages(app, role):
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static" or rule.endpoint in TOKEN_LINKS:
            continue
        if rule.rule.startswith("/api/") or rule.rule.endswith((".xlsx", ".pdf", ".json")):
            continue
        access = declared_access(app.view_functions[rule.endpoint])
        if access is PUBLIC_ACCESS or role in access:
            yield rule


def _problems(url, html):
    reader = _Text()
    reader.feed(html)
    text = " ".join(reader.parts)
    found = [f"{url} : date ISO « {m} »" for m in ISO_DATE.findall(text)]
    found += [f"{url} : « UTC »" for _ in re.findall(r"\bUTC\b", text)]
    found += [f"{url} : code « ({m}) » dans un titre" for m in CODE_IN_HEADING.findall(" ".join(reader.headings))]
    return found


@pytest.mark.parametrize("role", ["admin", "counsellor", "employer", "partner"])
def test_pages_say_dates_in_french_and_no_codes(app, role):
    a, _ = build_worlds()
    users = {"admin": None, "counsellor": a.counsellor, "employer": a.employer, "partner": a.partner_user}
    from tests import factories

    client = login(app, users[role] or factories.admin())
    problems, read = [], 0
    for rule in _pages(app, role):
        try:
            url = fill_url(rule, a)
        except AssertionError:
            continue  # an object the world has not: the security tests say which
        response = send(client, "GET", url)
        if response.status_code == 200 and response.mimetype == "text/html":
            read += 1
            problems += _problems(url, response.get_data(as_text=True))
    assert read > 10, "trop peu de pages lues : le test ne prouve rien"
    assert not problems, "\n".join(problems)


def test_the_checker_sees_what_a_person_reads():
    html = ('<h1>Suivi (check_in)</h1><input type="date" value="2026-12-04"><p>le 2026-12-04 à 14:02 UTC</p>'
            '<script>var d = "2026-01-01";</script><th>Quartier prioritaire (QPV)</th>')
    assert _problems("/x", html) == ["/x : date ISO « 2026-12-04 »", "/x : « UTC »",
                                     "/x : code « (check_in) » dans un titre"]
