"""The management unit's queue and answers; the medical advisor's extensions and the reports only they read."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from mutua.accounts.models import Role
from mutua.accounts.tests.factories import PASSWORD, MemberUserFactory, StaffUserFactory
from mutua.claims.tests.helpers import receipt
from mutua.core.models import SecurityEvent
from mutua.core.tests.helpers import member_login, staff_login, totp_now
from mutua.documents.tests.pdfs import page_contents
from mutua.guarantees.extensions import extension_request
from mutua.guarantees.models import Guarantee
from mutua.guarantees.tests.test_services import emergency, planned
from mutua.providers.tests.factories import ProviderFactory, ProviderUserFactory

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def signed_in(role):
    client = Client()
    staff_login(client, StaffUserFactory(role=role), PASSWORD)
    return client


@pytest.fixture
def waiting():
    user = MemberUserFactory()
    today = timezone.localdate()
    outside = ProviderFactory(in_network=False, name="Clinique du Lac")
    later = planned(user, outside, today, start=30)
    soon = emergency(user, ProviderFactory(in_network=False), today, card_shown=False)
    Guarantee.objects.filter(pk=soon.pk).update(deadline=timezone.now() - timedelta(minutes=15))
    return soon, later


def test_the_queue_shows_the_nearest_deadline_first_with_the_time_left(waiting):
    soon, later = waiting
    client = signed_in(Role.CLAIMS_HANDLER)
    assert "Hospital guarantees to answer" in client.get("/backoffice/", **EN).content.decode()
    response = client.get("/backoffice/guarantees/", **EN)
    assert list(response.context["guarantees"]) == [soon, later]
    page = response.content.decode()
    assert page.index(soon.reference) < page.index(later.reference)
    assert re.search(r"overdue by 0 h 1[56]\b", page)
    assert re.search(r"\b23 h 5\d left", page)  # the other one is due in 24 hours


@pytest.mark.parametrize("role", [Role.FINANCE, Role.MEDICAL_ADVISOR])
def test_other_staff_cannot_answer_requests(waiting, role):
    soon, _later = waiting
    client = signed_in(role)
    assert client.get("/backoffice/guarantees/").status_code == 403
    assert client.post(f"/backoffice/guarantees/{soon.pk}/refuse/", {"reason": "non"}).status_code == 403
    soon.refresh_from_db()
    assert soon.status == Guarantee.Status.REQUESTED


def test_members_and_hospitals_never_reach_the_back_office(waiting):
    soon, _later = waiting
    member = Client()
    user = soon.member.account
    member_login(member, user.username, PASSWORD)
    assert member.get(f"/backoffice/guarantees/{soon.pk}/").status_code in (302, 403)
    hospital = Client()
    hospital.force_login(ProviderUserFactory(provider=soon.provider))
    for url in ("/backoffice/guarantees/", f"/backoffice/guarantees/{soon.pk}/", "/backoffice/guarantees/extensions/"):
        assert hospital.get(url).status_code in (302, 403)


def test_the_handler_negotiates_then_issues_through_the_pages(waiting):
    _soon, later = waiting
    client = signed_in(Role.CLAIMS_HANDLER)
    page = client.get(f"/backoffice/guarantees/{later.pk}/", **EN).content.decode()
    assert "Arrange direct settlement with the hospital" in page
    response = client.post(f"/backoffice/guarantees/{later.pk}/issue/", **EN)
    assert "record its agreement to direct settlement first" in response.content.decode()
    response = client.post(
        f"/backoffice/guarantees/{later.pk}/negotiation/",
        {"contact": "M. Blanc, facturation, 04 50", "outcome": "agreed", "terms": ""},
        **EN,
    )
    assert "Write down the terms agreed" in response.content.decode()
    client.post(
        f"/backoffice/guarantees/{later.pk}/negotiation/",
        {"contact": "M. Blanc, facturation", "outcome": "agreed", "terms": "Tiers payant, tarifs du devis"},
    )
    assert client.post(f"/backoffice/guarantees/{later.pk}/issue/").status_code == 302
    later.refresh_from_db()
    assert later.status == Guarantee.Status.ISSUED
    page = client.get(f"/backoffice/guarantees/{later.pk}/", **EN).content.decode()
    assert "Tiers payant, tarifs du devis" in page and "Being arranged with the hospital" in page


def test_medical_reports_are_for_the_medical_advisor_only():
    user = MemberUserFactory()
    clinic = ProviderFactory(in_network=True)
    today = timezone.localdate()
    guarantee = emergency(user, clinic, today, card_shown=False)
    extension = extension_request(
        guarantee=guarantee,
        by=ProviderUserFactory(provider=clinic),
        until=today + timedelta(days=8),
        report=receipt("cr.pdf", salt="compte rendu"),
    )
    report = guarantee.medical_reports.get()
    for role in (Role.CLAIMS_HANDLER, Role.ADMINISTRATOR, Role.FINANCE):
        client = signed_in(role)
        assert client.get(f"/backoffice/guarantees/reports/{report.pk}/").status_code == 403
        assert client.get(f"/backoffice/guarantees/extensions/{extension.pk}/").status_code == 403
        assert client.get("/backoffice/guarantees/extensions/").status_code == 403
        if role != Role.FINANCE:
            page = client.get(f"/backoffice/guarantees/{guarantee.pk}/", **EN).content.decode()
            assert f"/reports/{report.pk}/" not in page and "read by the medical advisor only" in page
    admin = signed_in(Role.ADMINISTRATOR)
    assert admin.get("/backoffice/admin/guarantees/medicalreport/").status_code == 404
    assert not SecurityEvent.objects.filter(action=SecurityEvent.Action.MEDICAL_REPORT_READ).exists()

    advisor = signed_in(Role.MEDICAL_ADVISOR)
    assert "Extensions to decide" in advisor.get("/backoffice/", **EN).content.decode()
    assert guarantee.reference in advisor.get("/backoffice/guarantees/extensions/").content.decode()
    response = advisor.get(f"/backoffice/guarantees/reports/{report.pk}/")
    assert response.status_code == 200 and b"compte rendu" in page_contents(b"".join(response.streaming_content))
    assert response["Content-Disposition"].startswith("attachment;")
    assert SecurityEvent.objects.filter(action=SecurityEvent.Action.MEDICAL_REPORT_READ).count() == 1
    response = advisor.post(
        f"/backoffice/guarantees/extensions/{extension.pk}/",
        {"grant": "1", "until": (today + timedelta(days=6)).isoformat(), "answer": "Prolongation accordée."},
    )
    assert response.status_code == 302
    guarantee.refresh_from_db()
    assert guarantee.valid_until == today + timedelta(days=6) and guarantee.status == Guarantee.Status.ISSUED


def test_wrong_codes_lock_a_hospital_account_out_on_the_hospitals_login_page():
    hospital = ProviderUserFactory()
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/provider/login/", {"username": hospital.username, "password": PASSWORD, "otp_token": "000000"})
    locked = client.post(
        "/provider/login/", {"username": hospital.username, "password": PASSWORD, "otp_token": totp_now(hospital)}
    )
    assert locked.status_code == 429
    assert next(template.name for template in locked.templates) == "providers/login.html"
