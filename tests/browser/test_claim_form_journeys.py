"""The claim form as a person fills it in: a GP visit, glasses, an osteopath, in French and English, on a
phone (375 px) and a desktop (1280 px). Each journey starts a claim, picks the kind of care, sees only
its questions, and adds the care; the GP visit is first sent with the AM's figure missing and comes back
with the message beside the field and what was typed kept."""

import datetime
from pathlib import Path

import pytest

from mutua.demo.french import DEMO_PASSWORD
from mutua.documents.tests.pdfs import blank_pdf

pytestmark = pytest.mark.browser
DAY = (datetime.date.today() - datetime.timedelta(days=12)).isoformat()
WIDTHS = (1280, 375)
LANGUAGES = ("fr", "en")
WORDS = {
    "fr": {
        "kind": "Quel type de soin ?",
        "doctor": "Une consultation chez un médecin",
        "added": "Le soin est ajouté.",
        "am": "Ce que l’Assurance Maladie a payé",
        "fix": "Votre soin n’est pas encore ajouté",
        "again": "Joignez à nouveau vos justificatifs",
        "split": "même découpée en plusieurs soins",
    },
    "en": {
        "kind": "What kind of care?",
        "doctor": "A doctor's visit",
        "added": "The care item is added.",
        "am": "What the Assurance Maladie paid",
        "fix": "Your care item is not added yet",
        "again": "Attach your documents again",
        "split": "even split into several care items",
    },
}


def upload(name: str, salt: str) -> dict[str, object]:
    return {"name": name, "mimeType": "application/pdf", "buffer": blank_pdf(salt)}


@pytest.fixture
def member_page(browser, embedded_server, request):
    """Claire, logged in, in the language and at the width of the journey; her language put back after."""
    language, width = request.param
    context = browser.new_context(
        base_url=embedded_server.url,
        locale="fr-FR" if language == "fr" else "en-GB",
        viewport={"width": width, "height": 900},
        is_mobile=width < 600,
        has_touch=width < 600,
    )
    page = context.new_page()
    page.goto("/")
    page.fill("#id_username", "MU1000001")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit].primary")
    page.select_option("#lang-select", language)
    page.click("form.lang button[type=submit]")
    try:
        yield page, language, width
    finally:
        page.goto("/portal/")
        page.select_option("#lang-select", "fr")  # the account's language, as the other journeys expect it
        page.click("form.lang button[type=submit]")
        context.close()


def start_claim(page, name: str) -> str:
    page.goto("/portal/claims/new/")
    page.fill("#id_name", name)
    page.click("button[type=submit].primary")
    return page.url.split("?")[0].split("#")[0]


def choose(page, group: str) -> None:
    page.click(f".care-groups a[href*='care={group}']")
    assert f"care={group}" in page.url
    assert page.locator("form.care-form").count() == 1


def shown(page, field: str) -> bool:
    return page.locator(f"#field-{field}").count() == 1 and page.locator(f"#field-{field}").is_visible()


def text(page, selector: str = "main") -> str:
    """What a person reads there (French puts a no-break space before « : », « ? » and « € »)."""
    return page.locator(selector).inner_text().replace("\xa0", " ")


def submit(page) -> None:
    """Send the care form (Enter on its button: a click right after a full-page screenshot can miss it)."""
    with page.expect_navigation():
        page.locator("form.care-form button[type=submit]").press("Enter")


def assert_added(page, language: str) -> None:
    messages = page.locator(".messages li.success")
    assert messages.count() == 1, page.locator(".error").all_inner_texts()
    assert WORDS[language]["added"] in text(page, ".messages li.success")


def no_horizontal_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


JOURNEYS = [(language, width) for language in LANGUAGES for width in WIDTHS]


