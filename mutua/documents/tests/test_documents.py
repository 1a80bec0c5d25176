import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from mutua.accounts.tests.factories import PASSWORD, MemberUserFactory, StaffUserFactory
from mutua.core.models import SecurityEvent
from mutua.core.tests.helpers import member_login, staff_login
from mutua.documents.models import Document
from mutua.documents.services import document_check, document_store
from mutua.documents.tests.pdfs import text_pdf

pytestmark = pytest.mark.django_db

PDF = text_pdf()


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), "white")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0x0131] = "GPS-tagging-app"  # software
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, comment=b"secret-comment")
    return out.getvalue()


def test_type_comes_from_the_content_not_the_name():
    with translation.override("en"), pytest.raises(ValidationError, match="Only PDF, JPEG and PNG"):
        document_check(SimpleUploadedFile("invoice.pdf", b"<html><script>alert(1)</script></html>"))
    checked = document_check(SimpleUploadedFile("scan.exe", PDF))
    assert checked.content_type == "application/pdf" and checked.display_name == "scan.pdf"


def test_file_names_are_never_trusted():
    checked = document_check(SimpleUploadedFile("../../etc/passwd;rm -rf.pdf", PDF))
    assert checked.display_name == "passwd-rm--rf.pdf"


def test_size_limit(settings):
    settings.DOCUMENT_MAX_BYTES = 100
    with translation.override("en"), pytest.raises(ValidationError, match="too big"):
        document_check(SimpleUploadedFile("big.pdf", PDF + b"0" * 200))


def test_image_dimension_limit(settings):
    settings.DOCUMENT_MAX_PIXELS = 1000
    with translation.override("en"), pytest.raises(ValidationError, match="too large"):
        document_check(SimpleUploadedFile("photo.jpg", jpeg_with_gps()))


def test_image_metadata_is_stripped():
    checked = document_check(SimpleUploadedFile("photo.jpg", jpeg_with_gps()))
    with Image.open(io.BytesIO(checked.data)) as image:
        assert not image.getexif()
    assert b"PhoneMaker" not in checked.data and b"secret-comment" not in checked.data


def test_stored_under_a_random_name_with_its_hash():
    user = MemberUserFactory()
    checked = document_check(SimpleUploadedFile("Facture.pdf", PDF))
    document = document_store(member=user.member, checked=checked, kind="invoice", by=user)
    assert "Facture" not in document.file.name
    assert len(document.sha256) == 64 and document.size == len(checked.data)


def test_only_the_household_and_authorised_staff_can_download(client):
    owner = MemberUserFactory()
    checked = document_check(SimpleUploadedFile("f.pdf", PDF))
    document = document_store(member=owner.member, checked=checked, kind="invoice", by=owner)
    url = f"/documents/{document.pk}/"
    member_login(client, owner.username, PASSWORD)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == checked.data
    assert response["Content-Disposition"].startswith("attachment")
    assert "sandbox" in response["Content-Security-Policy"]

    stranger = MemberUserFactory()
    client.post("/logout/")
    member_login(client, stranger.username, PASSWORD)
    assert client.get(url).status_code == 404  # same answer as a missing document

    client.post("/logout/")
    staff_login(client, StaffUserFactory(role="finance"), PASSWORD)
    assert client.get(url).status_code == 404
    client.post("/backoffice/logout/")
    staff_login(client, StaffUserFactory(role="claims_handler"), PASSWORD)
    assert client.get(url).status_code == 200


def test_no_public_url_serves_uploaded_files(client, settings):
    owner = MemberUserFactory()
    document = document_store(
        member=owner.member, checked=document_check(SimpleUploadedFile("f.pdf", PDF)), kind="invoice", by=owner
    )
    assert client.get("/media/" + document.file.name).status_code == 404
    assert Document.objects.count() == 1


def test_a_truncated_picture_is_refused_even_after_weasyprint_loaded():
    import weasyprint  # noqa: F401  (it relaxes Pillow's checks process-wide)

    out = io.BytesIO()
    Image.effect_noise((300, 200), 60).convert("RGB").save(out, format="JPEG", quality=90)
    whole = out.getvalue()
    # Headers intact, picture data cut: Pillow would fill the rest with grey if allowed to.
    with translation.override("en"), pytest.raises(ValidationError, match="cannot be read"):
        document_check(SimpleUploadedFile("cut.jpg", whole[: int(len(whole) * 0.6)]))


def test_an_oversized_request_is_stopped_before_it_is_stored(client, settings):
    settings.MAX_UPLOAD_REQUEST_BYTES = 10_000
    user = MemberUserFactory()
    member_login(client, user.username, PASSWORD)
    response = client.post(
        "/portal/contract/family-change/",
        {
            "kind": "birth",
            "event_date": "2024-01-01",
            "documents": [SimpleUploadedFile("big.pdf", PDF + b"0" * 20_000)],
        },
    )
    assert response.status_code == 400
    assert Document.objects.count() == 0


def test_a_medical_document_is_the_medical_advisors_alone_and_each_reading_is_recorded(client):
    owner = MemberUserFactory()
    checked = document_check(SimpleUploadedFile("certificate.pdf", PDF))
    document = document_store(member=owner.member, checked=checked, kind=Document.Kind.MEDICAL, by=owner)
    url = f"/documents/{document.pk}/"
    staff_login(client, StaffUserFactory(role="claims_handler"), PASSWORD)
    assert client.get(url).status_code == 404
    assert not SecurityEvent.objects.filter(action=SecurityEvent.Action.MEDICAL_REPORT_READ).exists()
    client.post("/backoffice/logout/")
    advisor = StaffUserFactory(role="medical_advisor")
    staff_login(client, advisor, PASSWORD)
    assert client.get(url).status_code == 200
    [reading] = SecurityEvent.objects.filter(action=SecurityEvent.Action.MEDICAL_REPORT_READ)
    assert (reading.by, reading.target) == (advisor, f"document={document.pk}")
    client.post("/backoffice/logout/")
    member_login(client, owner.username, PASSWORD)  # the member's own file: not a staff reading
    assert client.get(url).status_code == 200
    assert SecurityEvent.objects.filter(action=SecurityEvent.Action.MEDICAL_REPORT_READ).count() == 1
