from weasyprint.urls import URLFetcher

from mutua.core.pdf import pdf_from_html


def test_pdf_rendering_refuses_any_resource_but_inline_data(monkeypatch):
    """Even if a template ever pointed at a file or a URL, the renderer would not fetch it."""
    real_fetch = URLFetcher.fetch
    outcomes = {}

    def spy(self, url, headers=None):
        try:
            response = real_fetch(self, url, headers)
        except ValueError as error:
            outcomes[url.split(":")[0]] = str(error)
            raise
        outcomes[url.split(":")[0]] = "fetched"
        return response

    monkeypatch.setattr(URLFetcher, "fetch", spy)
    html = (
        '<img src="file:///etc/hostname"><img src="https://example.org/x.png">'
        '<img src="data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22/%3E">'
    )
    assert pdf_from_html(html).startswith(b"%PDF-")
    assert outcomes["data"] == "fetched"
    assert "disallowed protocol" in outcomes["file"]
    assert "disallowed protocol" in outcomes["https"]
