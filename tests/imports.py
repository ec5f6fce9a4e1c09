"""Going through an import's pages as a counsellor would: upload, the columns page when it comes, the report."""

import html
import io
import re

from openpyxl import Workbook

from tests.conftest import csrf_token

_SELECT = re.compile(r'<select[^>]*name="(col_\d+)"[^>]*>(.*?)</select>', re.S)
_LABEL = re.compile(r'<label class="label" for="(col_\d+)">« (.*?) »</label>')
_SELECTED = re.compile(r'<option selected value="([^"]*)"')


def xlsx_bytes(headers: list, rows: list[list], title: str = "Feuille1") -> bytes:
    """A workbook as a spreadsheet program saves it: the values keep their types (numbers, date cells)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    if headers:
        sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, page: str, content, filename: str = "fichier.xlsx"):
    """POST a file (bytes or a binary stream) on an import's upload page."""
    stream = content if hasattr(content, "read") else io.BytesIO(content)
    return client.post(page, data={"csrf_token": csrf_token(client, page), "file": (stream, filename)},
                       content_type="multipart/form-data")


def columns_page(client, url: str) -> dict[str, tuple[str, str]]:
    """The columns page: select name -> (header as shown, field selected or "")."""
    page = client.get(url).get_data(as_text=True)
    labels = {name: html.unescape(text) for name, text in _LABEL.findall(page)}
    return {name: (labels[name], (_SELECTED.search(options) or [None, ""])[1]) for name, options in _SELECT.findall(page)}


def choose_columns(client, url: str, choices: dict[str, str] | None = None):
    """Submit the columns page: `choices` by header, the other columns as proposed, an unknown one ignored."""
    choices = choices or {}
    data = {"csrf_token": csrf_token(client, url)}
    for name, (header, selected) in columns_page(client, url).items():
        data[name] = choices.get(header, selected or "ignorer")
    return client.post(url, data=data)


def start_import(client, page: str, content, filename: str = "fichier.xlsx", choices: dict[str, str] | None = None):
    """Upload, choose the columns if asked (see `choose_columns`); returns the report's URL."""
    response = upload(client, page, content, filename)
    assert response.status_code == 303, response.get_data(as_text=True)
    url = response.headers["Location"]
    if url.endswith("/colonnes"):
        response = choose_columns(client, url, choices)
        assert response.status_code == 303, response.get_data(as_text=True)
        url = response.headers["Location"]
    return url
