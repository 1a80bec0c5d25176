"""A handler works a claim of two waiting items in Chromium: the queue in words, one small decision per
item swapped in place by htmx (no page load), refused input back in the row with its message."""

import datetime
import os
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from mutua.demo.french import DEMO_PASSWORD, DEMO_STAFF
from mutua.documents.tests.pdfs import blank_pdf

pytestmark = pytest.mark.browser
SHOTS = Path(os.environ.get("MUTUA_SHOTS", "/tmp/shots/backoffice-review"))
MEMBER = "MU1000001"  # Claire Martin, the demo member with an account; the claim is found by its name
CARE_DAY = datetime.date.today() - datetime.timedelta(days=20)  # never time-barred, whenever the suite runs
CLAIM_NAME = "Lunettes et généraliste"
SIZES = {"1280": {"width": 1280, "height": 900}, "375": {"width": 375, "height": 800}}


def send_claim(browser, url: str) -> None:
    """The member sends, through the API, glasses (checked by a handler) and a GP visit above the
    automatic limit: both wait for a handler."""
    api = browser.new_context(base_url=url)
    token = api.request.post(
        "/api/v1/auth/token", data={"member_number": MEMBER, "password": DEMO_PASSWORD, "name": "journey"}
    ).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    claim = api.request.post("/api/v1/claims", data={"name": CLAIM_NAME}, headers=headers).json()
    salt = str(time.time())
    items = (
        {"benefit_code": "optical.equipment", "amount": "420.00", "br": "0.15", "mr": "0.09", "lens_class": "simple"}
        | {"provider": "Optique du Centre", "care_date": CARE_DAY.isoformat()},
        {"benefit_code": "care.gp", "amount": "250.00", "mr": "19.00", "doctor_fees": "sector_1"}
        | {"provider": "Dr Lambert", "care_date": (CARE_DAY + datetime.timedelta(days=2)).isoformat()},
    )
    for number, item in enumerate(items):
        document = {
            "name": f"facture-{number}.pdf",
            "mimeType": "application/pdf",
            "buffer": blank_pdf(salt + item["amount"]),
        }
        fields = {**item, "documents": document}
        added = api.request.post(f"/api/v1/claims/{claim['id']}/items", multipart=fields, headers=headers)
        assert added.status == 201, added.text()
    sent = api.request.post(f"/api/v1/claims/{claim['id']}/submit", data={"terms_accepted": True}, headers=headers)
    assert sent.ok, sent.text()
    api.close()


def handler_page(browser, server, *, locale: str, size: str):
    context = browser.new_context(base_url=server.url, locale=locale, viewport=SIZES[size])
    page = context.new_page()
    handler = next(s for s in DEMO_STAFF if s.username == "handler")
    server.sign_in(page, handler.username)
    language = locale.split("-")[0]
    if page.locator("#lang-select").input_value() != language:
        page.select_option("#lang-select", language)
        page.click("form.lang button[type=submit]")
    return context, page


def open_claim(page, timeout: float = 60) -> None:
    """The worker decides in the background: reload the queue until the claim waits there."""
    deadline = time.monotonic() + timeout
    link = page.locator(f".queue-claim h2 a:has-text('{CLAIM_NAME}')")
    while True:
        page.goto("/backoffice/claims/review/")
        if link.count():
            break
        assert time.monotonic() < deadline, "the claim never reached the review queue"
        time.sleep(0.5)
    group = page.locator(".queue-claim").filter(has_text=CLAIM_NAME)
    assert "Claire Martin" in group.inner_text()
    assert "care.gp" not in page.content() and "optical.equipment" not in page.content()
    link.click()


