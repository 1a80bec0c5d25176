"""Teletransmission pages: the back office for the management unit only, the member's own view."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from mutua.accounts.models import Role
from mutua.accounts.tests.factories import PASSWORD, MemberUserFactory, StaffUserFactory
from mutua.benefits.models import Claim
from mutua.contracts.models import Teletransmission
from mutua.core.crypto import search_digest
from mutua.core.selectors import status_history
from mutua.core.tests.helpers import member_login, staff_login
from mutua.teletransmission.models import AmChunk, AmException, AmFile
from mutua.teletransmission.tests.helpers import act, file_text

pytestmark = pytest.mark.django_db

NIR = "185057800608491"
OTHER_NIR = "287037512345687"


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def member_user():
    return MemberUserFactory(
        member__cover_start=date(2020, 1, 1), member__nir=NIR, member__nir_digest=search_digest(NIR)
    )


def staff_client(role=Role.CLAIMS_HANDLER):
    user = StaffUserFactory(role=role)
    client = Client()
    staff_login(client, user, PASSWORD)
    return client, user


def upload(client, text, name="am.txt"):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return client.post(reverse("backoffice:am_files"), {"file": SimpleUploadedFile(name, data)})


def test_a_handler_uploads_a_file_and_follows_it_to_the_end(member_user, run_tasks):
    client, handler = staff_client()
    response = run_tasks(upload, client, file_text([act(1, NIR), act(2, OTHER_NIR, birth_date=date(1987, 3, 9))]))
    am_file = AmFile.objects.get()
    assert response.status_code == 302 and response.url == reverse("backoffice:am_file", args=[am_file.pk])
    assert am_file.status == AmFile.Status.DONE  # checked, cut and paid by the (immediate) workers
    assert am_file.received_by == handler
    assert not am_file.staged  # the encrypted upload is gone once cut
    page = client.get(response.url).content.decode()
    assert "100 %" in page and "1 lines paid" in page and "1 lines in the exception queue" in page
    assert 'http-equiv="refresh"' not in page  # finished: no more refreshing
    listing = client.get(reverse("backoffice:am_files")).content.decode()
    assert "F2026-0001" in listing


def test_a_file_being_processed_refreshes_its_page(member_user):
    client, _handler = staff_client()
    am_file = AmFile.objects.create(
        name="x.txt", sha256="0" * 64, status=AmFile.Status.PROCESSING, chunk_count=2, line_count=6
    )
    AmChunk.objects.create(file=am_file, number=1, first_seq=1, line_count=3, records="", status="done")
    AmChunk.objects.create(file=am_file, number=2, first_seq=4, line_count=3, records="")
    page = client.get(reverse("backoffice:am_file", args=[am_file.pk])).content.decode()
    assert 'http-equiv="refresh"' in page
    assert "50 %" in page and "3 of 6 lines" in page


def test_a_refused_upload_shows_the_report_and_writes_nothing(member_user, run_tasks):
    client, _handler = staff_client()
    run_tasks(upload, client, file_text([act(1, NIR)]).replace("|G|", "|G1X|"))
    am_file = AmFile.objects.get()
    assert am_file.status == AmFile.Status.REFUSED
    page = client.get(reverse("backoffice:am_file", args=[am_file.pk])).content.decode()
    assert "Nothing of this file was used" in page
    assert "is not a valid NGAP code" in page
    assert not AmChunk.objects.exists() and not Claim.objects.exists()


def test_uploads_that_are_not_text_or_too_large_are_refused_at_once(settings):
    client, _handler = staff_client()
    response = upload(client, b"\x89PNG\r\n\x1a\n\0\0\0binary", "am.txt")
    assert response.status_code == 400
    assert "not an AM statement file" in response.content.decode()
    settings.TELETRANSMISSION_MAX_FILE_BYTES = 10
    response = upload(client, file_text([act(1, NIR)]))
    assert response.status_code == 400
    assert "larger than" in response.content.decode()
    assert not AmFile.objects.exists()


@pytest.mark.parametrize("role", [Role.FINANCE, Role.MEDICAL_ADVISOR])
def test_other_staff_cannot_reach_the_teletransmission_back_office(role):
    client, _user = staff_client(role)
    for name in ("backoffice:am_files", "backoffice:am_exceptions"):
        assert client.get(reverse(name)).status_code == 403
    assert upload(client, file_text([act(1, NIR)])).status_code == 403
    assert not AmFile.objects.exists()


def test_members_cannot_reach_the_back_office(member_user):
    client = Client()
    member_login(client, member_user.username, PASSWORD)
    response = client.get(reverse("backoffice:am_exceptions"))
    assert response.status_code in (302, 403)
    assert "Teletransmission exceptions" not in response.content.decode()


def test_the_exception_queue_and_its_actions(member_user, tmp_path):
    from mutua.teletransmission.services import am_file_drain, am_file_import
    from mutua.teletransmission.tests.helpers import write

    am_file = am_file_import(path=write(tmp_path, file_text([act(1, OTHER_NIR), act(2, OTHER_NIR)])))
    am_file_drain(am_file_id=am_file.pk)
    client, handler = staff_client()
    queue = client.get(reverse("backoffice:am_exceptions")).content.decode()
    assert "F2026-0001 #1" in queue and "no member or beneficiary has this social security number" in queue
    first, second = AmException.objects.order_by("seq")
    action = "backoffice:am_exception_action"
    # Identified by the handler: paid to the member.
    response = client.post(
        reverse(action, args=[first.pk, "assign"]),
        {"assign-member_number": member_user.member.member_number, "assign-rank": 0, "assign-note": "checked by phone"},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == AmException.Status.RESOLVED and first.claim_item.claim.member == member_user.member
    # Retried with the cause unchanged: still open, and the handler is told why.
    response = client.post(reverse(action, args=[second.pk, "retry"]), {"retry-note": ""}, follow=True)
    assert "Still not payable" in response.content.decode()
    # Closed with a reason.
    client.post(reverse(action, args=[second.pk, "dismiss"]), {"dismiss-note": "not our member"})
    second.refresh_from_db()
    assert second.status == AmException.Status.DISMISSED
    assert status_history(instance=second)[0].changed_by == handler
    assert client.post(reverse(action, args=[second.pk, "unknown"]), {}).status_code == 404


def test_the_member_sees_the_status_and_how_to_check_it_and_the_claims_sent_by_the_am(member_user, tmp_path):
    from mutua.teletransmission.services import am_file_drain, am_file_import
    from mutua.teletransmission.tests.helpers import write

    am_file = am_file_import(path=write(tmp_path, file_text([act(1, NIR)])))
    am_file_drain(am_file_id=am_file.pk)
    client = Client()
    member_login(client, member_user.username, PASSWORD)
    contract = client.get(reverse("contracts:my_contract")).content.decode()
    assert "Teletransmission" in contract and "Active" in contract
    assert "recevra directement ce décompte" in contract
    claims = client.get(reverse("claims:list")).content.decode()
    assert "sent by the Assurance Maladie" in claims
    claim = Claim.objects.get()
    detail = client.get(reverse("claims:detail", args=[claim.pk])).content.decode()
    assert "Sent to us directly by the Assurance Maladie" in detail
    # Another member gets the same answer as for a claim that does not exist.
    stranger = MemberUserFactory()
    other = Client()
    member_login(other, stranger.username, PASSWORD)
    assert other.get(reverse("claims:detail", args=[claim.pk])).status_code == 404


def test_a_handler_changes_a_persons_status_with_a_reason(member_user):
    client, _handler = staff_client()
    member = member_user.member
    url = reverse("backoffice:teletransmission_status", args=[member.pk])
    client.post(url, {"person": "m", "status": Teletransmission.STOPPED, "reason": ""})
    member.refresh_from_db()
    assert member.teletransmission == Teletransmission.PENDING  # no reason: nothing changed
    client.post(url, {"person": "m", "status": Teletransmission.STOPPED, "reason": "other insurer"})
    member.refresh_from_db()
    assert member.teletransmission == Teletransmission.STOPPED
    page = client.get(reverse("backoffice:household", args=[member.pk])).content.decode()
    assert f"Teletransmission of {member.full_name}: being set up → stopped (other insurer), by " in page
    finance, _user = staff_client(Role.FINANCE)
    assert finance.post(url, {"person": "m", "status": "active", "reason": "x"}).status_code == 403


def test_chunks_set_aside_are_shown_and_put_back_by_a_handler(member_user):
    client, _handler = staff_client()
    am_file = AmFile.objects.create(name="x.txt", sha256="0" * 64, status=AmFile.Status.PROCESSING, chunk_count=1)
    AmChunk.objects.create(
        file=am_file, number=1, first_seq=1, line_count=3, records="", status="failed", last_error="ValueError: x"
    )
    page = client.get(reverse("backoffice:am_file", args=[am_file.pk])).content.decode()
    assert "Chunks set aside after repeated errors" in page and "ValueError: x" in page
    client.post(reverse("backoffice:am_file_retry", args=[am_file.pk]))
    assert AmChunk.objects.get().status in {"pending", "done"}


def test_a_forged_person_is_refused_without_an_error_page(member_user):
    client, _handler = staff_client()
    url = reverse("backoffice:teletransmission_status", args=[member_user.member.pk])
    response = client.post(url, {"person": "x'--", "status": "stopped", "reason": "r"})
    assert response.status_code == 302
    member_user.member.refresh_from_db()
    assert member_user.member.teletransmission == Teletransmission.PENDING
