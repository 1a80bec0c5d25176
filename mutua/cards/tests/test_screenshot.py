"""Renders the card's first page to docs/screenshots/member-card.png (needs Debian's poppler-utils)."""

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from django.core import signing
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from mutua.cards.pdf import card_pdf_render
from mutua.cards.selectors import member_card_on
from mutua.cards.services import card_token_make
from mutua.contracts.models import Relationship
from mutua.contracts.tests.factories import BeneficiaryFactory, ManagementUnitFactory, MemberFactory

ROOT = Path(__file__).resolve().parents[3]
SCREENSHOT = ROOT / "docs" / "screenshots" / "member-card.png"
DAY = date(2026, 3, 15)


@pytest.mark.django_db
def test_screenshot_of_the_card(tmp_path, settings, monkeypatch):
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        pytest.skip("MISSING: pdftoppm (apt-get install poppler-utils)")
    # A fixed key, id and signing time give the same QR code, hence the same picture, on every run.
    settings.SECRET_KEY = "screenshot-only-" + "k" * 50
    monkeypatch.setattr(signing.time, "time", lambda: 1773532800.0)
    unit = ManagementUnitFactory(
        name="Unité de gestion Santé Île-de-France",
        phone="+33 1 84 00 12 34",
        email="sante@gestion.example.org",
        postal_address="TSA 12345\n92099 La Défense Cedex",
        opening_hours="Du lundi au vendredi, de 8 h 30 à 18 h",
    )
    member = MemberFactory(
        id=1001,
        member_number="MU1000001",
        first_name="Claire",
        last_name="Dubois",
        birth_date=date(1984, 5, 12),
        contract__management_unit=unit,
        contract__number="GC-2026-0042",
    )
    BeneficiaryFactory(
        member=member, relationship=Relationship.SPOUSE, rank=2, first_name="Julien", birth_date=date(1982, 11, 3)
    )
    BeneficiaryFactory(member=member, rank=3, first_name="Emma", birth_date=date(2012, 7, 21))
    BeneficiaryFactory(member=member, rank=4, first_name="Louis", birth_date=date(2008, 9, 1))
    card = member_card_on(member=member, day=DAY)
    token = card_token_make(member=member, valid_until=card.valid_until)
    url = RequestFactory().get("/").build_absolute_uri(reverse("cards:verify", kwargs={"token": token}))
    with translation.override("fr"):
        pdf = card_pdf_render(card=card, verify_url=url)
    (tmp_path / "card.pdf").write_bytes(pdf)
    subprocess.run(
        [pdftoppm, "-png", "-r", "100", "-f", "1", "-l", "1", "-singlefile", tmp_path / "card.pdf", tmp_path / "card"],
        check=True,
    )
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(tmp_path / "card.png", SCREENSHOT)
    assert SCREENSHOT.stat().st_size > 10_000
