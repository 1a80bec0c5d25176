"""My guarantees in Chromium: the demo member opens her table from the home page, searches it in French
and in English, on a desktop and on a phone (375 px: the table reflows into cards, nothing overflows)."""

import pytest
from playwright.sync_api import expect

from mutua.demo.french import DEMO_PASSWORD

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
# Wider than the window by a pixel or more: what a member would have to scroll sideways.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > width + 1);
  const shown = wide.slice(0, 5).map(e => e.outerHTML.slice(0, 120));
  return {page: document.documentElement.scrollWidth - width, elements: shown};
}"""


def log_in(page) -> None:
    page.goto("/")
    page.fill("#id_username", "MU1000001")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url("**/portal/")


def choose_language(page, language: str) -> None:
    page.select_option("#lang-select", language)
    page.click("form.lang button[type=submit]")
    expect(page.locator("html")).to_have_attribute("lang", language)


def search(page, words: str) -> None:
    page.fill("#mg-q", words)
    page.press("#mg-q", "Enter")
    expect(page.locator(".mg-result")).to_be_visible()


def labels(page) -> list[str]:
    return page.locator(".mg-row .mg-label").all_inner_texts()


def assert_no_overflow(page) -> None:
    found = page.evaluate(OVERFLOW)
    assert found["page"] <= 0 and not found["elements"], found


def test_my_guarantees_searched_in_french_and_english_on_desktop_and_phone(browser, embedded_server, screenshots_dir):
    context = browser.new_context(base_url=embedded_server.url, locale="fr-FR", viewport=DESKTOP)
    page = context.new_page()
    log_in(page)
    language_before = page.locator("html").get_attribute("lang")
    choose_language(page, "fr")

    # From the home page, the whole table: every section of the guide, the member's two tiers.
    page.click("a[href='/portal/my-guarantees/']")
    expect(page.locator("h1")).to_have_text("Mes garanties")
    expect(page.locator(".mg-table thead th").first).to_have_text("Soin")
    assert page.locator(".mg-section h2").all_inner_texts()[:2] == ["Hospitalisation", "Soins courants"]
    assert page.locator(".mg-row").count() == 65
    expect(page.locator(".mg-table").first.locator("thead th")).to_have_text(["Soin", "Base", "Surcomplémentaire"])
    page.screenshot(path=screenshots_dir / "my-guarantees.png")

    # "ostéo": the osteopath and the chiropractor (same group of the guide), with the guide's example priced today.
    search(page, "ostéo")
    assert labels(page) == ["Ostéopathe", "Chiropracteur"]
    expect(page.locator(".mg-result")).to_contain_text("2 garanties trouvées pour « ostéo »")
    example = page.locator(".mg-examples tbody tr")
    expect(example).to_have_count(1)
    expect(example.locator(".mg-label")).to_have_text("Séance d'ostéopathie")
    expect(example.locator(".mg-you-pay")).to_contain_text("€")
    row = page.locator(".mg-row").first
    expect(row.locator("td").first).to_contain_text("par séance")
    row.locator("summary").click()
    expect(row.locator(".mg-formula dl").first).to_contain_text("1,8 % PMSS par séance")
    page.screenshot(path=screenshots_dir / "my-guarantees-search.png", full_page=True)

    search(page, "xylophone")
    expect(page.locator(".mg-result")).to_contain_text("Aucun résultat pour « xylophone »")
    expect(page.locator(".mg-row")).to_have_count(0)

    # On a phone: the whole table reflows into cards, nothing wider than the screen.
    page.set_viewport_size(PHONE)
    page.goto("/portal/my-guarantees/")
    assert_no_overflow(page)
    gp = page.locator(".mg-row", has_text="Médecin généraliste")
    gp.scroll_into_view_if_needed()
    assert gp.bounding_box()["width"] <= PHONE["width"]
    page.screenshot(path=screenshots_dir / "my-guarantees-phone.png")

    # In English, on the phone, then on the desktop.
    choose_language(page, "en")
    expect(page.locator("h1")).to_have_text("My guarantees")
    search(page, "osteopath")
    assert labels(page) == ["Osteopath", "Chiropractor"]
    expect(page.locator(".mg-result")).to_contain_text("2 guarantees found for “osteopath”")
    expect(page.locator(".mg-examples .mg-label")).to_have_text(["Osteopathy session"])
    assert_no_overflow(page)
    # The cards say which tier each amount is from.
    expect(page.locator(".mg-row td").first).to_have_attribute("data-label", "Base")
    page.screenshot(path=screenshots_dir / "my-guarantees-phone-search.png", full_page=True)

    page.set_viewport_size(DESKTOP)
    search(page, "glasses")
    assert "Optical equipment at free prices (frame + 2 lenses)" in labels(page)
    assert_no_overflow(page)

    # Claire reads French: leave her account as it was.
    choose_language(page, language_before or "fr")
    context.close()


def test_the_search_works_without_javascript(browser, embedded_server):
    context = browser.new_context(
        base_url=embedded_server.url, locale="en-GB", viewport=DESKTOP, java_script_enabled=False
    )
    page = context.new_page()
    log_in(page)
    page.goto("/portal/my-guarantees/")
    search(page, "lunettes" if page.locator("html").get_attribute("lang") == "fr" else "glasses")
    assert page.locator(".mg-row").count() == 3
    context.close()
