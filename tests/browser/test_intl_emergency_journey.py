"""Seed 000's emergency hospitalisation in Chromium, against the server ``make run`` starts: the admissions
office of a network hospital in Nairobi notifies the emergency admission of a member of the international
plan (intl-staff, USD), without the card; it gets the Guarantee of Payment at once, valid 4 days, and downloads
it. The pages are photographed at 1280 and 375 px, with the member's and the handler's emergency forms."""

import re
from datetime import date, timedelta

import pytest

from mutua.demo.french import DEMO_PASSWORD

pytestmark = pytest.mark.browser
REFERENCE = re.compile(r"GOP-\d{4}-\d{6}")  # the plan's Guarantee of Payment
MEMBER_NUMBER, HOSPITAL_USER = "MU2900001", "nairobi-admissions"
HOSPITAL = "Nairobi West Hospital"
TOTP_KEY = "9192939495969798999a9b9c9d9e9fa0a1a2a3a4"

# The household and the hospital, created through the services in the server's own database.
SETUP = f"""
from datetime import date
from mutua.accounts.models import Role
from mutua.accounts.services import member_account_create, password_set, staff_user_create
from mutua.contracts.models import ContractPlan, Employer, GroupContract, Insurer, ManagementUnit, Member
from mutua.contracts.services import member_affiliate
from mutua.providers.models import Provider
if not Member.objects.filter(member_number="{MEMBER_NUMBER}").exists():
    unit = ManagementUnit.objects.create(name="Mutua International", phone="+41 22 555 01 00",
        email="guarantees@mutua.example.org", postal_address="Rue de Lausanne 15\\n1201 Geneva")
    contract = GroupContract.objects.create(number="GC-INTL-BROWSER", employer=Employer.objects.create(name="IDO"),
        insurer=Insurer.objects.create(name="Mutua International"), management_unit=unit, start_date=date(2024, 1, 1))
    ContractPlan.objects.create(contract=contract, plan_code="intl-staff", tiers=["main"], valid_from=date(2024, 1, 1))
    member = member_affiliate(contract=contract, member_number="{MEMBER_NUMBER}", first_name="Wanjiku",
        last_name="Kamau", birth_date=date(1979, 11, 2), email="wanjiku.kamau@example.org",
        hire_date=date(2024, 3, 1), received_on=date(2024, 3, 1))
    Member.objects.filter(pk=member.pk).update(preferred_language="en")
    user = member_account_create(member=member)
    password_set(user=user, password="{DEMO_PASSWORD}")
    type(user).objects.filter(pk=user.pk).update(language="en")
    hospital = Provider.objects.create(name="{HOSPITAL}", kind=Provider.Kind.HOSPITAL, country="KE",
        city="Nairobi", phone="+254 20 600 0000", email="admissions@nairobiwest.example.org", in_network=True,
        conventionne=False, finess="")
    staff_user_create(username="{HOSPITAL_USER}", email="desk@nairobiwest.example.org", role=Role.PROVIDER,
        password="{DEMO_PASSWORD}", first_name="Otieno", totp_key="{TOTP_KEY}", provider=hospital)
"""


def _shots(page, screenshots_dir, name: str) -> None:
    """The page at 1280 px, then at 375 px (a phone), full length."""
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.evaluate("() => document.activeElement && document.activeElement.blur()")
        page.screenshot(path=screenshots_dir / f"{name}-{width}.png", full_page=True)
        scroll = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert scroll <= 1, f"{name} scrolls sideways by {scroll}px at {width}px"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_network_hospital_gets_a_guarantee_of_payment_at_once(browser, embedded_server, screenshots_dir):
    embedded_server.run_python(SETUP)
    today = date.today()
    context = browser.new_context(
        base_url=embedded_server.url, locale="en-GB", viewport={"width": 1280, "height": 900}, accept_downloads=True
    )
    page = context.new_page()
    embedded_server.sign_in(page, HOSPITAL_USER, path="/provider/login/")
    assert page.url == f"{embedded_server.url}/provider/", page.locator("main").inner_text()

    page.click("a[href='/provider/guarantees/emergency/']")
    assert "guarantee of payment valid for the first 4 days" in page.locator("main").inner_text()
    page.fill("#id_member_number", MEMBER_NUMBER)
    page.fill("#id_last_name", "KAMAU")
    page.fill("#id_birth_date", "1979-11-02")
    page.select_option("#id_stay_kind", "medical")
    page.fill("#id_admission_date", today.isoformat())
    page.check("input[name=card_shown][value=no]")
    _shots(page, screenshots_dir, "intl-emergency-hospital-form")
    with page.expect_navigation():
        page.click("form button[type=submit].primary")

    assert re.search(r"/provider/guarantees/\d+/$", page.url), page.locator("main").inner_text()
    main = page.locator("main").inner_text()
    reference = REFERENCE.search(page.locator("h1").inner_text()).group()
    assert "Guarantee of payment" in main and "Issued" in main, main
    valid = f"{today:%d/%m/%Y} to {today + timedelta(days=3):%d/%m/%Y}"
    assert valid in main, main
    assert "Assurance Maladie" not in main and "€" not in main
    _shots(page, screenshots_dir, "intl-emergency-hospital-issued")
    with page.expect_download() as download_info:
        page.click("a[href$='/pdf/']")
    download = download_info.value
    assert download.suggested_filename == f"{reference}.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    context.close()

    # The member's own form, on a phone: the plan's 2 and 4 days.
    member = browser.new_context(base_url=embedded_server.url, locale="en-GB", viewport={"width": 375, "height": 800})
    page = member.new_page()
    page.goto("/")
    page.fill("#id_username", MEMBER_NUMBER)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit].primary")
    page.goto("/portal/hospital/emergency/")
    assert "guarantees the first 2 days" in page.locator("main").inner_text()
    _shots(page, screenshots_dir, "intl-emergency-member-form")
    member.close()

    # A handler keys in a telephone call.
    office = browser.new_context(base_url=embedded_server.url, locale="en-GB", viewport={"width": 1280, "height": 900})
    page = office.new_page()
    embedded_server.sign_in(page, "handler")
    page.goto("/backoffice/guarantees/emergency/")
    assert page.locator("#id_member_number").count() == 1, page.locator("main").inner_text()
    _shots(page, screenshots_dir, "intl-emergency-phone-form")
    office.close()
