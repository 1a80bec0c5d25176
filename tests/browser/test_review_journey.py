"""A member contests a decision the rules made alone (seed 001's data charter): from the claim's page she asks a
person to review it, a handler finds the request in the one inbox and changes it on the AM's real figure (the
engine computes it again), and the member reads the new amount, who reviewed it and why on the claim's page, and
the notification in her inbox. Against the server ``make run`` starts (web + worker)."""

import datetime
import time

import pytest

from mutua.demo.french import DEMO_STAFF
from mutua.documents.tests.pdfs import blank_pdf
from tests.browser.conftest import language

pytestmark = pytest.mark.browser
CARE_DAY = datetime.date.today() - datetime.timedelta(days=20)  # the real clock: never time-barred
MEMBER = "MU7300001"
MEMBER_PASSWORD = "Correct-horse-battery-42"  # mutua.accounts.tests.factories.PASSWORD
CLAIM_NAME = "Consultation Dr Morel"
WIDTHS = (1280, 375)

CREATE_MEMBER = f"""
from datetime import date
from mutua.accounts.tests.factories import MemberUserFactory
MemberUserFactory(
    member__member_number="{MEMBER}", member__first_name="Nadia", member__last_name="Lefèvre",
    member__cover_start=date(2020, 1, 1), member__iban="FR1420041010050500013M02606",
    member__contract__number="GC-REVIEW-JOURNEY",  # the factory's GC-00000 is taken by the journeys before it
)
"""


def send_claim(browser, url: str) -> int:
    """A GP visit of 30.00 of which the AM paid, the member types, 19.00: decided by the rules alone."""
    api = browser.new_context(base_url=url)
    token = api.request.post(
        "/api/v1/auth/token", data={"member_number": MEMBER, "password": MEMBER_PASSWORD, "name": "journey"}
    ).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    claim = api.request.post("/api/v1/claims", data={"name": CLAIM_NAME}, headers=headers).json()
    fields = {"benefit_code": "care.gp", "amount": "30.00", "mr": "19.00", "doctor_fees": "sector_1"}
    fields |= {"provider": "Dr Morel", "care_date": CARE_DAY.isoformat()}
    document = {"name": "facture.pdf", "mimeType": "application/pdf", "buffer": blank_pdf(f"review-{time.time()}")}
    added = api.request.post(
        f"/api/v1/claims/{claim['id']}/items", multipart={**fields, "documents": document}, headers=headers
    )
    assert added.status == 201, added.text()
    sent = api.request.post(f"/api/v1/claims/{claim['id']}/submit", data={"terms_accepted": True}, headers=headers)
    assert sent.ok, sent.text()
    api.close()
    return claim["id"]


def wait_for(page, url: str, selector: str, timeout: float = 60) -> None:
    page.goto(url)
    deadline = time.monotonic() + timeout
    while page.locator(selector).count() == 0:
        assert time.monotonic() < deadline, f"{selector} never appeared on {url}"
        time.sleep(0.5)
        page.goto(url)


def shots(page, url: str, name: str, screenshots_dir, *, back_to: str = "fr") -> None:
    """The page at both widths in French and English (the portal's or the back office's language chooser)."""
    for code in ("fr", "en"):
        page.goto(url)
        language(page, code)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(url)
            page.screenshot(path=screenshots_dir / f"review-{name}-{code}-{width}.png", full_page=True)
    page.goto(url)
    language(page, back_to)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_member_contests_an_automatic_decision_and_a_handler_changes_it(browser, embedded_server, screenshots_dir):
    embedded_server.run_python(CREATE_MEMBER)
    claim_id = send_claim(browser, embedded_server.url)
    claim_url = f"/portal/claims/{claim_id}/"

    member = browser.new_context(base_url=embedded_server.url, locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = member.new_page()
    page.goto("/")
    page.fill("#id_username", MEMBER)
    page.fill("#id_password", MEMBER_PASSWORD)
    page.click("button[type=submit].primary")
    language(page, "fr")
    wait_for(page, claim_url, "section.item-accepted form.review-ask")
    assert "9,00\xa0€" in page.locator("section.item-accepted").inner_text()
    shots(page, claim_url, "claim-before", screenshots_dir)

    page.goto(claim_url)
    page.click("form.review-ask button")
    request_url = page.url
    assert "Comment les règles ont décidé" in page.locator("main").inner_text()
    shots(page, request_url, "request", screenshots_dir)
    page.goto(request_url)
    page.fill("#id_text", "L'Assurance Maladie m'a remboursé 15,00 €, pas 19,00 € : voici son relevé.")
    page.set_input_files(
        "#id_documents", files=[{"name": "releve-ameli.pdf", "mimeType": "application/pdf", "buffer": blank_pdf("am")}]
    )
    page.click("form button[type=submit].primary")
    assert page.locator(".messages li.success").count() == 1, page.locator("main").inner_text()[:2000]
    assert "Vous avez demandé le" in page.locator("section.item-accepted").inner_text()

    staff = browser.new_context(base_url=embedded_server.url, locale="fr-FR", viewport={"width": 1280, "height": 900})
    back = staff.new_page()
    handler = next(s for s in DEMO_STAFF if s.username == "handler")
    embedded_server.sign_in(back, handler.username)
    language(back, "fr")
    back.goto("/backoffice/conversations/")
    back.locator("tr", has_text=MEMBER).locator("a[href*='/backoffice/reviews/']").first.click()
    decide_url = back.url
    text = back.locator("main").inner_text()
    assert "Comment les règles ont décidé" in text and "voici son relevé" in text and "releve-ameli.pdf" in text
    shots(back, decide_url, "decide", screenshots_dir)
    back.goto(decide_url)
    back.check("input[name=outcome][value=changed]")
    back.fill("#id_reason", "Le relevé de l'Assurance Maladie indique 15,00 € : il vous reste plus à payer.")
    back.check("input[name=decision][value=accept]")
    back.fill("#id_mr", "15.00")
    back.click("form.review-decision button[type=submit].primary")
    assert back.locator(".messages li.success").count() == 1, back.locator("main").inner_text()[:2000]
    assert "Décision modifiée" in back.locator(".review-outcome").inner_text()
    back.screenshot(path=screenshots_dir / "review-decided-fr-1280.png", full_page=True)

    page.goto(claim_url)
    item = page.locator("section.item-accepted")
    shown = item.inner_text()
    assert "13,00\xa0€" in shown and "Réexaminé par une personne le" in shown and "décision modifiée" in shown
    assert "il vous reste plus à payer" in shown
    assert page.locator("form.review-ask").count() == 0
    shots(page, claim_url, "claim-after", screenshots_dir)

    page.goto("/portal/notifications/")
    assert "Votre demande de réexamen a reçu une réponse" in page.locator("main").inner_text()
    shots(page, "/portal/notifications/", "notifications", screenshots_dir)
    member.close()
    staff.close()
