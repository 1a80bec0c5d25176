"""An AM statement file sent through the back office and paid by the worker, in Chromium, against the
server ``make run`` starts; the member then sees what the AM sent, with nothing to do."""

import time
from datetime import date, datetime, timedelta

import pytest

from mutua.demo.french import DEMO_PASSWORD, DEMO_STAFF
from mutua.teletransmission.fakes import file_text
from mutua.teletransmission.tests.helpers import act

pytestmark = pytest.mark.browser

CLAIRE_NIR = "284037510812347"
# The server runs on the real clock: care of some weeks ago, never time-barred whenever the suite runs.
CARE = date.today() - timedelta(days=45)  # not the day of the claim journey's visit: that would be the same care
SENT = CARE + timedelta(days=10)
STRANGER_NIR = "185057800608491"


def test_a_statement_file_is_uploaded_followed_and_paid(browser, embedded_server, screenshots_dir):
    text = file_text(
        [
            act(1, CLAIRE_NIR, birth_date=date(1984, 3, 12), care_date=CARE),
            act(
                2,
                CLAIRE_NIR,
                birth_date=date(1984, 3, 12),
                care_date=CARE,
                code="PH7",
                charged="12.50",
                br="12.50",
                rate=65,
                mr="7.13",
                qualifiers=(),
            ),
            act(
                3,
                CLAIRE_NIR,
                rank=3,  # Léa: in the household, Claire is rank 1, Julien 2, Léa 3
                birth_date=date(2012, 5, 3),
                care_date=CARE + timedelta(days=2),
                code="CS",
                charged="50.00",
                br="30.00",
                mr="21.00",
            ),
            act(4, STRANGER_NIR, care_date=CARE + timedelta(days=3)),
        ],
        file_id="CPAM751-20261121-001",
        created=datetime.fromisoformat(f"{SENT}T06:00"),
    )
    staff = browser.new_context(base_url=embedded_server.url, locale="fr-FR", viewport={"width": 1100, "height": 900})
    back = staff.new_page()
    admin = next(s for s in DEMO_STAFF if s.username == "admin")
    embedded_server.sign_in(back, admin.username)

    back.goto("/backoffice/teletransmission/")
    back.set_input_files(
        "#id_file", files=[{"name": "noemie-751.txt", "mimeType": "text/plain", "buffer": text.encode()}]
    )
    back.click("form[enctype] button[type=submit].primary")
    file_url = back.url
    assert "/backoffice/teletransmission/files/" in file_url
    deadline = time.monotonic() + 60
    while "Terminé" not in back.locator("h1").inner_text():  # the page refreshes itself meanwhile
        assert time.monotonic() < deadline, back.content()[:3000]
        time.sleep(0.5)
        back.goto(file_url)
    body = back.locator("main").inner_text()
    assert "100 %" in body
    assert "3 lignes payées" in body and "1 lignes dans la file des exceptions" in body
    back.screenshot(path=screenshots_dir / "am-file.png", full_page=True)

    back.click("text=Exceptions")
    assert "CPAM751-20261121-001 #4" in back.locator("table").inner_text()
    back.click("text=CPAM751-20261121-001 #4")
    back.screenshot(path=screenshots_dir / "am-exception.png", full_page=True)
    back.fill("#id_dismiss-note", "Pas assuré chez nous : signalé à la CPAM")
    back.click("form[action$='/dismiss/'] button[type=submit]")
    assert "CPAM751-20261121-001 #4" not in back.locator("main").inner_text()  # closed: out of the queue
    staff.close()

    member = browser.new_context(base_url=embedded_server.url, locale="fr-FR", viewport={"width": 1000, "height": 900})
    page = member.new_page()
    page.goto("/")
    page.fill("#id_username", "MU1000001")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit].primary")
    page.goto("/portal/claims/")
    # The account's language may have been switched by an earlier journey: check the structure.
    assert page.locator(f"a:has-text('Assurance Maladie {SENT:%d/%m/%Y}') + br + small.muted").count() == 2
    page.goto("/portal/contract/")
    section = page.locator("#teletransmission").inner_text()
    assert "Active" in section and "recevra directement ce décompte" in section
    page.locator("#teletransmission").screenshot(path=screenshots_dir / "my-contract-teletransmission.png")
    member.close()
