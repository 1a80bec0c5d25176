"""Quotes in Chromium: the demo member sends an optical quote, reads the estimate, compares with a second one."""

import datetime
import io
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from mutua.demo.french import DEMO_PASSWORD, DEMO_STAFF
from mutua.documents.tests.receipts import receipt_image

pytestmark = pytest.mark.browser
QUOTE_LINES = (
    ("Monture Ray-Ban RB5154", "189,00 €"),
    ("Verres progressifs x2", "483,00 €"),
    ("Traitement antireflet", "48,00 €"),
)


def quote_picture(shop: str, lines: tuple[tuple[str, str], ...], total: str) -> dict[str, object]:
    """An optician's quote photographed flat (PNG), so that the worker's OCR has a total to propose."""
    image = receipt_image(shop=shop, when="Devis 02/11/2026", lines=lines, total=total, footer="Devis valable 3 mois")
    data = io.BytesIO()
    image.save(data, format="PNG")
    return {"name": "devis.png", "mimeType": "image/png", "buffer": data.getvalue()}


def advice_email(server, to: str) -> str:
    """The e-mail telling the member the quote was checked (other journeys may have written to them before)."""
    count = 1
    while "has checked your quote" not in (mail := server.wait_for_email(to, count)):
        count += 1
    return mail


def send_quote(
    page,
    *,
    name: str,
    provider: str,
    amount: str,
    document: dict[str, object],
    network: bool = False,
    screenshot: Path | None = None,
):
    page.goto("/portal/quotes/new/")
    page.fill("#id_name", name)
    # For Julien, Claire's spouse: glasses claimed for Claire elsewhere in the suite do not weigh on his renewal.
    page.select_option("#id_person", label="Julien Martin")
    page.select_option("#id_kind", "optical")
    page.fill("#id_provider", provider)
    page.fill("#id_planned_date", (datetime.date.today() + datetime.timedelta(days=8)).isoformat())
    page.set_input_files("#id_document", files=[document])
    page.select_option("#id_lines-0-benefit_code", "optical.equipment")
    page.fill("#id_lines-0-label", "Monture + 2 verres progressifs")
    page.fill("#id_lines-0-amount", amount)
    page.fill("#id_lines-0-br", "0.15")
    page.select_option("#id_lines-0-lens_class", "complex")
    if network:
        page.check("#id_lines-0-network")
    if screenshot:
        page.screenshot(path=screenshot, full_page=True)
    page.click("form button[type=submit].primary")


def test_send_an_optical_quote_see_the_estimate_and_compare(browser, embedded_server, screenshots_dir):
    context = browser.new_context(base_url=embedded_server.url, locale="en-GB", viewport={"width": 1000, "height": 900})
    page = context.new_page()
    page.goto("/")
    page.fill("#id_username", "MU1000001")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit].primary")
    # Claire reads French; the journey runs in English, whose strings are all in the code.
    page.select_option("#lang-select", "en")
    page.click("form.lang button[type=submit]")

    page.goto("/portal/")
    page.click("a[href='/portal/quotes/']")
    send_quote(
        page,
        name="Glasses, Optique du Centre",
        provider="Optique du Centre",
        amount="720.00",
        document=quote_picture("Optique du Centre", QUOTE_LINES, "720,00 €"),
        screenshot=screenshots_dir / "quote-new.png",
    )
    quote_url = page.url
    assert page.locator(".estimate-label").first.inner_text().lower() == "estimate"
    assert "Remains for you" in page.content() and "partner network would leave you" in page.content()
    # The worker reads the quote in the background: its total is then shown next to the lines.
    deadline = time.monotonic() + 60
    while "Total read on the quote" not in page.content() and time.monotonic() < deadline:
        time.sleep(0.5)
        page.goto(quote_url)
    assert "Total read on the quote: €720.00, as on your lines." in page.content()
    page.click("details summary")
    page.screenshot(path=screenshots_dir / "quote-estimate.png", full_page=True)

    send_quote(
        page,
        name="Glasses, network optician",
        provider="Optique Kalixia",
        amount="690.00",
        document=quote_picture("Optique Kalixia", (("Monture", "160,00 €"), ("Verres x2", "530,00 €")), "690,00 €"),
        network=True,
    )
    page.goto("/portal/quotes/")
    for box in page.locator("input[name=ids]").all()[:2]:
        box.check()
    page.click("form[action$='/compare/'] button[type=submit]")
    cheapest = page.locator("thead th.cheapest")
    # A click waits for the next page to start loading, not for its table: count once it is there.
    expect(cheapest).to_have_count(1)
    assert "Glasses, network optician" in cheapest.inner_text()
    assert "Least to pay" in cheapest.inner_text()
    page.screenshot(path=screenshots_dir / "quote-compare.png", full_page=True)

    # Claire has the first quote checked; a handler answers from the back office.
    page.goto(quote_url)
    page.fill("#id_question", "Is this price usual for progressive lenses?")
    page.click("form[action$='/check/'] button[type=submit]")
    staff = browser.new_context(base_url=embedded_server.url, locale="en-GB", viewport={"width": 1100, "height": 900})
    back = staff.new_page()
    handler = next(s for s in DEMO_STAFF if s.username == "handler")
    embedded_server.sign_in(back, handler.username)
    assert "/login/" not in back.url
    back.goto("/backoffice/quotes/review/")
    back.click("text=Glasses, Optique du Centre")
    back.fill("#id_advice", "The price is usual. A partner-network optician would leave you nothing to pay.")
    back.screenshot(path=screenshots_dir / "quote-review.png", full_page=True)
    back.click("form button[type=submit].primary")
    assert "Advice sent to the member" in back.locator(".messages").inner_text()
    assert "Your management unit has checked your quote" in advice_email(embedded_server, "claire.martin@example.org")
    page.goto(quote_url)
    assert "A partner-network optician would leave you nothing to pay." in page.content()
    staff.close()
    context.close()


def test_the_simulator_without_an_account(browser, embedded_server, screenshots_dir):
    context = browser.new_context(base_url=embedded_server.url, locale="en-GB", viewport={"width": 1000, "height": 900})
    page = context.new_page()
    page.goto("/simulator/")
    page.select_option("#id_benefit_code", "hearing.aid")
    page.fill("#id_age", "67")
    page.fill("#id_on", datetime.date.today().isoformat())
    page.fill("#id_amount", "1450.00")
    page.fill("#id_br", "400.00")
    page.select_option("#id_side", "left")
    page.click("form[novalidate] button[type=submit].primary")
    estimate = page.locator("#estimate")
    expect(estimate).to_have_count(1)
    assert "€" in estimate.inner_text()
    page.screenshot(path=screenshots_dir / "quote-simulator.png", full_page=True)
    context.close()