@pytest.mark.parametrize("member_page", JOURNEYS, indirect=True, ids=[f"{lang}-{w}" for lang, w in JOURNEYS])
def test_a_gp_visit(member_page, screenshots_dir: Path):
    page, language, width = member_page
    words = WORDS[language]
    start_claim(page, "Généraliste" if language == "fr" else "GP")
    assert words["kind"] in text(page) and page.locator(".care-groups a").count() >= 8
    no_horizontal_scroll(page)
    if (language, width) in {("fr", 1280), ("en", 375)}:
        page.screenshot(path=screenshots_dir / f"claim-form-kinds-{language}-{width}.png", full_page=True)
    choose(page, "doctor")
    # Only the doctor's questions, the GP first, the standard rate as the default.
    assert page.locator("input[name=benefit_code][value='care.gp']").is_checked()
    assert page.locator("input[name=doctor_fees][value=sector_1]").is_checked()
    assert shown(page, "doctor_fees") and shown(page, "mr") and not shown(page, "br")  # the GP's base is known
    for absent in ("basket", "lens_class", "side", "network", "quantity"):
        assert page.locator(f"#field-{absent}").count() == 0, absent
    assert not page.locator("#field-other_paid").is_visible()  # folded under "Other situations"
    assert words["split"] in page.locator("#id_amount_helptext").inner_text()
    no_horizontal_scroll(page)
    page.screenshot(path=screenshots_dir / f"claim-form-gp-{language}-{width}.png", full_page=True)

    page.fill("#id_care_date", DAY)
    page.fill("#id_provider", "Dr Martin")
    page.fill("#id_amount", "30.00")
    page.check("input[name=doctor_fees][value=optam]")
    page.set_input_files("#id_documents", files=[upload("consultation.pdf", f"gp-{language}-{width}")])
    submit(page)
    # Sent back: the message beside the AM's figure, what was typed kept, the file to attach again.
    assert words["fix"] in text(page)
    assert page.locator("#field-mr .error").count() == 1 and page.locator("#field-documents .error").count() == 1
    assert words["again"] in text(page, "#field-documents")
    assert page.input_value("#id_provider") == "Dr Martin" and page.input_value("#id_amount") == "30.00"
    assert page.locator("input[name=doctor_fees][value=optam]").is_checked()
    no_horizontal_scroll(page)
    if (language, width) in {("fr", 1280), ("en", 375)}:
        page.screenshot(path=screenshots_dir / f"claim-form-gp-error-{language}-{width}.png", full_page=True)

    page.fill("#id_mr", "19.00")
    page.set_input_files("#id_documents", files=[upload("consultation.pdf", f"gp-{language}-{width}")])
    submit(page)
    assert_added(page, language)
    assert page.locator("table.claim-items tbody tr").count() == 1 and "Dr Martin" in text(page)
    assert page.locator(".care-groups").count() == 1  # ready for the next care, step 1 again


@pytest.mark.parametrize("member_page", JOURNEYS, indirect=True, ids=[f"{lang}-{w}" for lang, w in JOURNEYS])
def test_glasses(member_page, screenshots_dir: Path):
    page, language, width = member_page
    start_claim(page, "Lunettes" if language == "fr" else "Glasses")
    choose(page, "glasses")
    assert page.locator("input[name=benefit_code][value='optical.equipment']").is_checked()
    assert page.locator("input[name=basket][value=libre]").is_checked()
    assert page.locator("input[name=basket][value=maitrise]").count() == 0  # a dental basket only
    assert shown(page, "lens_class") and shown(page, "network") and shown(page, "br") and not shown(page, "side")
    assert page.locator("#field-doctor_fees").count() == 0
    # The quote says 100 % Santé: no lenses to describe, no network question.
    page.check("input[name=basket][value='100_sante']")
    assert not shown(page, "lens_class") and not shown(page, "network")
    page.check("input[name=basket][value=libre]")
    assert shown(page, "lens_class")
    # Contact lenses: their own prescription; eye surgery: the side.
    page.check("input[name=benefit_code][value='optical.refractive_surgery']")
    assert shown(page, "side") and not shown(page, "basket") and not shown(page, "mr")
    page.check("input[name=benefit_code][value='optical.equipment']")
    no_horizontal_scroll(page)

    page.fill("#id_care_date", DAY)
    page.fill("#id_provider", "Optique du Centre")
    page.fill("#id_amount", "420.00")
    page.check("input[name=lens_class][value=complex]")
    page.fill("#id_mr", "0.09")
    page.fill("#id_br", "0.15")
    page.set_input_files("#id_documents", files=[upload("lunettes.pdf", f"glasses-{language}-{width}")])
    page.screenshot(path=screenshots_dir / f"claim-form-glasses-{language}-{width}.png", full_page=True)
    submit(page)
    assert_added(page, language)
    assert "Optique du Centre" in text(page)
    # The rest of the same bill (same day, same optician) would take it to 500 €: said, and nothing added.
    page.goto(page.url.split("?")[0].split("#")[0] + "?care=glasses")
    page.check("input[name=benefit_code][value='optical.contact_lenses_npc']")
    page.fill("#id_care_date", DAY)
    page.fill("#id_provider", "Optique du Centre")
    page.fill("#id_amount", "96.00")
    page.set_input_files("#id_documents", files=[upload("lentilles.pdf", f"lenses-{language}-{width}")])
    submit(page)
    assert WORDS[language]["split"] in text(page, "#field-amount .error")
    assert "516" in page.locator("#field-amount .error").inner_text()  # 516.00 € (516,00 € in French)
    assert page.locator("table.claim-items tbody tr").count() == 1
    if (language, width) in {("fr", 1280), ("en", 375)}:
        page.screenshot(path=screenshots_dir / f"claim-form-split-bill-{language}-{width}.png", full_page=True)


