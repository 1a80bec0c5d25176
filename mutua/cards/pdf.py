"""The member card as a PDF: a Django template rendered by WeasyPrint, with its QR code inline."""

import segno
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from mutua.cards.selectors import MemberCard

QR_COLOUR = "#1b2733"


def qr_data_uri(text: str) -> str:
    """The QR code as an SVG ``data:`` URI, so the document fetches nothing from anywhere."""
    return segno.make(text, error="m", micro=False).svg_data_uri(dark=QR_COLOUR, border=0, scale=4)


def card_html(*, card: MemberCard, verify_url: str) -> str:
    return render_to_string("cards/card_pdf.html", {"card": card, "qr": qr_data_uri(verify_url)})


def card_pdf_render(*, card: MemberCard, verify_url: str) -> bytes:
    # Only the inline data: URIs the template embeds may be read; nothing on disk or the network.
    fetcher = URLFetcher(allowed_protocols=("data",))
    return HTML(string=card_html(card=card, verify_url=verify_url), url_fetcher=fetcher).write_pdf()
