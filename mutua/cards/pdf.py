"""The member card as a PDF: a Django template rendered by WeasyPrint, with its QR code inline."""

import segno
from django.template.loader import render_to_string

from mutua.cards.selectors import MemberCard
from mutua.core.pdf import pdf_from_html

QR_COLOUR = "#1b2733"


def qr_data_uri(text: str) -> str:
    """The QR code as an SVG ``data:`` URI, so the document fetches nothing from anywhere."""
    return segno.make(text, error="m", micro=False).svg_data_uri(dark=QR_COLOUR, border=0, scale=4)


def card_html(*, card: MemberCard, verify_url: str) -> str:
    return render_to_string("cards/card_pdf.html", {"card": card, "qr": qr_data_uri(verify_url)})


def card_pdf_render(*, card: MemberCard, verify_url: str) -> bytes:
    return pdf_from_html(card_html(card=card, verify_url=verify_url))
