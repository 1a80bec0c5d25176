"""An international staff member stationed in Nairobi claims care given in the United States: the form says
beforehand, in words, on which conditions North America is covered and links the medical advisor's prior
approval; the member asks it with a medical report, the medical advisor reads the report and approves for
dates, a care and a country; the member reads the answer. Against the server ``make run`` starts."""

import pytest

from mutua.demo.french import DEMO_STAFF
from mutua.documents.tests.pdfs import blank_pdf
from tests.browser.conftest import language

pytestmark = pytest.mark.browser
MEMBER = "MU7000002"
MEMBER_PASSWORD = "Correct-horse-battery-42"  # mutua.accounts.tests.factories.PASSWORD
WIDTHS = (1280, 375)

CREATE_MEMBER = f"""
from datetime import date
from mutua.accounts.tests.factories import MemberUserFactory
from mutua.contracts.models import ContractPlan
user = MemberUserFactory(
    member__member_number="{MEMBER}", member__first_name="Joseph", member__last_name="Mwangi",
    member__duty_station="KE", member__cover_start=date(2024, 1, 1),
    member__contract__number="GC-ZONE-JOURNEY",  # the factory's GC-00000 is taken by the journeys before it
)
ContractPlan.objects.filter(contract=user.member.contract).update(plan_code="intl-staff", tiers=["main"])
"""


def test_care_in_the_united_states_says_its_conditions_and_the_medical_advisor_approves_it(
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
    page.fill("#id_name", "New York")
    page.click("button[type=submit].primary")
    form_url = page.url.split("?")[0].split("#")[0] + "?care=section-outpatient"
    page.goto(form_url)
    assert page.locator("#id_care_country").input_value() == "KE"  # the duty station, preselected
    assert page.locator("fieldset.zone").is_hidden()  # Kenya: no condition to tell
    page.select_option("#id_care_country", "US")
    zone = page.locator("fieldset.zone")
    assert zone.is_visible()
    said = zone.inner_text()
    assert "In North America, your plan covers care only when:" in said
    assert "Singapore" not in said  # only the chosen country's zone
    assert "your duty station is in North America" in said
    for code in ("en", "fr"):
        language(page, code)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(form_url)
            page.select_option("#id_care_country", "US")
            page.screenshot(path=screenshots_dir / f"zone-claim-form-{code}-{width}.png", full_page=True)
    language(page, "en")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(form_url)
    page.select_option("#id_care_country", "US")
    page.click("fieldset.zone a[href*='prior-approvals']")
    assert page.locator("#id_country").input_value() == "US"
    page.select_option("#id_section", "inpatient")
    page.fill("#id_care_details", "Knee arthroscopy")
    page.fill("#id_facility", "Hospital for Special Surgery, New York")
    page.fill("#id_planned_from", "2027-01-18")
    page.fill("#id_planned_to", "2027-01-20")
    page.check("input[name=reason][value=no_treatment_elsewhere]")
    page.set_input_files(
        "#id_medical_report", files=[{"name": "report.pdf", "mimeType": "application/pdf", "buffer": blank_pdf("mri")}]
    )
    page.click("form button[type=submit].primary")
    assert "Waiting for the medical advisor" in page.locator("main").inner_text()
    approval_url = page.url
    for code in ("en", "fr"):
        language(page, code)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(approval_url)
            page.screenshot(path=screenshots_dir / f"zone-approval-{code}-{width}.png", full_page=True)
    language(page, "en")

    staff = browser.new_context(base_url=embedded_server.url, locale="en-GB", viewport={"width": 1280, "height": 1000})
    back = staff.new_page()
    advisor = next(s for s in DEMO_STAFF if s.username == "advisor")
    embedded_server.sign_in(back, advisor.username)
    back.goto("/backoffice/prior-approvals/")
    back.locator("tr").filter(has_text="Joseph Mwangi").locator("a").first.click()
    assert back.locator("a[href$='/report/']").count() == 1
    back.check("input[name=decision][value=approve]")
    back.screenshot(path=screenshots_dir / "zone-approval-advisor-en-1280.png", full_page=True)
    back.click("form[action$='/decide/'] button[type=submit]")
    assert "Decision recorded" in back.locator("main").inner_text()

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(approval_url)
    answer = page.locator("main").inner_text()
    assert "Approved" in answer and "In-patient care in United States, from 18/01/2027 to 20/01/2027" in answer
    member.close()
    staff.close()
