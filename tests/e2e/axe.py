"""axe-core (vendored in static/vendor/axe-core/, French messages) run in a Playwright page: the audit shared
by the accessibility and the phone tests. The page must be opened with `bypass_csp=True` (axe is injected)."""

import json
import os

from portal import ROOT

AXE_DIR = os.path.join(ROOT, "static", "vendor", "axe-core")
BLOCKING = ("serious", "critical")


def axe_violations(page) -> list[dict]:
    """Inject axe-core (French messages) and return its violations on the current page."""
    page.add_script_tag(path=os.path.join(AXE_DIR, "axe.min.js"))
    with open(os.path.join(AXE_DIR, "fr.json"), encoding="utf-8") as f:
        locale = json.load(f)
    return page.evaluate("""async (locale) => {
        axe.configure({locale});
        const results = await axe.run(document, {resultTypes: ["violations"]});
        return results.violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
            nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary}))}));
    }""", locale)


def report(found: dict[str, list[dict]]) -> str:
    lines = []
    for where, violations in found.items():
        for v in violations:
            lines.append(f"\n{where} — [{v['impact']}] {v['id']} : {v['help']}\n    {v['helpUrl']}\n")
            for node in v["nodes"][:5]:
                summary = " ".join((node["summary"] or "").split())
                lines.append(f"    · {node['target']}\n      {summary[:300]}\n")
            if len(v["nodes"]) > 5:
                lines.append(f"    · … et {len(v['nodes']) - 5} autre(s) élément(s)\n")
    return "".join(lines)


def blocking(violations: list[dict]) -> list[dict]:
    return [v for v in violations if v["impact"] in BLOCKING]