@pytest.mark.parametrize("member_page", JOURNEYS, indirect=True, ids=[f"{lang}-{w}" for lang, w in JOURNEYS])
def test_an_osteopath(member_page, screenshots_dir: Path):
    page, language, width = member_page
    start_claim(page, "Ostéopathe" if language == "fr" else "Osteopath")
    choose(page, "practitioners")
    assert page.locator("input[name=benefit_code][value='prevention.osteopath']").is_checked()
    # Care the AM does not cover: no AM figure, no doctor's fees; the number of sessions, 1 by default.
    for absent in ("mr", "br", "doctor_fees", "basket", "lens_class", "side"):
        assert page.locator(f"#field-{absent}").count() == 0, absent
    assert page.input_value("#id_quantity") == "1"
    documents = page.locator(".documents li")
    assert documents.count() == 1  # the invoice: no AM statement to look for
    no_horizontal_scroll(page)
    page.screenshot(path=screenshots_dir / f"claim-form-osteopath-{language}-{width}.png", full_page=True)
    page.fill("#id_care_date", DAY)
    page.fill("#id_provider", "Cabinet Durand")
    page.fill("#id_amount", "60.00")
    page.set_input_files("#id_documents", files=[upload("osteo.pdf", f"osteo-{language}-{width}")])
    submit(page)
    assert_added(page, language)
    assert page.locator("table.claim-items tbody tr").count() == 1
    page.click("a[href$='/summary/']")
    assert "Cabinet Durand" in text(page) and ("60.00" in text(page) or "60,00" in text(page))
    no_horizontal_scroll(page)


FULL = [("fr", 375), ("en", 1280)]


@pytest.mark.parametrize("member_page", FULL, indirect=True, ids=[f"{lang}-{w}" for lang, w in FULL])
def test_a_full_claim_and_an_eleventh_item_from_another_tab(member_page, screenshots_dir: Path):
    page, language, width = member_page
    claim_url = start_claim(page, "Ostéopathe, séances" if language == "fr" else "Osteopath, sessions")
    other_tab = page.context.new_page()
    other_tab.goto(f"{claim_url}?care=practitioners")  # opened while the claim still had room
    for n in range(10):
        page.goto(f"{claim_url}?care=practitioners")
        page.fill("#id_care_date", (datetime.date.today() - datetime.timedelta(days=30 - n)).isoformat())
        page.fill("#id_provider", "Cabinet Durand")
        page.fill("#id_amount", "45.00")
        page.set_input_files("#id_documents", files=[upload(f"seance-{n}.pdf", f"full-{language}-{n}")])
        submit(page)
        assert_added(page, language)
    # Full: no form, the reason, and another claim to start.
    assert page.locator("form.care-form").count() == 0 and page.locator(".care-groups").count() == 0
    assert page.locator(".box.full a.button.primary").count() == 1
    # The other tab sends an 11th item: the message, nothing added, the file not kept.
    other_tab.fill("#id_care_date", DAY)
    other_tab.fill("#id_provider", "Cabinet Durand")
    other_tab.fill("#id_amount", "45.00")
    other_tab.set_input_files("#id_documents", files=[upload("seance-11.pdf", f"full-{language}-11")])
    submit(other_tab)
    assert other_tab.locator(".refused[role=alert]").count() == 1
    assert "10" in text(other_tab, ".refused[role=alert]")
    assert other_tab.locator("table.claim-items tbody tr").count() == 10
    no_horizontal_scroll(other_tab)
    other_tab.screenshot(path=screenshots_dir / f"claim-form-full-{language}-{width}.png", full_page=True)
    # Another claim, for the same person and the same kind of care, in two clicks.
    other_tab.click(".box.full a.button.primary")
    assert other_tab.input_value("#id_name").endswith("(2)")
    other_tab.click("button[type=submit].primary")
    assert "care=practitioners" in other_tab.url and other_tab.locator("form.care-form").count() == 1
    other_tab.close()
