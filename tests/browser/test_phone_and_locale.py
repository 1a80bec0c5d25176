"""Everyday details in Chromium: the language picked before login is kept, English pages write dates day
first and amounts with the euro in front, date fields come pre-filled in French, and at 375 px (a phone) no
page of the member's contract or hospital stays scrolls sideways."""

import re
from datetime import date

import pytest

from mutua.demo.french import DEMO_MEMBERS, DEMO_PASSWORD

pytestmark = pytest.mark.browser
PHONE = {"width": 375, "height": 740}
CLAIRE = DEMO_MEMBERS[0]


def click_and_wait(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def fits_the_screen(page, width: int) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= width, f"{page.url} is {overflow}px wide on a {width}px screen"


def test_on_a_phone_the_language_chosen_before_login_is_kept_and_nothing_scrolls_sideways(browser, embedded_server):
    context = browser.new_context(base_url=embedded_server.url, locale="fr-FR", viewport=PHONE)
    page = context.new_page()
    page.goto("/")
    fits_the_screen(page, 375)
    # The favicon is linked and served.
    icon = page.locator("link[rel=icon]").get_attribute("href")
    assert page.request.get(icon).headers["content-type"].startswith("image/svg+xml")

    page.select_option("#lang-select", "en")
    click_and_wait(page, ".lang button")
    page.fill("#id_username", CLAIRE.member_number)
    page.fill("#id_password", DEMO_PASSWORD)
    click_and_wait(page, "button[type=submit].primary")
    assert page.url.endswith("/portal/")
    assert page.locator("html").get_attribute("lang") == "en"

    page.goto("/portal/contract/")
    assert page.locator("h1").inner_text() == "My contract"
    fits_the_screen(page, 375)
    # Day first in English (12 March 1984), never the American 03/12/1984.
    assert CLAIRE.birth_date.strftime("%d/%m/%Y") in page.locator("main").inner_text()
    # Each beneficiary is a card: the column's name is written above each value.
    expect_label = page.locator("table.stack td[data-label='Date of birth']").first
    assert expect_label.evaluate("e => getComputedStyle(e, '::before').content") == '"Date of birth"'

    page.goto("/portal/hospital/")
    fits_the_screen(page, 375)
    click_and_wait(page, "main table a[href^='/portal/hospital/']")
    fits_the_screen(page, 375)
    covered = page.locator("main").inner_text()
    assert re.search(r"€\d{1,3}(,\d{3})*\.\d{2}", covered), covered  # €1,694.39
    assert not re.search(r"\d \u20ac|p\.m\.", covered), covered

    page.goto("/portal/contract/contact-details/")
    fits_the_screen(page, 375)
    page.fill("#id_phone", "12345")
    click_and_wait(page, "form button[type=submit].primary")
    assert "not a phone number we can call" in page.locator("main").inner_text()

    # Back to French: the same pages, French amounts.
    page.select_option("#lang-select", "fr")
    click_and_wait(page, ".lang button")
    page.goto("/portal/hospital/")
    click_and_wait(page, "main table a[href^='/portal/hospital/']")
    fits_the_screen(page, 375)
    assert re.search(r"\d{1,3}(\u202f\d{3})*,\d{2}\u00a0€", page.locator("main").inner_text())
    page.goto("/portal/contract/")
    assert page.locator("h1").inner_text() == "Mon contrat"
    fits_the_screen(page, 375)
    context.close()


def test_a_date_field_comes_pre_filled_in_french(browser, embedded_server):
    context = browser.new_context(base_url=embedded_server.url, locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    embedded_server.sign_in(page, "finance")
    page.goto("/backoffice/payments/runs/")
    assert page.locator("html").get_attribute("lang") == "fr"
    # The browser drops a value it cannot read ("07/12/2026"): the field must hold today's date.
    assert page.locator("#id_execution_date").input_value() == date.today().isoformat()
    context.close()
