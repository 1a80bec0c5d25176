"""The member's pages in Arabic read right to left: <html dir="rtl">, the header starts on the right (the
brand at the right edge, the language chooser on the left), the services read from the right, back links
point right, amounts keep their currency and Western digits, and at 375 px nothing scrolls sideways.
The screenshots go to docs/screenshots/*-ar-*.png."""

import datetime
import re

import pytest

from mutua.demo.french import DEMO_MEMBERS, DEMO_PASSWORD
from mutua.documents.tests.pdfs import blank_pdf

pytestmark = pytest.mark.browser
CLAIRE = DEMO_MEMBERS[0]
CARE_DAY = (datetime.date.today() - datetime.timedelta(days=20)).isoformat()
# Babel's "ar": Western digits, comma grouping, the euro after the amount (a right-to-left mark first).
ARABIC_AMOUNT = re.compile(r"\u200f?\d{1,3}(,\d{3})*\.\d{2}\u00a0€")
ARABIC_INDIC_DIGITS = re.compile(r"[\u0660-\u0669\u06f0-\u06f9]")
OTHER_MEMBER_PAGES = (
    "/portal/contract/",
    "/portal/claims/",
    "/portal/claims/statements/",
    "/portal/quotes/",
    "/portal/quotes/new/",
    "/portal/hospital/",
    "/portal/my-details/",
)


def click_and_wait(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def box(page, selector: str) -> dict[str, float]:
    return page.locator(selector).first.bounding_box()


def reads_right_to_left(page, width: int) -> None:
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    header, brand, chooser = box(page, ".top .wrap"), box(page, ".top .brand"), box(page, ".top .lang")
    # The header starts at its right edge (within the padding), the chooser at the other end.
    assert brand["x"] + brand["width"] > header["x"] + header["width"] - 20, (brand, header)
    assert chooser["x"] < brand["x"], (chooser, brand)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), page.url


def shot(page, screenshots_dir, name: str, width: int, *, full_page: bool = True) -> None:
    page.screenshot(path=screenshots_dir / f"{name}-ar-{width}.png", full_page=full_page)


def open_the_gp_form(page, screenshots_dir, width: int) -> str:
    """A new claim's form for a doctor's visit, in Arabic; the claim's address."""
    page.goto("/portal/claims/new/")
    page.fill("#id_name", "طبيب عام")
    click_and_wait(page, "button[type=submit].primary")
    claim_url = page.url.split("?")[0].split("#")[0]
    page.goto(f"{claim_url}?care=doctor")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    shot(page, screenshots_dir, "claim-form", width)
    return claim_url


def send_a_gp_claim(page, screenshots_dir) -> str:
    """A GP visit claimed in Arabic; the claim's page once sent."""
    claim_url = open_the_gp_form(page, screenshots_dir, 1280)
    page.check("input[name=benefit_code][value='care.gp']")
    page.fill("#id_care_date", CARE_DAY)
    page.fill("#id_provider", "Dr Martin")
    page.fill("#id_amount", "125.00")
    page.fill("#id_mr", "19.00")
    page.set_input_files(
        "#id_documents", files=[{"name": "consultation.pdf", "mimeType": "application/pdf", "buffer": blank_pdf("ar")}]
    )
    click_and_wait(page, "form[action$='/items/'] button[type=submit]")
    assert page.locator(".messages li.success").count() == 1, page.locator("main").inner_text()[:2000]
    # The back link to the claims points right, the way an Arabic reader came from.
    arrow = page.locator("a.back").first.evaluate("e => getComputedStyle(e, '::before').content")
    assert "→" in arrow and "←" not in arrow, arrow
    click_and_wait(page, "a[href$='/summary/']")
    page.check("#id_terms")
    click_and_wait(page, "button[type=submit].primary")
    page.goto(claim_url)
    return claim_url


def test_member_pages_in_arabic_read_right_to_left(browser, embedded_server, screenshots_dir):
    claim_url = ""
    for width in (1280, 375):
        context = browser.new_context(
            base_url=embedded_server.url,
            locale="ar",
            viewport={"width": width, "height": 900},
            is_mobile=width < 600,
            has_touch=width < 600,
        )
        page = context.new_page()
        try:
            page.goto("/")
            page.select_option("#lang-select", "ar")
            click_and_wait(page, ".lang button")
            reads_right_to_left(page, width)
            shot(page, screenshots_dir, "login", width)
            page.fill("#id_username", CLAIRE.member_number)
            page.fill("#id_password", DEMO_PASSWORD)
            click_and_wait(page, "button[type=submit].primary")

            reads_right_to_left(page, width)
            assert page.locator("h1").inner_text().startswith("مرحبًا")
            assert CLAIRE.member_number in page.locator("main").inner_text()
            if width == 1280:  # several cards a row: the first one is the rightmost
                first, second = box(page, ".services li:nth-child(1)"), box(page, ".services li:nth-child(2)")
                assert first["x"] > second["x"], (first, second)
            shot(page, screenshots_dir, "home", width)

            if not claim_url:
                claim_url = send_a_gp_claim(page, screenshots_dir)
            else:
                open_the_gp_form(page, screenshots_dir, width)
            page.goto(claim_url)
            reads_right_to_left(page, width)
            main = page.locator("main").inner_text()
            assert re.search(r"\u200f?125\.00\u00a0€", main), main  # the amount and its currency intact
            assert not ARABIC_INDIC_DIGITS.search(main), main
            shot(page, screenshots_dir, "claim", width)

            page.goto("/portal/my-guarantees/")
            reads_right_to_left(page, width)
            main = page.locator("main").inner_text()
            assert ARABIC_AMOUNT.search(main), main[:2000]
            shot(page, screenshots_dir, "my-guarantees", width, full_page=False)  # the whole table is 16,000 px tall

            for other in OTHER_MEMBER_PAGES:
                page.goto(other)
                reads_right_to_left(page, width)
            # A stay's dates, admission then discharge: the arrow between them points left, as Arabic reads.
            page.goto("/portal/hospital/")
            assert page.locator("main .to").first.evaluate("e => getComputedStyle(e, '::before').content") == '"←"'
        finally:
            page.goto("/portal/")
            page.select_option("#lang-select", "fr")  # the account's language, as the other journeys expect it
            page.click("form.lang button[type=submit]")
            context.close()
