"""French PDF documents (attestations, conventions) with fpdf2, shared by every capability.

The text font is a Unicode TrueType font embedded in the PDF: Lato, shipped by the `font-lato` package;
failing that, DejaVu Sans when the system has it; failing both, the PDF core font Helvetica, with the few
characters outside Latin-1 replaced (’ → ', œ → oe...), so that a document is always produced.

    doc = FrenchDocument(title="Attestation d'engagement", author="Mission Locale Bassin Thiernois")
    doc.heading("Attestation d'engagement")
    doc.paragraph("La Mission Locale atteste que…")
    doc.key_values([("Numéro", "CJ-2026-00001")])
    doc.bullets(["Accueillir des jeunes en PMSMP"])
    pdf_bytes = doc.to_bytes()
"""

import os
from collections.abc import Iterable
from functools import lru_cache

from fpdf import FPDF
from fpdf.enums import XPos, YPos

FAMILY = "Texte"
_SYSTEM_FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/local/share/fonts")
_LATIN1_REPLACEMENTS = {"’": "'", "‘": "'", "“": '"', "”": '"', "«": "«", "»": "»", "œ": "oe", "Œ": "OE",
                        "…": "...", "–": "-", "—": "-", "€": "EUR", "\u202f": " ", "\u2009": " "}


@lru_cache(maxsize=1)
def font_files() -> tuple[str, str] | None:
    """(regular, bold) TTF paths of the embedded font, or None to fall back to Helvetica."""
    try:
        import font_lato  # optional: without the package, Helvetica

        regular = os.path.join(font_lato.font_directory, "Lato-Regular.ttf")
        bold = os.path.join(font_lato.font_directory, "Lato-Bold.ttf")
        if os.path.isfile(regular) and os.path.isfile(bold):
            return regular, bold
    except ImportError:
        pass
    for folder in _SYSTEM_FONT_DIRS:
        regular, bold = os.path.join(folder, "DejaVuSans.ttf"), os.path.join(folder, "DejaVuSans-Bold.ttf")
        if os.path.isfile(regular) and os.path.isfile(bold):
            return regular, bold
    return None


def latin1(text: str) -> str:
    """Text the core fonts can show: typographic characters replaced, anything else as '?'."""
    for char, replacement in _LATIN1_REPLACEMENTS.items():
        text = text.replace(char, replacement)
    return text.encode("latin-1", "replace").decode("latin-1")


class FrenchDocument(FPDF):
    """An A4 portrait document in French with a running footer (organisation, page n / total)."""

    def __init__(self, *, title: str, author: str, footer: str | None = None):
        super().__init__(orientation="portrait", unit="mm", format="A4")
        files = font_files()
        self.unicode = files is not None
        if files:
            self.add_font(FAMILY, "", files[0])
            self.add_font(FAMILY, "B", files[1])
            self.family_name = FAMILY
        else:
            self.family_name = "helvetica"
        self.footer_text = footer or author
        self.set_title(self.text(title))
        self.set_author(self.text(author))
        self.set_lang("fr-FR")
        self.set_creator("Maillage")
        self.set_margins(20, 20, 20)
        self.set_auto_page_break(True, margin=20)
        self.add_page()
        self.set_font(self.family_name, size=11)

    def text(self, value: str) -> str:  # noqa: A003 - shadows nothing we use
        return value if self.unicode else latin1(value)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font(self.family_name, size=8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 8, self.text(f"{self.footer_text} · page {self.page_no()}/{{nb}}"), align="C")
        self.set_text_color(0, 0, 0)

    def heading(self, value: str, size: int = 18) -> None:
        self.set_font(self.family_name, "B", size)
        self.multi_cell(0, size * 0.5, self.text(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(3)
        self.set_font(self.family_name, size=11)

    def subheading(self, value: str) -> None:
        self.ln(2)
        self.heading(value, size=13)

    def paragraph(self, value: str, size: int = 11, align: str = "J") -> None:
        self.set_font(self.family_name, size=size)
        for part in value.split("\n\n"):
            self.multi_cell(0, size * 0.5, self.text(part.strip()), align=align, new_x=XPos.LMARGIN,
                            new_y=YPos.NEXT)
            self.ln(2)

    def key_values(self, rows: Iterable[tuple[str, str]], label_width: float = 55) -> None:
        for label, value in rows:
            self.set_font(self.family_name, "B", 11)
            self.cell(label_width, 7, self.text(label))
            self.set_font(self.family_name, size=11)
            self.multi_cell(0, 7, self.text(value or "—"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(2)

    def bullets(self, items: Iterable[str]) -> None:
        self.set_font(self.family_name, size=11)
        for item in items:
            self.cell(6, 6, self.text("•" if self.unicode else "-"))
            self.multi_cell(0, 6, self.text(item), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(2)

    def to_bytes(self) -> bytes:
        return bytes(self.output())
