"""Seed 000's Direct Settlement Card: the card of a plan paying from the first dollar says so, shows the plan,
the household, the emergency guarantee of the plan's hospital section and whom to call; the QR code is checked
as for the French card."""

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation
from django.utils.formats import date_format

from engine import get_plan
from mutua.accounts.tests.factories import PASSWORD
from mutua.cards.pdf import card_pdf_render
from mutua.cards.selectors import member_card_on
from mutua.cards.services import card_token_make
from mutua.cards.tests.test_card import pdf_text
from mutua.contracts.models import Relationship
from mutua.contracts.tests.factories import BeneficiaryFactory
from mutua.core.tests.helpers import member_login
from mutua.guarantees.tests.intl import intl_member_user

pytestmark = pytest.mark.django_db

DAY = date(2026, 3, 15)


@pytest.fixture
def user():
    user = intl_member_user(member__first_name="Amina", member__last_name="Odhiambo")
    BeneficiaryFactory(member=user.member, relationship=Relationship.CHILD, rank=2, first_name="Baraka")
    return user


def test_the_card_follows_the_plan(user):
    card = member_card_on(member=user.member, day=DAY)
    assert card.direct_settlement and card.acts == ()
    assert card.emergency_days == get_plan("intl-staff").hospital.card_days == 2
    assert card.answer_hours == 2


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_pdf_is_a_direct_settlement_card_without_french_codes(user, language):
    with translation.override(language):
        card = member_card_on(member=user.member, day=DAY)
        text = " ".join(pdf_text(card_pdf_render(card=card, verify_url="https://mutua.example/card/verify/x/")).split())
        end = date_format(date(2026, 12, 31), "SHORT_DATE_FORMAT")
    title = {"en": "Direct Settlement Card", "fr": "Carte de tiers payant direct"}[language]
    assert title in text
    assert get_plan("intl-staff").label.get(language) in text
    assert "Amina Odhiambo" in text and "Baraka Odhiambo" in text and user.member.member_number in text
    assert end in text
    first_days = {"en": "during the first 2 days after admission", "fr": "pendant les 2 premiers jours"}[language]
    assert first_days in text
    assert user.member.management_unit.phone in text and user.member.management_unit.email in text
    for french_only in ("PHAR", "HOSP", "Carte Vitale", "Third-party payment card"):
        assert french_only not in text


def test_the_french_card_stays_a_third_party_payment_card(household):
    with translation.override("en"):
        card = member_card_on(member=household, day=DAY)
        text = pdf_text(card_pdf_render(card=card, verify_url="https://mutua.example/card/verify/x/"))
    assert not card.direct_settlement
    assert "Third-party payment card" in text and "PHAR" in text and "Direct Settlement Card" not in text


def test_the_qr_code_opens_the_same_check(user):
    client = Client()
    member_login(client, user.member.member_number, PASSWORD)
    download = client.get("/card/portal/download/", HTTP_ACCEPT_LANGUAGE="en")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert "Direct Settlement Card" in pdf_text(download.content)
    card = member_card_on(member=user.member, day=date.today())
    token = card_token_make(member=user.member, valid_until=card.valid_until)
    page = Client().get(f"/card/verify/{token}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "This card is valid on" in page
    assert "Amina O." in page and "Baraka O." in page


def test_screenshot_of_the_direct_settlement_card(user, tmp_path):
    """Its first page to docs/screenshots/direct-settlement-card.png (needs Debian's poppler-utils)."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        pytest.skip("MISSING: pdftoppm (apt-get install poppler-utils)")
    with translation.override("en"):
        card = member_card_on(member=user.member, day=DAY)
        pdf = card_pdf_render(card=card, verify_url="https://mutua.example/card/verify/x/")
    (tmp_path / "card.pdf").write_bytes(pdf)
    command = [pdftoppm, "-png", "-r", "100", "-f", "1", "-l", "1", "-singlefile", tmp_path / "card.pdf"]
    subprocess.run([*command, tmp_path / "card"], check=True)
    screenshot = Path(__file__).resolve().parents[3] / "docs" / "screenshots" / "direct-settlement-card.png"
    shutil.copyfile(tmp_path / "card.png", screenshot)
    assert screenshot.stat().st_size > 10_000
