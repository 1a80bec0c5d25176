"""An international staff member in Nairobi claims a consultation paid in Kenyan shillings: the ECB does
not quote the shilling, so a handler enters the rate of the day; the member then reads the amount in US
dollars with the rate on the claim's page. Against the server ``make run`` starts (web + worker)."""

import datetime
import time

import pytest

from mutua.demo.french import DEMO_STAFF
from mutua.documents.tests.pdfs import blank_pdf
from tests.browser.conftest import language

pytestmark = pytest.mark.browser
CARE_DAY = datetime.date.today() - datetime.timedelta(days=20)  # the real clock: never time-barred
MEMBER = "MU7000001"
MEMBER_PASSWORD = "Correct-horse-battery-42"  # mutua.accounts.tests.factories.PASSWORD
WIDTHS = (1280, 375)

CREATE_MEMBER = f"""
from datetime import date
from mutua.accounts.tests.factories import MemberUserFactory
from mutua.contracts.models import ContractPlan
from mutua.contracts.tests.factories import BeneficiaryFactory
user = MemberUserFactory(
    member__member_number="{MEMBER}", member__first_name="Amina", member__last_name="Otieno",
    member__duty_station="KE", member__cover_start=date(2024, 1, 1), member__iban="FR1420041010050500013M02606",
)
ContractPlan.objects.filter(contract=user.member.contract).update(plan_code="intl-staff", tiers=["main"])
BeneficiaryFactory(member=user.member, first_name="Baraka", birth_date=date(2016, 4, 2))
"""


def wait_for(page, url: str, selector: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while page.locator(selector).count() == 0:
        assert time.monotonic() < deadline, f"{selector} never appeared on {url}"
        time.sleep(0.5)
        page.goto(url)


def shots(page, url: str, name: str, screenshots_dir, *, languages=("en", "fr")) -> None:
    """The page at both widths, in each language; English again after."""
    for code in languages:
        page.goto(url)
        language(page, code)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(url)
            page.screenshot(path=screenshots_dir / f"{name}-{code}-{width}.png", full_page=True)
    language(page, "en")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_consultation_paid_in_kenyan_shillings_is_reimbursed_in_dollars_with_the_rate(
    browser, embedded_server, screenshots_dir
):
    embedded_server.run_python(CREATE_MEMBER)
    member = browser.new_context(base_url=embedded_server.url, locale="en-GB", viewport={"width": 1280, "height": 900})
    page = member.new_page()
    page.goto("/")
    page.fill("#id_username", MEMBER)
    page.fill("#id_password", MEMBER_PASSWORD)
    page.click("button[type=submit].primary")
    language(page, "en")

    page.goto("/portal/claims/new/")
    page.fill("#id_name", "Nairobi consultation")
    page.click("button[type=submit].primary")
    claim_url = page.url.split("?")[0].split("#")[0]
    shots(page, f"{claim_url}?care=section-outpatient", "intl-claim-form", screenshots_dir)
    page.goto(f"{claim_url}?care=section-outpatient")
    page.check("input[name=benefit_code][value='intl.consultation']")
    # The plan's and the duty station's currencies come first: US dollar, then Kenyan shilling.
    options = page.locator("#id_currency option").all_inner_texts()
    assert options[:2] == ["USD — US Dollar", "KES — Kenyan Shilling"], options[:3]
    assert page.locator("#id_currency").input_value() == "USD"
    assert "the original detailed receipts" in page.locator("main").inner_text()  # the plan's documents
    page.fill("#id_care_date", CARE_DAY.isoformat())
    page.fill("#id_provider", "Nairobi Hospital")
    page.fill("#id_amount", "6500.00")
    page.select_option("#id_currency", "KES")
    if page.locator("#id_care_country").count():
        page.select_option("#id_care_country", "KE")
    page.set_input_files(
        "#id_documents", files=[{"name": "receipt.pdf", "mimeType": "application/pdf", "buffer": blank_pdf("kes")}]
    )
    page.click("form[action$='/items/'] button[type=submit]")
    assert page.locator(".messages li.success").count() == 1, page.locator("main").inner_text()[:2000]
    assert "KES" in page.locator("main").inner_text()
    shots(page, claim_url, "intl-claim-draft", screenshots_dir)
    page.goto(claim_url.rstrip("/") + "/summary/")
    page.check("#id_terms")
    page.click("button[type=submit].primary")
    # The shilling has no ECB rate: the line waits for a handler, it is not refused.
    wait_for(page, claim_url, "section.item-in_review")

    staff = browser.new_context(base_url=embedded_server.url, locale="en-GB", viewport={"width": 1280, "height": 1000})
    back = staff.new_page()
    handler = next(s for s in DEMO_STAFF if s.username == "handler")
    embedded_server.sign_in(back, handler.username)
    back.goto("/backoffice/claims/review/")
    back.locator(".queue-claim").filter(has_text="Nairobi consultation").locator("td a").first.click()
    assert "no exchange rate known for KES: a handler converts it" in back.locator("main").inner_text()
    back.check("input[name$='-decision'][value=accept]")
    back.fill("input[name$='-rate']", "0.0077419")
    back.fill("input[name$='-rate_source']", "Central Bank of Kenya")
    back.screenshot(path=screenshots_dir / "intl-claim-review-en-1280.png", full_page=True)
    back.click("form[action*='/decide/'] button[type=submit]")
    back.wait_for_selector("article.review-item .recorded")

    page.goto(claim_url)
    wait_for(page, claim_url, "section.item-accepted")
    shown = page.locator("section.item-accepted .conversion").inner_text()
    day = CARE_DAY.strftime("%-d %B %Y")
    assert shown.startswith(f"Paid KES6,500.00 = US$50.32 at 1 KES = 0.007742 USD on {day}"), shown
    assert "Central Bank of Kenya" in shown
    assert "Doctor's consultation" in page.locator("main").inner_text()
    shots(page, claim_url, "intl-claim-validated", screenshots_dir)
    shots(page, page.url.split("/portal/")[0] + "/portal/my-guarantees/", "intl-my-guarantees", screenshots_dir)
    member.close()
    staff.close()
