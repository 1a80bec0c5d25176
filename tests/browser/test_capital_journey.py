"""A death and disability capital claim in Chromium, against the server ``make run`` starts.

Amina Otieno, international staff (plan intl-staff, USD), died in an accident. Her husband Joseph writes
to the management unit: a handler keys the claim in with the death certificate and the medical certificate
of the cause; the medical advisor, alone to read that certificate, records the cause and the date; the
handler has the engine compute the amounts (repatriation above its limit), records Joseph's account and
approves; finance pays it in a run in US dollars and records the claim as paid. Amina's own pages (the
designation of beneficiaries, the claim's status) are shown too.
"""

import re
from datetime import date, timedelta

import pytest

from mutua.demo.french import DEMO_PASSWORD
from mutua.documents.tests.pdfs import blank_pdf

pytestmark = pytest.mark.browser
MEMBER_NUMBER = "INTL0000042"
SPOUSE = "Joseph Otieno"
JOSEPH_IBAN = "DE89370400440532013000"
SIZES = {"wide": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 800}}

# An international staff member and her husband, through the services, in the server's own database.
SETUP = f"""
from datetime import date
from mutua.accounts.services import member_account_create, password_set
from mutua.contracts.models import ContractPlan, Employer, GroupContract, Insurer, ManagementUnit, Member
from mutua.contracts.tests.factories import BeneficiaryFactory
contract = GroupContract.objects.create(
    number="INTL-WFP-01", employer=Employer.objects.create(name="World Food Programme"),
    insurer=Insurer.objects.get_or_create(name="Assureur Mutuel")[0],
    management_unit=ManagementUnit.objects.first(), start_date=date(2020, 1, 1))
ContractPlan.objects.create(contract=contract, plan_code="intl-staff", tiers=["main"], valid_from=date(2020, 1, 1))
member = Member.objects.create(
    member_number="{MEMBER_NUMBER}", first_name="Amina", last_name="Otieno", birth_date=date(1970, 3, 2),
    email="amina.otieno@example.org", management_unit=contract.management_unit, contract=contract,
    cover_start=date(2020, 1, 1), iban="FR1420041010050500013M02606", preferred_language="fr")
BeneficiaryFactory(member=member, relationship="spouse", rank=2, first_name="Joseph", last_name="Otieno",
    birth_date=date(1968, 7, 1))
password_set(user=member_account_create(member=member), password="{DEMO_PASSWORD}")
"""


@pytest.fixture(scope="module")
def intl_member(embedded_server) -> str:
    embedded_server.run_python(SETUP)
    return MEMBER_NUMBER


def _staff(browser, server, username: str, size: str = "wide"):
    context = browser.new_context(base_url=server.url, locale="fr-FR", viewport=SIZES[size])
    page = context.new_page()
    server.sign_in(page, username)
    return context, page


def _pdf(name: str) -> dict:
    return {"name": f"{name}.pdf", "mimeType": "application/pdf", "buffer": blank_pdf(name)}


def _submit(page, selector: str) -> None:
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    with page.expect_navigation():
        page.click(selector)


def _text(page) -> str:
    return page.locator("main").inner_text().replace("\u00a0", " ").replace("\u202f", " ")