def test_a_handler_decides_two_items_of_a_claim_one_row_at_a_time(browser, embedded_server):
    SHOTS.mkdir(parents=True, exist_ok=True)
    send_claim(browser, embedded_server.url)
    # The pages as they are before any decision, in both languages, on a desk and on a phone.
    for locale, language in (("en-GB", "en"), ("fr-FR", "fr")):
        for size in ("375", "1280"):
            context, page = handler_page(browser, embedded_server, locale=locale, size=size)
            open_claim(page)
            page.goto("/backoffice/claims/review/")
            page.screenshot(path=SHOTS / f"queue-{language}-{size}.png", full_page=True)
            page.go_back()
            page.screenshot(path=SHOTS / f"claim-{language}-{size}.png", full_page=True)
            if (language, size) != ("fr", "1280"):
                context.close()
    # French, 1280: the page is kept, decisions swap their row only (htmx, within the page's CSP).
    # Errors of the page's scripts (htmx) and of its requests. Playwright's screenshots style the page in a
    # way its CSP refuses, and Chromium says so: those messages are not the page's own.
    console = []
    page.on("pageerror", lambda error: console.append(str(error)))
    page.on(
        "console",
        lambda message: (
            console.append(message.text)
            if message.type == "error" and not message.text.startswith("Applying inline style violates")
            else None
        ),
    )
    claim_url = page.url
    expect(page.locator("article.review-item")).to_have_count(2)
    expect(page.locator("form.decision")).to_have_count(2)
    assert "Médecin généraliste" in page.content() and "Proposé" in page.content()
    page.evaluate("window.stillTheSamePage = true")
    status_before = page.locator("#claim-status").inner_text()

    gp = page.locator("article.review-item", has_text="Médecin généraliste")
    refusal = gp.locator("select[name$='-reason']")
    expect(refusal).to_be_hidden()  # shown only when refusing
    gp.locator("input[value=reject]").check()
    expect(refusal).to_be_visible()
    refusal.select_option("missing_document")
    gp.locator("button[type=submit]").click()
    gp = page.locator("article.review-item", has_text="Médecin généraliste")
    expect(gp.locator(".recorded")).to_have_text("Décision enregistrée.")
    expect(gp.locator("form.decision")).to_have_count(0)
    assert "il manque une pièce justificative" in gp.inner_text()

    glasses = page.locator("article.review-item", has_text="Équipement optique")
    figures = glasses.locator("fieldset.figures")
    expect(figures).to_be_hidden()
    glasses.locator("input[value=correct]").check()
    expect(figures).to_be_visible()
    glasses.locator("input[name$='-amount']").fill("-5")
    # Around the browser's own check, as a script or an old browser would send it.
    glasses.locator("form.decision").evaluate("form => form.noValidate = true")
    glasses.locator("button[type=submit]").click()
    glasses = page.locator("article.review-item", has_text="Équipement optique")
    expect(glasses.locator(".figures .error")).to_have_text("Saisissez un montant supérieur à zéro.")
    assert [text for text in console if "422" not in text] == []  # the refused input's 422 is expected
    page.screenshot(path=SHOTS / "claim-fr-1280-refused-input.png", full_page=True)
    console.clear()
    glasses.locator("input[name$='-amount']").fill("400.00")
    glasses.locator("button[type=submit]").click()
    glasses = page.locator("article.review-item", has_text="Équipement optique")
    expect(glasses.locator(".recorded")).to_have_text("Décision enregistrée.")
    expect(page.locator("form.decision")).to_have_count(0)
    expect(page.locator("#claim-status")).not_to_have_text(status_before)  # swapped out of band
    assert page.evaluate("window.stillTheSamePage") is True  # no page was loaded: rows were swapped
    assert console == []
    page.screenshot(path=SHOTS / "claim-fr-1280-decided.png", full_page=True)
    page.context.close()

    context, page = handler_page(browser, embedded_server, locale="en-GB", size="375")
    page.goto(claim_url)
    expect(page.locator("article.review-item.item-accepted")).to_have_count(1)
    expect(page.locator("article.review-item.item-rejected")).to_have_count(1)
    assert "Refused: a supporting document is missing" in page.content()
    page.screenshot(path=SHOTS / "claim-en-375-decided.png", full_page=True)
    context.close()
