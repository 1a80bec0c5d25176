"""What the card shows, the token its QR code carries, and the check a provider runs."""

import base64
import io
import json
import re
from datetime import date, timedelta
from urllib.parse import unquote

import pytest
from django.core import signing
from django.utils import translation
from django.utils.formats import date_format
from pypdf import PdfReader

from mutua.cards.acts import THIRD_PARTY_ACTS
from mutua.cards.pdf import card_html, card_pdf_render
from mutua.cards.selectors import card_check, card_valid_until, member_card_on
from mutua.cards.services import CARD_TOKEN_SALT, card_token_make
from mutua.contracts.tests.factories import BeneficiaryFactory, MemberFactory

pytestmark = pytest.mark.django_db

DAY = date(2026, 3, 15)


def short(day: date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


# --- card contents ---------------------------------------------------------------------


def test_card_lists_subscriber_then_covered_beneficiaries_by_rank(household):
    card = member_card_on(member=household, day=DAY)
    assert [(h.first_name, h.rank) for h in card.holders] == [("Anne", 1), ("Paul", 2), ("Léa", 3)]
    assert card.holders[2].birth_date == date(2015, 2, 3)
    assert card.valid_from == DAY
    assert card.valid_until == date(2026, 12, 31)
    assert card.acts == THIRD_PARTY_ACTS


def test_card_ends_with_the_cover_when_it_ends_before_the_year(household):
    household.cover_end = date(2026, 6, 30)
    household.save()
    card = member_card_on(member=household, day=DAY)
    assert card.valid_until == date(2026, 6, 30)
    assert {h.valid_until for h in card.holders} == {date(2026, 6, 30)}


def test_card_ends_with_a_contract_terminated_before_the_year():
    member = MemberFactory()
    member.contract.termination_date = date(2026, 10, 1)
    member.contract.save()
    assert member_card_on(member=member, day=DAY).valid_until == date(2026, 9, 30)


def test_a_child_turning_18_is_covered_until_the_eve_of_the_birthday():
    child = BeneficiaryFactory(birth_date=date(2008, 9, 1))
    card = member_card_on(member=child.member, day=DAY)
    assert card.valid_until == date(2026, 12, 31)
    assert card.holders[1].valid_until == date(2026, 8, 31)


def test_validity_end_rule():
    assert card_valid_until(day=DAY, cover_until=None) == date(2026, 12, 31)
    assert card_valid_until(day=DAY, cover_until=date(2027, 5, 1)) == date(2026, 12, 31)
    assert card_valid_until(day=DAY, cover_until=date(2026, 4, 1)) == date(2026, 4, 1)


def test_no_card_when_the_subscriber_is_not_covered(household):
    household.cover_end = DAY - timedelta(days=1)
    household.save()
    assert member_card_on(member=household, day=DAY) is None
    assert member_card_on(member=MemberFactory(cover_start=DAY + timedelta(days=1)), day=DAY) is None


# --- the PDF -----------------------------------------------------------------------------


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_pdf_shows_number_people_dates_and_management_unit(household, language):
    card = member_card_on(member=household, day=DAY)
    with translation.override(language):
        pdf = card_pdf_render(card=card, verify_url="https://mutua.example/card/verify/x/")
        start, end, born = short(DAY), short(date(2026, 12, 31)), short(date(2015, 2, 3))
    assert pdf.startswith(b"%PDF-")
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    text = pdf_text(pdf)
    assert household.member_number in text
    for name in ("Anne Martin", "Paul Martin", "Léa Martin"):
        assert name in text
    assert "Hugo" not in text  # removed from the contract
    assert start in text and end in text and born in text
    assert household.management_unit.phone in text
    assert household.management_unit.email in text
    assert "PHAR" in text and "HOSP" in text
    assert household.nir not in text  # the card never prints a NIR


def test_pdf_embeds_its_qr_code_and_fetches_nothing(household):
    card = member_card_on(member=household, day=DAY)
    url = "https://mutua.example/card/verify/abc:def/"
    html = card_html(card=card, verify_url=url)
    sources = re.findall(r'(?:src|href)="([^"]*)"', html) + re.findall(r"url\(([^)]*)\)", html)
    assert sources, "the QR code image is in the page"
    assert all(source.startswith("data:image/svg+xml") for source in sources), sources
    svg = unquote(sources[0].split(",", 1)[1])
    assert svg.startswith("<svg") and "<path" in svg
    assert url not in html  # the verification link travels only inside the QR code


# --- the token ---------------------------------------------------------------------------


def _payload(token: str) -> dict:
    encoded = token.split(":")[0]
    return json.loads(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))


