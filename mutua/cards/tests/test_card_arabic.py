"""The card in Arabic is laid out right to left (the brand at the right edge), yet the management unit's
phone number and postal code read as dialled and as written on an envelope."""

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from django.utils import translation

from mutua.cards.pdf import card_pdf_render
from mutua.cards.selectors import member_card_on

pytestmark = pytest.mark.django_db
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>')


def words_as_drawn(pdf: Path) -> dict[int, list[tuple[float, str]]]:
    """The first page's words by line, each line sorted by where its words are drawn (left to right)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("MISSING: pdftotext (poppler-utils) is needed to read the PDF back")
    boxes = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    rows: dict[int, list[tuple[float, str]]] = {}
    for x, y, word in WORD.findall(boxes):
        rows.setdefault(round(float(y)), []).append((float(x), word))
    return {y: sorted(words) for y, words in sorted(rows.items())}


def test_the_arabic_card_keeps_the_phone_number_and_the_address_in_reading_order(household, tmp_path):
    card = member_card_on(member=household, day=date(2026, 3, 15))
    with translation.override("ar"):
        pdf = card_pdf_render(card=card, verify_url="https://mutua.example/card/verify/x/")
    path = tmp_path / "card-ar.pdf"
    path.write_bytes(pdf)
    lines = words_as_drawn(path)
    drawn = "\n".join(" ".join(word for _, word in words) for words in lines.values())
    phone, town = card.management_unit.phone, card.management_unit.postal_address.splitlines()[-1]
    assert phone in drawn, drawn  # not "00 00 00 00 1 33+"
    assert town in drawn, drawn  # not "Paris 75000"
    brand_x = next(x for words in lines.values() for x, word in words if word == "Mutua")
    assert brand_x > 595 / 2, brand_x  # A4 is 595 pt wide: the header starts on the right
