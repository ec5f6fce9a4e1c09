"""The prospection board (issue 16 §3): cards move by drag-and-drop or, with the keyboard, through one
« Déplacer » button that opens the stages in place (no select+button pair per card); every company of a
column is reachable with « Voir plus »."""

from contextlib import contextmanager

from playwright.sync_api import expect
from sqlalchemy import delete

from crm.employers.models import Company
from crm.employers.queries import BOARD_STEP
from portal.extensions import db
from tests import factories as make


def _columns(page) -> dict[str, str]:
    """Stage label -> column id, in the board's order."""
    return {c.locator("h2").evaluate("h => h.firstChild.textContent.trim()"): c.get_attribute("id")
            for c in page.locator(".board-column").all()}


def _focused_text(page) -> str:
    return page.evaluate("document.activeElement.textContent.trim()")


def test_a_card_moves_by_drag_and_drop_and_back_with_the_keyboard(as_role):
    page = as_role("counsellor")
    page.goto("/prospection")
    expect(page.locator(".board-card select")).to_have_count(0)
    columns = _columns(page)
    source_label, source_id = next((label, cid) for label, cid in columns.items()
                                   if page.locator(f"#{cid} .board-card").count())
    target_label, target_id = next((label, cid) for label, cid in columns.items() if cid != source_id)
    card = page.locator(f"#{source_id} .board-card").first
    name = card.get_by_role("link").first.inner_text()

    card.drag_to(page.locator(f"#{target_id} h2"))  # its heading: a long column would scroll under the card
    expect(page.locator(".flash-success")).to_have_text(f"{name} est maintenant à l'étape « {target_label} ».")
    moved = page.locator(f"#{target_id} .board-card").filter(has=page.get_by_role("link", name=name, exact=True))
    expect(moved).to_have_count(1)

    # back with the keyboard only: the card's one « Déplacer » button opens the stages in place
    moved.locator("summary").focus()
    page.keyboard.press("Enter")
    for _ in range(len(columns) + 1):
        page.keyboard.press("Tab")
        if _focused_text(page) == f"Vers « {source_label} »":
            break
    assert _focused_text(page) == f"Vers « {source_label} »"
    page.keyboard.press("Enter")
    expect(page.locator(".flash-success")).to_have_text(f"{name} est maintenant à l'étape « {source_label} ».")
    expect(page.locator(f"#{source_id} .board-card").filter(
        has=page.get_by_role("link", name=name, exact=True))).to_have_count(1)


@contextmanager
def _companies_at(server, stage: str, how_many: int):
    """`how_many` companies more at `stage`, removed afterwards (the demo data stays as it was)."""
    with server.app.app_context():
        ids = [make.company(name=f"Zz essai tableau {n:03d}", stage=stage, owner_id=None).id for n in range(how_many)]
        db.session.commit()
    try:
        yield
    finally:
        with server.app.app_context():
            db.session.execute(delete(Company).where(Company.id.in_(ids)))
            db.session.commit()


def _first_column(page) -> tuple[str, str]:
    """The board's first column: its id and its stage code."""
    page.goto("/prospection")
    column_id = next(iter(_columns(page).values()))
    return column_id, page.locator(f"#{column_id}").get_attribute("data-stage")


def test_voir_plus_shows_every_company_of_a_column(as_role, server):
    page = as_role("counsellor")
    column_id, stage = _first_column(page)
    with _companies_at(server, stage, BOARD_STEP + 5):
        page.goto("/prospection")
        column = page.locator(f"#{column_id}")
        total = int(column.locator("h2 .badge").inner_text())
        expect(column.locator(".board-card")).to_have_count(BOARD_STEP)
        more = column.get_by_role("link", name="Voir plus")
        while more.count():
            shown = column.locator(".board-card").count()
            more.click()
            expect(column.locator(".board-card")).to_have_count(min(total, shown + BOARD_STEP))
        expect(column.locator(".board-card")).to_have_count(total)
        expect(column).to_contain_text(f"Zz essai tableau {BOARD_STEP + 4:03d}")
        assert not page.console_errors, page.console_errors


def test_voir_plus_works_without_javascript(browser_page, login, server):
    page = browser_page(java_script_enabled=False)
    login(page, "counsellor")
    column_id, stage = _first_column(page)
    with _companies_at(server, stage, BOARD_STEP + 1):
        page.goto("/prospection")
        column = page.locator(f"#{column_id}")
        expect(column.locator(".board-card")).to_have_count(BOARD_STEP)
        total = int(column.locator("h2 .badge").inner_text())
        column.get_by_role("link", name="Voir plus").click()
        expect(page.locator(f"#{column_id} .board-card")).to_have_count(min(total, 2 * BOARD_STEP))
        assert f"voir-{stage}={2 * BOARD_STEP}" in page.url
