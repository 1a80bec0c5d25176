"""A household's history reads as sentences: who did what to whom, values in words, identifiers never
shown; and what is sent around the household page's buttons comes back with a message, not a 400."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from auditlog.context import set_actor
from django.test import Client
from django.utils import timezone

from mutua.accounts.models import Role
from mutua.accounts.tests.factories import PASSWORD, MemberUserFactory, StaffUserFactory
from mutua.contracts.models import Teletransmission
from mutua.contracts.tests.factories import BeneficiaryFactory
from mutua.contracts.tests.test_pages import birth_request
from mutua.core.tests.helpers import member_login, staff_login
from mutua.guarantees.models import Guarantee
from mutua.guarantees.requests import guarantee_issue, guarantee_request, negotiation_record
from mutua.guarantees.stays import Cost
from mutua.providers.tests.factories import ProviderFactory
from mutua.teletransmission.services import teletransmission_status_set

pytestmark = pytest.mark.django_db


@pytest.fixture
def handler(client):
    user = StaffUserFactory(role=Role.CLAIMS_HANDLER, username="alice", first_name="", last_name="")
    staff_login(client, user, PASSWORD)
    return user


@pytest.fixture
def member():
    return MemberUserFactory(member__first_name="Léa", member__last_name="Martin").member


def history_rows(client, member, language="en"):
    html = client.get(f"/backoffice/members/{member.pk}/", headers={"Accept-Language": language}).content.decode()
    table = html[html.rindex("<table>") :]  # the history is the page's last table
    cells = re.findall(r"<td>(.*?)</td>", table[: table.index("</table>")], re.S)
    return cells, html


def test_changed_details_read_as_sentences_with_their_values_in_words(client, handler, member):
    child = BeneficiaryFactory(member=member, first_name="Paul", last_name="Martin")
    with set_actor(handler):
        member.phone, member.postal_address = "+33 6 12 34 56 78", "3 rue des Lilas\n75011 Paris"
        member.iban = "FR1420041010050500013M02606"
        member.save()
        child.has_income, child.birth_date = True, date(2014, 5, 6)
        child.save()
    rows, html = history_rows(client, member)
    assert (
        "Details of Léa Martin changed: phone set to +33 6 12 34 56 78 · postal address set to 3 rue des Lilas "
        "75011 Paris · IBAN changed, by alice" in rows
    )
    assert (
        "Details of Paul Martin changed: birth date: 03/02/2015 → 06/05/2014 · has an income from work or a "
        "replacement income: no → yes, by alice" in rows
    )
    assert "Paul Martin added as a beneficiary, by Mutua (automatic)" in rows
    assert "2606" not in html and "FR14" not in html  # the IBAN is never shown, not even masked
    history = html[html.index("<h2>History</h2>") :]
    assert "—" not in history and "{" not in history and "None" not in history

    french, _ = history_rows(client, member, language="fr")
    assert any(row.startswith("Informations de Léa Martin modifiées") and row.endswith(", par alice") for row in french)


def test_status_changes_name_the_person_or_the_guarantee_and_who_made_them(client, handler, member):
    teletransmission_status_set(
        person=member, status=Teletransmission.ACTIVE, by=handler, reason="statements received from the AM"
    )
    today = timezone.localdate()
    guarantee = guarantee_request(
        member=member,
        beneficiary=None,
        by=member.account,
        channel=Guarantee.Channel.PORTAL,
        kind=Guarantee.Kind.PLANNED,
        stay_kind=Guarantee.StayKind.SURGICAL,
        admission_date=today + timedelta(days=5),
        expected_discharge=today + timedelta(days=8),
        provider=ProviderFactory(in_network=False),
        costs=[Cost("hosp.stay", Decimal("3000.00"), Decimal("2500.00"))],
    )
    assert guarantee.status != Guarantee.Status.ISSUED  # outside the network: a handler issues it
    negotiation_record(guarantee=guarantee, by=handler, contact="Mme Roy", outcome="agreed", terms="Tiers payant")
    guarantee = guarantee_issue(guarantee=guarantee, by=handler)
    rows, _ = history_rows(client, member)
    assert "Teletransmission of Léa Martin: being set up → active (statements received from the AM), by alice" in rows
    issued = rf"Guarantee {guarantee.reference}: Being arranged with the hospital → Issued \(.+\), by alice"
    assert any(re.fullmatch(issued, row) for row in rows)
    assert not any("Details of" in row for row in rows)  # the status change is told once, with who and why


def test_choices_sent_around_the_households_buttons_get_the_page_back_with_a_message(client, handler, member):
    child = BeneficiaryFactory(member=member)
    response = client.post(
        f"/backoffice/beneficiaries/{child.pk}/optional-cover/",
        {"date": "2026-01-01", "action": "sideways"},
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 422
    assert "Choose to start or to end the optional cover." in response.content.decode()
    assert member.full_name in response.content.decode()  # the household's page, not an empty one


def test_a_request_answered_with_neither_button_gets_the_page_back_with_a_message(handler, member):
    portal = Client()
    member_login(portal, member.account.username, PASSWORD)
    assert birth_request(portal, timezone.localdate() - timedelta(days=5)).status_code == 302
    change = member.change_requests.get()
    back = Client()
    staff_login(back, handler, PASSWORD)
    response = back.post(
        f"/backoffice/change-requests/{change.pk}/decide/",
        {"decision": "", "reason": "OK"},
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 422
    assert "Choose to accept or to refuse the request." in response.content.decode()
    assert "acte.pdf" in response.content.decode()  # the household's page, its request still to answer
    change.refresh_from_db()
    assert change.status == "submitted"
