"""Screenshots of the main pages of each role (issue 16 §7): `make screenshots`.

Builds a scratch SQLite database in a temporary folder (migrated, reference data, demo data), serves the
application with werkzeug on a free port of 127.0.0.1, signs in as each demo account through the login
form with the system Chromium (Playwright), and saves full-page PNGs into docs/screens/, named
`<role>-<page>-<ordinateur|telephone>.png` (a long page stops after four screen heights). Needs Chromium (`apt-get install chromium`, or
MAILLAGE_CHROMIUM naming another executable).
"""

import argparse
import logging
import os
import sys
import tempfile
from contextlib import contextmanager

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from PIL import Image  # noqa: E402  (required by fpdf2)
from sqlalchemy import func, select  # noqa: E402

from crm.matching.models import Positioning  # noqa: E402
from portal import demo  # noqa: E402
from portal.extensions import db  # noqa: E402
from tests.e2e.conftest import CHROMIUM_ARGS, chromium_path  # noqa: E402
from tests.e2e.databases import make_app, prepare, serve  # noqa: E402

# The script builds its own database, so the demo password is ours to choose (never the caller's).
PASSWORD = "Maillage-demo-2026"
SIZES = {"ordinateur": {"width": 1280, "height": 800}, "telephone": {"width": 375, "height": 812}}
BOTH = tuple(SIZES)
SCREENS_PER_IMAGE = 4  # a 20,000-pixel indicators page helps nobody in a README
DESKTOP_ONLY = ("ordinateur",)
ACCOUNTS = {role: email for email, role, _name in demo.DEMO_ACCOUNTS}
# (file prefix, role or None for the public, path, sizes); `{offer_id}`: the demo offer with most candidates.
# About twenty images: every home at both sizes, the other pages at desktop size, the employer's and the
# partner's main pages (used on the phone) at both.
PAGES = (
    ("public-accueil", None, "/", BOTH),
    ("public-charte-signataires", None, "/charte/signataires", DESKTOP_ONLY),
    ("conseiller-accueil", "counsellor", "/", BOTH),
    ("conseiller-entreprises", "counsellor", "/entreprises", DESKTOP_ONLY),
    ("conseiller-offre-candidats", "counsellor", "/offres/{offer_id}/candidats", DESKTOP_ONLY),
    ("employeur-accueil", "employer", "/", BOTH),
    ("employeur-mes-offres", "employer", "/mes-offres", BOTH),
    ("employeur-charte", "employer", "/charte/mon-engagement", DESKTOP_ONLY),
    ("partenaire-accueil", "partner", "/", BOTH),
    ("partenaire-annuaire", "partner", "/annuaire", BOTH),
    ("admin-accueil", "admin", "/", BOTH),
    ("admin-indicateurs", "admin", "/indicateurs", DESKTOP_ONLY),
    ("admin-donnees-personnelles", "admin", "/donnees-personnelles/", DESKTOP_ONLY),
)


@contextmanager
def demo_server(folder: str):
    """The application on a demo database in `folder`, served on a free port of 127.0.0.1."""
    app = make_app("sqlite:///" + os.path.join(folder, "demo.db"), DEMO_PASSWORD=PASSWORD,
                   UPLOAD_FOLDER=os.path.join(folder, "uploads"))
    prepare(app, demo=True)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    with serve(app, "maillage-screenshots") as url:
        yield app, url


def busiest_offer_id(app) -> int:
    with app.app_context():
        return db.session.execute(select(Positioning.offer_id).group_by(Positioning.offer_id)
                                  .order_by(func.count().desc(), Positioning.offer_id).limit(1)).scalar_one()


def signed_in_state(browser, url: str, role: str) -> dict:
    """The cookies of a session opened through the login form."""
    context = browser.new_context(base_url=url, locale="fr-FR")
    page = context.new_page()
    page.goto("/connexion")
    page.get_by_label("Adresse électronique").fill(ACCOUNTS[role])
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(lambda address: not address.rstrip("/").endswith("/connexion"))
    state = context.storage_state()
    context.close()
    return state


def capture(browser, url: str, states: dict, prefix: str, role: str | None, path: str, size: str,
            out: str) -> str:
    context = browser.new_context(base_url=url, locale="fr-FR", timezone_id="Europe/Paris",
                                  viewport=SIZES[size], storage_state=states.get(role))
    try:
        page = context.new_page()
        response = page.goto(path, wait_until="networkidle")
        if response is None or response.status != 200 or "/connexion" in page.url:
            raise SystemExit(f"{path} ({role or 'public'}) : réponse {response and response.status}, "
                             f"page {page.url}")
        name = f"{prefix}-{size}.png"
        viewport = SIZES[size]
        height = min(page.evaluate("document.documentElement.scrollHeight"), SCREENS_PER_IMAGE * viewport["height"])
        target = os.path.join(out, name)
        page.screenshot(path=target, full_page=True, animations="disabled",
                        clip={"x": 0, "y": 0, "width": viewport["width"], "height": height})
        shrink(target)
        return name
    finally:
        context.close()


def shrink(path: str) -> None:
    """256 colours without dithering: text and flat colours stay sharp, the file is 2 to 3 times smaller."""
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    small.save(path, optimize=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(ROOT, "docs", "screens"))
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    if executable is None:
        raise SystemExit("Chromium est introuvable : installez-le (apt-get install chromium) "
                         "ou indiquez son exécutable dans MAILLAGE_CHROMIUM.")
    os.makedirs(args.out, exist_ok=True)
    for old in os.listdir(args.out):
        if old.endswith(".png"):
            os.remove(os.path.join(args.out, old))
    with tempfile.TemporaryDirectory(prefix="maillage-screenshots-") as folder, demo_server(folder) as (app, url), \
            sync_playwright() as playwright:
        offer_id = busiest_offer_id(app)
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            states = {role: signed_in_state(browser, url, role) for role in ACCOUNTS}
            for prefix, role, path, sizes in PAGES:
                for size in sizes:
                    name = capture(browser, url, states, prefix, role, path.format(offer_id=offer_id), size,
                                   args.out)
                    print(os.path.relpath(os.path.join(args.out, name), ROOT))
        finally:
            browser.close()


if __name__ == "__main__":
    main()