def test_a_death_claim_keyed_in_decided_computed_approved_and_paid_in_usd(
    browser, embedded_server, screenshots_dir, intl_member
):
    death = date.today() - timedelta(days=20)

    # The handler keys in Joseph's letter with its two certificates.
    handler_context, handler = _staff(browser, embedded_server, "handler")
    handler.goto("/backoffice/capital/new/")
    handler.fill("#id_member_number", intl_member)
    handler.check("#id_kind_0")  # death
    handler.fill("#id_event_date", death.isoformat())
    handler.fill("#id_declarant_name", SPOUSE)
    handler.fill("#id_declarant_relationship", "époux")
    handler.fill("#id_declarant_contact", "joseph.otieno@example.org")
    handler.set_input_files("#id_death_certificate", _pdf("acte-de-deces"))
    handler.set_input_files("#id_cause_certificate", _pdf("certificat-cause"))
    handler.screenshot(path=screenshots_dir / "capital-keyed-in.png", full_page=True)
    _submit(handler, "form button[type=submit].primary")
    match = re.search(r"/backoffice/capital/(\d+)/$", handler.url)
    assert match, _text(handler)
    claim_url = match.group(0)
    # The handler sees the death certificate, never the medical certificate of the cause.
    documents = handler.locator("a[href^='/documents/']")
    assert documents.count() == 1
    _submit(handler, f"form[action='{claim_url}complete/'] button")

    # The medical advisor finds it in the queue, reads both certificates and records the cause.
    advisor_context, advisor = _staff(browser, embedded_server, "advisor")
    advisor.goto("/backoffice/capital/")
    assert advisor.locator(f"a[href='{claim_url}']").count() == 1
    advisor.screenshot(path=screenshots_dir / "capital-queue.png", full_page=True)
    advisor.goto(claim_url)
    assert advisor.locator("a[href^='/documents/']").count() == 2
    advisor.check("#id_cause_1")  # accident
    advisor.fill("#id_death_date", death.isoformat())
    advisor.screenshot(path=screenshots_dir / "capital-medical-decision.png", full_page=True)
    _submit(advisor, f"form[action='{claim_url}medical/'] button")
    assert advisor.locator(f"form[action='{claim_url}medical/']").count() == 0
    advisor_context.close()

    # The handler has the engine compute: 25,000 + repatriation limited to 7,500; nobody was designated,
    # so the legal order gives it all to the spouse, whose account the handler records before approving.
    handler.goto(claim_url)
    handler.fill("#id_repatriation_cost", "9200")
    _submit(handler, f"form[action='{claim_url}compute/'] button")
    text = _text(handler)
    assert "32 500,00" in text and SPOUSE in text, text
    share_form = handler.locator(f"form[action='{claim_url}account/']")
    share_form.locator("input[name$='-iban']").fill(JOSEPH_IBAN)
    _submit(handler, f"form[action='{claim_url}account/'] button")
    handler.screenshot(path=screenshots_dir / "capital-amounts.png", full_page=True)
    _submit(handler, f"form[action='{claim_url}approve/'] button")
    assert handler.locator(f"form[action='{claim_url}approve/']").count() == 0, _text(handler)
    handler.set_viewport_size(SIZES["phone"])
    handler.screenshot(path=screenshots_dir / "capital-claim-phone.png", full_page=True)
    handler_context.close()

    # Finance pays it as any payable: a run in US dollars prepared by one person, approved by another
    # (the administrator), its file produced, then recorded as paid; the claim is then paid too.
    finance_context, finance = _staff(browser, embedded_server, "finance")
    finance.goto("/backoffice/payments/runs/")
    finance.select_option("#id_currency", "USD")
    _submit(finance, "form[action='/backoffice/payments/runs/new/'] button[type=submit]")
    run_url = re.search(r"/backoffice/payments/runs/\d+/$", finance.url).group(0)
    assert SPOUSE in _text(finance) and "32 500,00" in _text(finance), _text(finance)
    admin_context, admin = _staff(browser, embedded_server, "admin")
    admin.goto(run_url)
    _submit(admin, f"form[action='{run_url}approve/'] button")
    with admin.expect_download():
        admin.click(f"form[action='{run_url}file/'] button")
    admin_context.close()
    finance.goto(run_url)
    finance.fill("#id_paid_on", date.today().isoformat())
    _submit(finance, f"form[action='{run_url}settle/'] button")
    finance.goto(claim_url)
    _submit(finance, f"form[action='{claim_url}paid/'] button")
    assert finance.locator(f"form[action='{claim_url}paid/']").count() == 0, _text(finance)
    finance.screenshot(path=screenshots_dir / "capital-paid.png", full_page=True)
    finance_context.close()


def test_the_member_designates_beneficiaries_and_follows_the_claim(
    browser, embedded_server, screenshots_dir, intl_member
):
    for size, suffix in (("wide", ""), ("phone", "-phone")):
        context = browser.new_context(base_url=embedded_server.url, locale="fr-FR", viewport=SIZES[size])
        page = context.new_page()
        page.goto("/")
        page.fill("#id_username", intl_member)
        page.fill("#id_password", DEMO_PASSWORD)
        _submit(page, "button[type=submit].primary")
        page.click("a[href='/portal/capital/']")
        page.screenshot(path=screenshots_dir / f"capital-home{suffix}.png", full_page=True)
        page.goto("/portal/capital/beneficiaries/")
        if size == "wide":  # Amina designates her husband and her sister, then finds both on the page
            for row, (name, relationship, born, share) in enumerate(
                ((SPOUSE, "spouse", "1968-07-01", "70"), ("Grace Wanjiru", "sibling", "1975-02-14", "30"))
            ):
                page.fill(f"#id_form-{row}-full_name", name)
                page.select_option(f"#id_form-{row}-relationship", relationship)
                page.fill(f"#id_form-{row}-birth_date", born)
                page.fill(f"#id_form-{row}-contact", "P.O. Box 44145, Nairobi")
                page.fill(f"#id_form-{row}-share", share)
            _submit(page, "form button[type=submit].primary")
            assert "Grace Wanjiru" in _text(page) and "70 %" in _text(page), _text(page)
            page.goto("/portal/capital/beneficiaries/")
        page.screenshot(path=screenshots_dir / f"capital-designation{suffix}.png", full_page=True)
        assert page.locator("ol li").count() == 4  # the legal order, stated
        page.goto("/portal/capital/")
        claim = page.locator("a[href^='/portal/capital/claims/']")
        if claim.count():  # the journey above filed it
            page.click("a[href^='/portal/capital/claims/']")
            page.screenshot(path=screenshots_dir / f"capital-claim-status{suffix}.png", full_page=True)
        # The same pages in Spanish and in Arabic (right to left).
        for language in ("es", "ar"):
            page.goto("/portal/capital/")
            page.select_option("#lang-select", language)
            _submit(page, "form.lang button[type=submit]")
            page.goto("/portal/capital/")
            assert page.locator("html").get_attribute("lang") == language
            page.screenshot(path=screenshots_dir / f"capital-home-{language}{suffix}.png", full_page=True)
            if claim.count():
                page.click("a[href^='/portal/capital/claims/']")
                page.screenshot(path=screenshots_dir / f"capital-claim-status-{language}{suffix}.png", full_page=True)
        page.select_option("#lang-select", "fr")  # the language chosen is kept on the account
        _submit(page, "form.lang button[type=submit]")
        context.close()
