"""A member's whole first visit, in Chromium, against the server ``make run`` starts."""

import re

import pytest

from mutua.core.portal_services import PORTAL_SERVICES

pytestmark = pytest.mark.browser

MEMBER_NUMBER = "MU1000002"
BIRTH_DATE = "1979-11-02"
EMAIL = "karim.benali@example.org"
FIRST_PASSWORD = "Sunflower-tram-glacier-19"
SECOND_PASSWORD = "Copper-meadow-lantern-84"
LINK = re.compile(r"http://\S+/(?:first-login|password-reset)/\S+/\S+/")


def open_link_from_email(page, embedded_server, count: int) -> None:
    """The ``count``-th e-mail with a link (the demo's AM statement file also wrote to this member)."""
    body = embedded_server.wait_for_email(EMAIL, count, containing="http://")
    link = LINK.search(body).group(0)
    page.goto(link)


def choose_password(page, password: str) -> None:
    page.fill("#id_new_password1", password)
    page.fill("#id_new_password2", password)
    page.click("button[type=submit].primary")


def log_in(page, password: str) -> None:
    page.fill("#id_username", MEMBER_NUMBER)
    page.fill("#id_password", password)
    page.click("button[type=submit].primary")


def test_create_account_log_in_switch_language_log_out_and_reset(page, embedded_server, screenshots_dir):
    page.goto("/")
    assert page.locator("h1").inner_text() == "Connectez-vous à votre espace adhérent"
    page.screenshot(path=screenshots_dir / "login.png", full_page=True)

    # First time logging on: the link arrives by e-mail (sent by the background worker).
    page.click("text=Première connexion ? Créez votre compte.")
    page.fill("#id_member_number", MEMBER_NUMBER)
    page.fill("#id_birth_date", BIRTH_DATE)
    page.fill("#id_email", EMAIL)
    page.click("button[type=submit].primary")
    assert page.locator("h1").inner_text() == "Consultez vos e-mails"
    open_link_from_email(page, embedded_server, 1)
    choose_password(page, FIRST_PASSWORD)
    assert "Votre mot de passe est enregistré" in page.locator(".messages").inner_text()

    log_in(page, FIRST_PASSWORD)
    assert page.url.endswith("/portal/")
    assert page.locator("h1").inner_text() == "Bienvenue, Karim"
    # Karim's French plan has neither restricted zones nor capital: every other service is offered.
    assert page.locator(".services li").count() == len([s for s in PORTAL_SERVICES if not s.offered_if])
    page.screenshot(path=screenshots_dir / "home.png", full_page=True)

    # Switch to English; the choice is remembered after logging out.
    page.select_option("#lang-select", "en")
    page.click(".lang button")
    assert page.locator("h1").inner_text() == "Welcome, Karim"
    page.click("text=Log out")
    assert page.locator("h1").inner_text() == "Log in to your member area"
    assert "You are logged out." in page.locator(".messages").inner_text()

    # Forgotten password: a second link, a new password, and the old one stops working.
    page.click("text=I have forgotten my password")
    page.fill("#id_member_number", MEMBER_NUMBER)
    page.click("button[type=submit].primary")
    assert page.locator("h1").inner_text() == "Check your e-mail"
    open_link_from_email(page, embedded_server, 2)
    choose_password(page, SECOND_PASSWORD)
    log_in(page, FIRST_PASSWORD)
    assert "Invalid member number or password." in page.locator("[role=alert]").inner_text()
    log_in(page, SECOND_PASSWORD)
    assert page.locator("h1").inner_text() == "Welcome, Karim"
    page.click("text=Log out")


def test_the_portal_works_without_javascript(browser, embedded_server, screenshots_dir):
    context = browser.new_context(base_url=embedded_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/")
    page.fill("#id_username", "MU1000001")
    page.fill("#id_password", "Mutua-demo-2026!")
    page.click("button[type=submit].primary")
    assert page.locator("h1").inner_text() == "Bienvenue, Claire"
    page.click("text=Mes informations")
    assert "MU1000001" in page.locator(".details").inner_text()
    page.goto("/portal/")
    page.click('a[href="/portal/contract/"]')
    table = page.locator("table").first.inner_text()
    assert "Léa Martin" in table and "Hugo Martin" in table and "Julien Martin" in table
    page.screenshot(path=screenshots_dir / "my-contract.png", full_page=True)
    context.close()
