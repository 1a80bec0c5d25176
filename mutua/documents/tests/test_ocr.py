"""OCR in the background: tesseract reads a generated receipt, the document gets the proposals."""

import io
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mutua.accounts.tests.factories import MemberUserFactory
from mutua.documents.models import Document
from mutua.documents.ocr import ocr_available
from mutua.documents.services import document_check, document_ocr, document_ocr_queue, document_store
from mutua.documents.tests.pdfs import blank_pdf
from mutua.documents.tests.receipts import encoded, phone_photo, receipt_image, rephotographed

pytestmark = pytest.mark.django_db

RECEIPT = receipt_image()


@pytest.fixture
def tesseract():
    missing = ocr_available()
    if missing:
        pytest.skip(f"MISSING: {missing}")


def store(data: bytes, name: str = "receipt.jpg") -> Document:
    user = MemberUserFactory()
    checked = document_check(SimpleUploadedFile(name, data))
    return document_store(member=user.member, checked=checked, kind="invoice", by=user)


def read_in_background(document: Document, capture) -> Document:
    with capture(execute=True) as callbacks:
        document_ocr_queue(document=document)
        assert Document.objects.get(pk=document.pk).ocr_done_at is None  # nothing before the commit
    assert len(callbacks) == 1
    return Document.objects.get(pk=document.pk)


def test_a_receipt_photo_is_read_in_the_background(tesseract, django_capture_on_commit_callbacks):
    document = read_in_background(store(encoded(phone_photo(RECEIPT))), django_capture_on_commit_callbacks)
    assert document.ocr_done_at is not None
    assert "Pharmacie du Centre" in document.ocr_text
    assert document.ocr_amounts[0] == "45.00"
    assert {"3.50", "17.50"} <= set(document.ocr_amounts)
    assert document.ocr_dates == ["2024-03-12"]
    assert str(document.ocr_amount_proposals[0]) == "45.00"
    assert document.ocr_date_proposals[0].isoformat() == "2024-03-12"


def test_a_receipt_photographed_askew_is_read_alike(tesseract):
    document = document_ocr(document_id=store(rephotographed(RECEIPT)).pk)
    assert document.ocr_amounts[0] == "45.00" and document.ocr_dates[0] == "2024-03-12"


def test_a_scanned_pdf_is_read_from_its_first_page(tesseract):
    out = io.BytesIO()
    second_page = receipt_image(shop="Optique Lafayette", total="99,00 €", when="01/01/2023")
    RECEIPT.save(out, format="PDF", resolution=150, save_all=True, append_images=[second_page])
    document = document_ocr(document_id=store(out.getvalue(), "scan.pdf").pk)
    assert document.ocr_amounts[0] == "45.00" and document.ocr_dates == ["2024-03-12"]
    assert "Lafayette" not in document.ocr_text


def test_a_pdf_with_text_is_read_from_its_text_layer():
    import weasyprint

    html = "<h1>Cabinet médical</h1><p>Consultation du 12 mars 2024</p><p>Montant: 23.50 EUR</p>"
    document = document_ocr(document_id=store(weasyprint.HTML(string=html).write_pdf(), "bill.pdf").pk)
    assert "Cabinet médical" in document.ocr_text
    assert document.ocr_amounts == ["23.50"] and document.ocr_dates == ["2024-03-12"]


def test_a_blank_page_reads_as_nothing():
    document = document_ocr(document_id=store(blank_pdf(), "x.pdf").pk)
    assert document.ocr_done_at is not None
    assert (document.ocr_text, document.ocr_amounts, document.ocr_dates) == ("", [], [])


def test_a_document_removed_before_its_turn_is_skipped():
    assert document_ocr(document_id=uuid.uuid4()) is None
