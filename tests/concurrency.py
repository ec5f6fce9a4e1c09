"""What the concurrent-edit tests share: a page's form values as a browser would post them back, the conflict
message of a page, and the two-person dance (one loads the form, another saves meanwhile)."""

import html
import re
from html.parser import HTMLParser


class _Inputs(HTMLParser):
    """The values a browser would post back from a page's form (inputs, selected options, text areas)."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("name"):
            if a.get("type") in ("checkbox", "radio"):
                if "checked" in a:
                    self.values[a["name"]] = a.get("value", "y")
            elif a.get("type") != "submit":
                self.values[a["name"]] = a.get("value") or ""
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and ("selected" in a or self._select not in self.values):
            self.values[self._select] = a.get("value", "")  # a browser posts the first option by default
        elif tag == "textarea":
            self._textarea = a.get("name")
            self.values[self._textarea] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data


def form_values(page: str) -> dict[str, str]:
    parser = _Inputs()
    parser.feed(page)
    return parser.values


def page_text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def conflict_message(page: str) -> str:
    """The conflict message shown on a page (portal.concurrency's one wording, « … entre-temps … »), after
    checking that the page shows it exactly once: in the error summary at the top, not again in the form."""
    summary = re.search(r'<div class="error-summary"[^>]*>(.*?)</div>', page, re.S)
    assert summary, "pas de récapitulatif des erreurs sur la page"
    found = re.findall(r"<li>([^<]*entre-temps[^<]*)</li>", summary.group(1))
    assert len(found) == 1, f"{len(found)} messages de conflit dans le récapitulatif"
    assert page.count(found[0]) == 1, "le message de conflit est affiché plus d'une fois"
    return found[0]


def edited_meanwhile(client, auth, url: str, me, other, change: dict[str, str]) -> dict[str, str]:
    """`me` loads the form at `url`, then `other` saves `change` on it; `me` is logged in again. Returns the
    values `me` loaded, now stale."""
    auth.login(me)
    stale = form_values(client.get(url).get_data(as_text=True))
    auth.logout()
    auth.login(other)
    theirs = form_values(client.get(url).get_data(as_text=True)) | change
    assert client.post(url, data=theirs).status_code == 303
    auth.logout()
    auth.login(me)
    return stale
