"""The member downloads their own card; a provider checks it on a public page that says little."""

import io
import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import override
from pypdf import PdfReader

from mutua.accounts.tests.factories import PASSWORD, MemberUserFactory, StaffUserFactory
from mutua.cards.services import card_token_make
from mutua.contracts.tests.factories import BeneficiaryFactory, MemberFactory
from mutua.core.tests.helpers import member_login, staff_login

from .conftest import SUBSCRIBER_ADDRESS, SUBSCRIBER_NIR

pytestmark = pytest.mark.django_db

DOWNLOAD = "/card/portal/download/"


def test_urls():
    assert reverse("cards:download") == DOWNLOAD
    assert reverse("cards:verify", kwargs={"token": "abc:def"}) == "/card/verify/abc:def/"


def pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


# --- download -----------------------------------------------------------------------------


def test_download_requires_login(client):
    response = client.get(DOWNLOAD)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_staff_cannot_download_a_card(client):
    staff = StaffUserFactory()
    staff_login(client, staff, PASSWORD)
    assert client.get(DOWNLOAD).status_code == 403


def test_each_member_gets_their_own_household_card(client, household):
    user = MemberUserFactory(member=household)
    other = MemberFactory(first_name="Bruno", last_name="Lefebvre")
    BeneficiaryFactory(member=other, first_name="Zoé")
    other_user = MemberUserFactory(member=other)

    member_login(client, user.username, PASSWORD)
    response = client.get(DOWNLOAD)
    assert response.status_code == 200
    assert f'filename="member-card-{household.member_number}.pdf"' in response["Content-Disposition"]
    text = pdf_text(response)
    assert household.member_number in text and "Anne Martin" in text and "Léa Martin" in text
    assert other.member_number not in text and "Lefebvre" not in text and "Zoé" not in text

    client.logout()
    member_login(client, other_user.username, PASSWORD)
    text = pdf_text(client.get(DOWNLOAD))
    assert other.member_number in text and "Bruno Lefebvre" in text and "Zoé Lefebvre" in text
    assert household.member_number not in text and "Martin" not in text


def test_query_string_cannot_pick_another_household(client, household):
    user = MemberUserFactory(member=household)
    other = MemberFactory()
    member_login(client, user.username, PASSWORD)
    text = pdf_text(client.get(DOWNLOAD, {"member": other.pk, "member_number": other.member_number}))
    assert household.member_number in text and other.member_number not in text


def test_downloaded_card_dates_and_management_unit(client, household):
    user = MemberUserFactory(member=household)
    member_login(client, user.username, PASSWORD)
    today = timezone.localdate()
    text = pdf_text(client.get(DOWNLOAD, HTTP_ACCEPT_LANGUAGE="fr"))
    with override("fr"):
        assert date_format(today, "SHORT_DATE_FORMAT") in text
        assert date_format(date(today.year, 12, 31), "SHORT_DATE_FORMAT") in text
    assert household.management_unit.phone in text


def test_member_not_covered_today_gets_a_message_instead_of_a_card(client, household):
    household.cover_end = timezone.localdate() - timedelta(days=1)
    household.save()
    user = MemberUserFactory(member=household)
    member_login(client, user.username, PASSWORD)
    response = client.get(DOWNLOAD, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert "No member card can be issued today" in body
    assert household.management_unit.phone in body


def test_the_qr_code_opens_the_verification_page(client, household, monkeypatch):
    """The download signs a token for this household, and the page it points at accepts it."""
    seen = {}

    import mutua.cards.views as views

    real = views.card_pdf_render

    def spy(*, card, verify_url):
        seen["url"] = verify_url
        return real(card=card, verify_url=verify_url)

    monkeypatch.setattr(views, "card_pdf_render", spy)
    user = MemberUserFactory(member=household)
    member_login(client, user.username, PASSWORD)
    client.get(DOWNLOAD)
    client.logout()
    assert seen["url"].startswith("http://testserver/card/verify/")
    response = client.get(seen["url"].removeprefix("http://testserver"), HTTP_ACCEPT_LANGUAGE="en")
    assert "This card is valid on" in response.content.decode()


# --- public verification page -------------------------------------------------------------


def verify_url(token: str) -> str:
    return reverse("cards:verify", kwargs={"token": token})


def test_verification_page_shows_only_validity_and_short_names(client, household):
    household.email = "anne.martin@example.org"
    household.save()
    today = timezone.localdate()
    token = card_token_make(member=household, valid_until=date(today.year, 12, 31))
    response = client.get(verify_url(token), HTTP_ACCEPT_LANGUAGE="en")  # no login
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    body = response.content.decode()
    with override("en"):
        assert f"This card is valid on {date_format(today, 'SHORT_DATE_FORMAT')}." in body
    for name in ("Anne M.", "Paul M.", "Léa M."):
        assert name in body
    leaks = [
        SUBSCRIBER_NIR,
        SUBSCRIBER_NIR[:13],
        "Lilas",
        "Lyon",
        household.email,
        household.phone,
        household.member_number,
        "Martin",  # the full last name
        "Hugo",  # removed beneficiary
        household.management_unit.phone,
        household.contract.number,
        household.contract.employer.name,
        "fr-base-surco",
        "Spouse",
        "Child",
    ]
    for people in (household, *household.beneficiaries.all()):
        born = people.birth_date
        leaks += [born.isoformat(), f"{born:%d/%m/%Y}", f"{born:%m/%d/%Y}", str(born.year)]
    for leak in leaks:
        assert leak not in body, leak
    assert SUBSCRIBER_ADDRESS.splitlines()[0] not in body


@pytest.mark.parametrize("token", ["garbage", "a:b:c", "eyJtIjoxLCJ1IjoiMjA5OS0xMi0zMSJ9:1abc:forged"])
def test_invalid_token_gets_a_neutral_page(client, token):
    response = client.get(verify_url(token), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    body = response.content.decode()
    assert "This card is not valid." in body
    assert "Traceback" not in body


def test_every_refusal_looks_the_same(client, household):
    """Tampered, expired and no-longer-covered tokens give the same page: nothing to tell them apart."""
    today = timezone.localdate()
    year_end = date(today.year, 12, 31)
    valid = card_token_make(member=household, valid_until=year_end)
    tampered = valid[:-2] + ("xx" if not valid.endswith("xx") else "yy")
    expired = card_token_make(member=household, valid_until=today - timedelta(days=1))
    ended = MemberFactory(cover_end=today - timedelta(days=1))
    not_covered = card_token_make(member=ended, valid_until=year_end)
    bodies = set()
    for token in (tampered, expired, not_covered):
        response = client.get(verify_url(token), HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200
        body = response.content.decode().replace(token, "TOKEN")
        assert "This card is not valid." in body
        bodies.add(re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", body))
    assert len(bodies) == 1


def test_verification_page_needs_no_javascript_and_no_external_resource(client, household):
    token = card_token_make(member=household, valid_until=date(timezone.localdate().year, 12, 31))
    body = client.get(verify_url(token)).content.decode()
    assert "<script" not in body
    assert "http://" not in body and "https://" not in body


def test_only_get_is_allowed(client, household):
    token = card_token_make(member=household, valid_until=date(timezone.localdate().year, 12, 31))
    assert client.post(verify_url(token)).status_code == 405
    user = MemberUserFactory(member=household)
    member_login(client, user.username, PASSWORD)
    assert client.post(DOWNLOAD).status_code == 405
