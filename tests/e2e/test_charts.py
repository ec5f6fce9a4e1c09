"""Every chart of the indicators dashboard has its data table: the canvas is hidden from screen readers,
and the same figures are in a table with a caption and rows beside it."""

import re

from playwright.sync_api import expect


def test_every_chart_on_the_indicators_dashboard_has_its_table(as_role):
    page = as_role("counsellor")
    page.goto("/indicateurs")
    expect(page.get_by_role("heading", level=1)).to_have_text("Indicateurs")
    page.wait_for_load_state("load")

    charts = page.locator("section.report-table:has(canvas[data-chart])")
    count = charts.count()
    assert count > 0, "le tableau de bord des indicateurs n'affiche aucun graphique sur les données de démonstration"
    for i in range(count):
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
        labels = page.locator(f"script#{data_id}").evaluate("s => JSON.parse(s.textContent).labels")
        assert rows.count() == len(labels), f"« {title} » : {rows.count()} lignes pour {len(labels)} barres"
        expect(table.locator("tbody th[scope=row]")).to_have_text([re.compile(re.escape(str(x))) for x in labels])
    assert page.evaluate("typeof window.Chart") == "function", "Chart.js n'est pas chargé"
