"""A claim end to end in Chromium, against the server ``make run`` starts (web + worker)."""

import datetime
import time

import pytest

from mutua.demo.french import DEMO_PASSWORD, DEMO_STAFF
from mutua.documents.tests.pdfs import blank_pdf

pytestmark = pytest.mark.browser
# The server runs on the real clock: care of last month, never time-barred whenever the suite runs.
GP_DAY = datetime.date.today() - datetime.timedelta(days=30)
GLASSES_DAY = GP_DAY + datetime.timedelta(days=3)


def upload(name: str, salt: str) -> dict[str, object]:
    return {"name": name, "mimeType": "application/pdf", "buffer": blank_pdf(salt)}


def add_item(page, claim_url: str, *, group: str, care: str, date: str, provider: str, amount: str, document, **extra):
    """The new form: the kind of care first, then its own questions (choices ticked, figures typed)."""
    page.goto(f"{claim_url}?care={group}")
    page.check(f"input[name=benefit_code][value='{care}']")
    page.fill("#id_care_date", date)
    page.fill("#id_provider", provider)
    page.fill("#id_amount", amount)
    for field, value in extra.items():
        if field in {"lens_class", "doctor_fees", "basket"}:
            page.check(f"input[name={field}][value={value}]")
        else:
            page.fill(f"#id_{field}", value)
    page.set_input_files("#id_documents", files=[document])
    page.click("form[action$='/items/'] button[type=submit]")
    assert page.locator(".messages li.success").count() == 1, page.locator("main").inner_text()[:2000]


def wait_for(page, url: str, selector: str, timeout: float = 60) -> None:
    """The worker decides in the background: reload until ``selector`` shows."""
    deadline = time.monotonic() + timeout
    while page.locator(selector).count() == 0:
        assert time.monotonic() < deadline, f"{selector} never appeared on {url}"
        time.sleep(0.5)
        page.goto(url)


def test_a_claim_with_an_automatic_item_and_a_reviewed_one(browser, embedded_server, screenshots_dir):
    member = browser.new_context(base_url=embedded_server.url, locale="fr-FR", viewport={"width": 1000, "height": 900})
    page = member.new_page()
    page.goto("/")
    page.fill("#id_username", "MU1000001")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit].primary")

    page.goto("/portal/claims/")
    page.click("a[href='/portal/claims/new/']")
    page.fill("#id_name", "Généraliste et lunettes")
    page.click("button[type=submit].primary")
    claim_url = page.url.split("?")[0].split("#")[0]
    add_item(
        page,
        claim_url,
        group="doctor",
        care="care.gp",
        date=GP_DAY.isoformat(),
        provider="Dr Martin",
        amount="30.00",
        document=upload("consultation.pdf", "gp"),
        mr="19.00",
        doctor_fees="sector_1",
    )
    add_item(
        page,
        claim_url,
        group="glasses",
        care="optical.equipment",
        date=GLASSES_DAY.isoformat(),
        provider="Optique du Centre",
        amount="420.00",
        document=upload("lunettes.pdf", "glasses"),
        br="0.15",
        mr="0.09",
        lens_class="simple",
    )
    page.screenshot(path=screenshots_dir / "claim-draft.png", full_page=True)
    page.click("a[href$='/summary/']")
    page.check("#id_terms")
    page.screenshot(path=screenshots_dir / "claim-summary.png", full_page=True)
    page.click("button[type=submit].primary")

    # The GP visit is decided at once by the worker; the glasses wait for a handler.
    wait_for(page, claim_url, "section.item-accepted")
    assert "Reste à charge" in page.content()
    assert page.locator("section.item-accepted").count() == 1
    assert page.locator("section.item-in_review").count() == 1

    staff = browser.new_context(base_url=embedded_server.url, locale="fr-FR", viewport={"width": 1100, "height": 1000})
    back = staff.new_page()
    handler = next(s for s in DEMO_STAFF if s.username == "handler")
    embedded_server.sign_in(back, handler.username)
    back.goto("/backoffice/claims/review/")
    back.locator(".queue-claim").filter(has_text="Généraliste et lunettes").locator("td a").first.click()
    back.check("input[name$='-decision'][value=correct]")  # the amount paid corrected: the rules compute again
    back.fill("input[name$='-amount']", "400.00")
    back.screenshot(path=screenshots_dir / "claim-review.png", full_page=True)
    back.click("form[action*='/decide/'] button[type=submit]")
    back.wait_for_selector("article.review-item .recorded")  # htmx swapped the item's row
    assert back.locator(".recorded").inner_text() == "Décision enregistrée."

    page.goto(claim_url)
    assert page.locator("h1 .status.ok").inner_text() == "Validée"
    assert page.locator("section.item-accepted").count() == 2
    assert "400.00" in page.content() or "400,00" in page.content()
    page.screenshot(path=screenshots_dir / "claim-validated.png", full_page=True)
    page.goto("/portal/claims/statements/")
    with page.expect_download() as download:
        page.locator("a[href$='.pdf']").first.click()
    assert download.value.suggested_filename.endswith(".pdf")
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    member.close()
    staff.close()