def test_token_carries_only_the_member_id_and_the_validity_end(household):
    token = card_token_make(member=household, valid_until=date(2026, 12, 31))
    assert len(token.split(":")) == 3  # payload, signing time, signature
    assert _payload(token) == {"m": household.pk, "u": "2026-12-31"}
    for personal in (household.member_number, "Martin", "Anne", "1985", household.nir):
        assert personal not in token


def test_token_round_trip(household):
    token = card_token_make(member=household, valid_until=date(2026, 12, 31))
    check = card_check(token=token, day=DAY)
    assert check.day == DAY
    assert check.names == ("Anne M.", "Paul M.", "Léa M.")
    assert card_check(token=token, day=date(2026, 12, 31)) is not None


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # signature changed
        lambda t: t.replace(t.split(":")[0], "x" + t.split(":")[0][1:]),  # payload changed
        lambda t: "",
        lambda t: "not-a-token",
        lambda t: t + ":extra",
    ],
)
def test_tampered_token_is_refused(household, tamper):
    token = card_token_make(member=household, valid_until=date(2026, 12, 31))
    assert card_check(token=tamper(token), day=DAY) is None


def test_token_for_another_member_with_a_reused_signature_is_refused(household):
    other = MemberFactory()
    token = card_token_make(member=household, valid_until=date(2026, 12, 31))
    forged_payload = base64.urlsafe_b64encode(json.dumps({"m": other.pk, "u": "2026-12-31"}).encode()).rstrip(b"=")
    forged = ":".join([forged_payload.decode(), *token.split(":")[1:]])
    assert card_check(token=forged, day=DAY) is None


def test_token_signed_for_another_purpose_is_refused(household):
    token = signing.dumps({"m": household.pk, "u": "2026-12-31"}, salt="another.salt")
    assert card_check(token=token, day=DAY) is None
    odd = signing.dumps({"m": str(household.pk), "u": "2026-12-31"}, salt=CARD_TOKEN_SALT)
    assert card_check(token=odd, day=DAY) is None


def test_expired_token_is_refused(household):
    token = card_token_make(member=household, valid_until=DAY - timedelta(days=1))
    assert card_check(token=token, day=DAY) is None


def test_member_whose_cover_ended_is_refused_even_with_an_unexpired_token(household):
    token = card_token_make(member=household, valid_until=date(2026, 12, 31))
    household.cover_end = DAY - timedelta(days=1)
    household.save()
    assert card_check(token=token, day=DAY) is None


def test_beneficiary_removed_after_issue_no_longer_shows(household):
    token = card_token_make(member=household, valid_until=date(2026, 12, 31))
    household.beneficiaries.filter(first_name="Paul").update(removed_on=DAY)
    assert card_check(token=token, day=DAY).names == ("Anne M.", "Léa M.")


def test_token_of_a_deleted_member_is_refused():
    member = MemberFactory()
    token = card_token_make(member=member, valid_until=date(2026, 12, 31))
    member.delete()
    assert card_check(token=token, day=DAY) is None


def test_large_household_is_listed_in_full_and_the_wallet_copy_says_how_many_more():
    member = MemberFactory(first_name="Anne", last_name="Grand")
    for rank in range(2, 11):
        BeneficiaryFactory(member=member, rank=rank, first_name=f"Enfant{rank}", birth_date=date(2015, 1, rank))
    card = member_card_on(member=member, day=DAY)
    assert len(card.holders) == 10 and len(card.wallet_holders) == 7 and card.wallet_more == 3
    with translation.override("en"):
        text = pdf_text(card_pdf_render(card=card, verify_url="https://mutua.example/card/verify/x/"))
    for rank in range(2, 11):
        assert f"Enfant{rank} Grand" in text
    assert "and 3 more people, listed in full on this document." in text
