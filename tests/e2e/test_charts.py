"""The indicators dashboard in the browser: one section at a time and short pages, every chart drawn once
with its data table beside it (the canvas is hidden from screen readers), tables sorted by column, and the
period fields following the chosen period."""

import re
import unicodedata

from playwright.sync_api import expect

SCREEN = {"width": 1280, "height": 800}
# The default view (the summary of every figure) at 1280×800: at most 3 screen heights.
MAX_DEFAULT_HEIGHT = 3 * SCREEN["height"]


def _sections(page) -> list[str]:
    return page.locator("nav[aria-label=Rubriques] a").evaluate_all("links => links.map(a => a.href)")


def _check_charts(page) -> list[str]:
    """Every chart of the page has its table with the same rows; returns the charts' ids."""
    charts = page.locator("section.report-table:has(canvas[data-chart])")
    ids = []
    for i in range(charts.count()):
        chart = charts.nth(i)
        title = chart.get_by_role("heading", level=3).inner_text().strip()
        canvas = chart.locator("canvas[data-chart]")
        expect(canvas).to_have_count(1)
        hidden = canvas.get_attribute("aria-hidden") == "true"
        described = bool(canvas.get_attribute("aria-label") or canvas.get_attribute("aria-describedby"))
        assert hidden or described, f"le graphique « {title} » n'est ni masqué aux lecteurs d'écran ni décrit"
        # Drawn by static/js/charts.js (no CSP refusal, no script error: the harness checks the console).
        box = canvas.bounding_box()
        assert box and box["width"] > 0 and box["height"] > 0, f"le graphique « {title} » n'est pas dessiné"

        table = chart.get_by_role("table", name=title)
        expect(table).to_have_count(1)
        rows = table.locator("tbody tr")
        expect(rows.first).to_be_visible()
        assert rows.count() > 0
        expect(table.locator("tbody th[scope=row]").first).to_be_visible()
        # The table holds the same labels as the chart's data.
        data_id = canvas.get_attribute("data-chart")
        expect(page.locator(f"[id='{data_id}']")).to_have_count(1)
        labels = page.locator(f"script#{data_id}").evaluate("s => JSON.parse(s.textContent).labels")
        assert rows.count() == len(labels), f"« {title} » : {rows.count()} lignes pour {len(labels)} barres"
        expect(table.locator("tbody th[scope=row]")).to_have_text([re.compile(re.escape(str(x))) for x in labels])
        ids.append(data_id)
    return ids


def test_every_chart_on_the_indicators_dashboard_has_its_table_and_is_drawn_once(as_role):
    page = as_role("counsellor", viewport=SCREEN)
    page.goto("/indicateurs")
    expect(page.get_by_role("heading", level=1)).to_have_text("Indicateurs")
    page.wait_for_load_state("load")
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= MAX_DEFAULT_HEIGHT, f"la synthèse des indicateurs mesure {height} px de haut à 1280×800"
    expect(page.locator("nav[aria-label=Rubriques] a[aria-current=page]")).to_have_text("Synthèse")

    ids = []
    for url in _sections(page):
        page.goto(url)
        page.wait_for_load_state("load")
        ids += _check_charts(page)
    assert ids, "le tableau de bord des indicateurs n'affiche aucun graphique sur les données de démonstration"
    assert len(ids) == len(set(ids)), f"un graphique est dessiné plusieurs fois : {sorted(ids)}"
    assert page.evaluate("typeof window.Chart") == "function", "Chart.js n'est pas chargé"


def test_a_column_header_sorts_its_table(as_role):
    page = as_role("counsellor", viewport=SCREEN)
    page.goto("/indicateurs?rubrique=equite")
    table = page.get_by_role("table", name="Équité territoriale : jeunes touchés par commune")
    population = table.get_by_role("columnheader", name=re.compile("^Population"))
    communes = table.locator("tbody th[scope=row]")
    expect(communes.first).to_be_visible()
    assert communes.count() > 2
    sizes = table.locator("tbody tr td:nth-of-type(2)")  # the population (the commune is the row header)

    def shown() -> list[int]:
        return [int(v) for v in sizes.evaluate_all("cells => cells.map(c => c.dataset.sort)")]

    population.get_by_role("button").click()
    expect(population).to_have_attribute("aria-sort", "ascending")
    assert shown() == sorted(shown())
    # With the keyboard: the header's button takes the focus and Enter reverses the order.
    population.get_by_role("button").focus()
    page.keyboard.press("Enter")
    expect(population).to_have_attribute("aria-sort", "descending")
    assert shown() == sorted(shown(), reverse=True)
    by_name = table.get_by_role("columnheader", name=re.compile("^Commune"))
    by_name.get_by_role("button").click()
    expect(by_name).to_have_attribute("aria-sort", "ascending")
    expect(population).not_to_have_attribute("aria-sort", re.compile(".+"))
    names = communes.all_inner_texts()
    assert names == sorted(names, key=_french_order)


def _french_order(name: str) -> str:
    """Alphabetical order as a French reader expects it: accents and case do not count."""
    return unicodedata.normalize("NFD", name.casefold()).encode("ascii", "ignore").decode()


def test_the_period_fields_follow_the_chosen_period(as_role):
    page = as_role("counsellor", viewport=SCREEN)
    page.goto("/indicateurs")
    month, quarter, start = page.get_by_label("Mois", exact=True), page.get_by_label("Trimestre"), page.get_by_label("Du")
    expect(month).to_be_hidden()
    expect(quarter).to_be_hidden()
    page.get_by_label("Période", exact=True).select_option("mois")
    expect(month).to_be_visible()
    expect(quarter).to_be_hidden()
    page.get_by_label("Période", exact=True).select_option("personnalisee")
    expect(start).to_be_visible()
    expect(month).to_be_hidden()
    expect(page.get_by_label("Année")).to_be_hidden()
