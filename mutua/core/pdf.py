"""PDF documents (member card, statements…) from HTML, with WeasyPrint."""

from weasyprint import HTML
from weasyprint.urls import URLFetcher


def pdf_from_html(html: str) -> bytes:
    """Render ``html`` to PDF. Only inline ``data:`` URIs may be read: nothing on disk or the network."""
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=("data",))).write_pdf()
