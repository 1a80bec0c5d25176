"""A picture too small or too blurred to read is accepted with a warning, never refused."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from mutua.documents.imaging import sharpness
from mutua.documents.services import MIN_SHARPNESS, document_check
from mutua.documents.tests.pdfs import blank_pdf
from mutua.documents.tests.receipts import blurred, encoded, phone_photo, receipt_image, rephotographed

RECEIPT = receipt_image()
PDF = blank_pdf()


def warnings_for(data: bytes, name: str = "receipt.jpg") -> tuple[str, ...]:
    with translation.override("en"):
        return document_check(SimpleUploadedFile(name, data)).warnings


@pytest.mark.parametrize(
    "data",
    [
        encoded(RECEIPT),
        encoded(RECEIPT, "PNG"),
        rephotographed(RECEIPT),
        encoded(phone_photo(RECEIPT)),
        encoded(blurred(RECEIPT, 2)),  # a little soft: tesseract still reads every amount
    ],
    ids=["sharp", "sharp-png", "photographed-again", "phone-photo", "slightly-soft"],
)
def test_a_readable_picture_gets_no_warning(data):
    assert warnings_for(data) == ()


@pytest.mark.parametrize("radius", [3, 4, 8])
def test_a_blurred_picture_gets_a_warning(radius):
    warnings = warnings_for(encoded(blurred(RECEIPT, radius)))
    assert warnings == (
        "This picture may be too blurred to read: take it again in good light, holding the phone still.",
    )


def test_blur_is_judged_at_the_same_scale_in_a_large_photo():
    assert warnings_for(encoded(phone_photo(blurred(RECEIPT, 4))))[0].startswith("This picture may be too blurred")


def test_a_tiny_picture_gets_a_warning_with_its_size():
    (warning,) = warnings_for(encoded(RECEIPT.resize((400, 365))))
    assert warning.startswith("This picture is small (400 × 365 pixels) and may be hard to read")


def test_warnings_do_not_stop_the_upload_and_pdfs_get_none():
    checked = document_check(SimpleUploadedFile("tiny.jpg", encoded(blurred(RECEIPT.resize((300, 274)), 3))))
    assert checked.content_type == "image/jpeg" and checked.data and len(checked.warnings) == 1
    assert warnings_for(PDF, "scan.pdf") == ()


def test_the_sharpness_scale_keeps_a_margin_on_both_sides():
    assert sharpness(RECEIPT) > 100 * MIN_SHARPNESS
    assert sharpness(blurred(RECEIPT, 2.5)) > MIN_SHARPNESS > sharpness(blurred(RECEIPT, 3))
