"""Hospital guarantees in Chromium, against the server ``make run`` starts: the admissions office of the
network clinic asks for a planned-stay guarantee for Claire, gets it at once with what is covered and the
PDF; Claire then finds the same guarantee in her portal."""

import re
from datetime import date, timedelta

import pytest

from mutua.demo.french import DEMO_MEMBERS, DEMO_PASSWORD, DEMO_PROVIDER_STAFF

pytestmark = pytest.mark.browser
CLINIC_NAME, CLINIC_USER = DEMO_PROVIDER_STAFF[0]  # the network clinic

REFERENCE = re.compile(r"PEC-\d{4}-\d{6}")
# (cost, amount, BR, days): a knee replacement at the clinic, 4 days (3 nights in a private room)
COSTS = (
    ("stay", "4200.00", "3600.00", ""),
    ("private_room", "285.00", "", "3"),
    ("daily_forfait", "80.00", "", "4"),
)
TOTAL = "4565.00"


def euros(text: str) -> str:
    """The page's text with amounts written the same way whatever the language: 4 200,00 € or €4,200.00 → 4200.00 €."""
    text = re.sub(r"(\d)[ \u00a0\u202f,](?=\d{3}\b)", r"\1", text).replace("\u00a0", " ")
    text = re.sub(r"(\d),(\d{2})\b", r"\1.\2", text)
    return re.sub(r"€(\d+\.\d{2})", r"\1 €", text)


def test_a_hospital_gets_a_guarantee_at_once_and_the_member_sees_it(browser, embedded_server, screenshots_dir):
    claire = next(m for m in DEMO_MEMBERS if m.first_name == "Claire")
    # Later than the demo's own guarantee for Claire (in 10 days): the same days would overlap it.
    admission = date.today() + timedelta(days=40)
    discharge = admission + timedelta(days=3)

    clinic = browser.new_context(
        base_url=embedded_server.url, locale="fr-FR", viewport={"width": 1100, "height": 900}, accept_downloads=True
    )
    page = clinic.new_page()
    embedded_server.sign_in(page, CLINIC_USER.username, path="/provider/login/")
    assert page.url == f"{embedded_server.url}/provider/", page.locator("main").inner_text()
    assert CLINIC_NAME in page.locator("h1").inner_text()

    page.click("a[href='/provider/guarantees/request/']")
    page.fill("#id_member_number", claire.member_number)
    page.fill("#id_last_name", claire.last_name.upper())  # as on the card: case does not matter
    page.fill("#id_birth_date", claire.birth_date.isoformat())
    page.select_option("#id_stay_kind", "surgical")
    page.fill("#id_admission_date", admission.isoformat())
    page.fill("#id_expected_discharge", discharge.isoformat())
    page.fill("#id_planned_acts", "Prothèse totale du genou droit")
    for row, (cost, amount, br, days) in enumerate(COSTS):
        field = page.locator(f"#id_costs-{row}-cost")
        # Rows after the first are folded until used.
        field.evaluate("e => { const d = e.closest('details'); if (d) d.open = true; }")
        field.select_option(cost)
        page.fill(f"#id_costs-{row}-amount", amount)
        if br:
            page.fill(f"#id_costs-{row}-br", br)
        if days:
            page.fill(f"#id_costs-{row}-quantity", days)
    # Leave no field focused: after a full-page screenshot, a blur on the click would scroll the page under
    # the mouse, and the click would miss the button.
    page.evaluate("() => document.activeElement.blur()")
    page.screenshot(path=screenshots_dir / "guarantee-hospital-request.png", full_page=True)
    with page.expect_navigation():
        page.click("form button[type=submit].primary")

    # Issued at once: a network clinic, a covered member, a short stay well under the automatic limits.
    assert re.search(r"/provider/guarantees/\d+/$", page.url), page.locator("main").inner_text()
    heading = page.locator("h1").inner_text()
    reference = REFERENCE.search(heading).group()
    # Only an issued guarantee can be extended or invoiced (the status label depends on the language).
    assert page.locator("a[href$='/extension/']").count() == 1, heading
    assert page.locator("a[href$='/invoice/']").count() == 1, heading
    assert claire.member_number in page.locator("main").inner_text()
    rows = page.locator("table.estimate tbody tr")
    assert rows.count() == len(COSTS)
    for row, (_cost, amount, _br, days) in zip(rows.all(), COSTS, strict=True):
        cells = euros(row.inner_text()).split("\t")
        assert cells[1].startswith(days or "1") and cells[2] == f"{amount} €", cells
    covered = euros(page.locator("table.estimate tfoot").inner_text())
    assert f"{TOTAL} €" in covered, covered
    page.screenshot(path=screenshots_dir / "guarantee-hospital-issued.png", full_page=True)

    pdf_link = page.locator("a[href$='/pdf/']")
    assert pdf_link.count() == 1
    with page.expect_download() as download_info:
        pdf_link.click()
    download = download_info.value
    assert download.suggested_filename == f"{reference}.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    page.goto("/provider/")
    assert reference in page.locator("table").inner_text()
    clinic.close()

    member = browser.new_context(base_url=embedded_server.url, locale="fr-FR", viewport={"width": 1000, "height": 900})
    page = member.new_page()
    page.goto("/")
    page.fill("#id_username", claire.member_number)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit].primary")
    page.goto("/portal/")
    # The account's language may have been switched by an earlier journey: follow links, check references.
    page.click("a[href='/portal/hospital/']")
    page.wait_for_url("**/portal/hospital/")
    link = page.locator(f"table a:text-is('{reference}')")
    assert link.count() == 1, page.locator("main").inner_text()
    assert CLINIC_NAME in page.locator("tbody tr").filter(has=page.locator(f"a:text-is('{reference}')")).inner_text()
    link.click()
    page.wait_for_url(re.compile(r".*/portal/hospital/\d+/$"))
    assert reference in page.locator("h1").inner_text()
    covered = euros(page.locator("table.estimate").inner_text())
    assert f"{TOTAL} €" in covered, covered
    assert page.locator("a[href$='/pdf/']").count() == 1
    page.screenshot(path=screenshots_dir / "guarantee-member.png", full_page=True)
    member.close()
