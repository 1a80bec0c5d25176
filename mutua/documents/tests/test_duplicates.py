import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from mutua.accounts.tests.factories import MemberUserFactory
from mutua.documents.imaging import PHASH_SIZE, hash_distance, perceptual_hash
from mutua.documents.selectors import PHASH_MAX_DISTANCE, document_possible_duplicates
from mutua.documents.services import document_check, document_store
from mutua.documents.tests.pdfs import blank_pdf
from mutua.documents.tests.receipts import (
    OPTICIAN_LINES,
    PHARMACY_LINES,
    encoded,
    phone_photo,
    receipt_image,
    rephotographed,
)

RECEIPT = receipt_image()
OTHER_ITEMS = (
    ("Efferalgan 500 mg", "2,18 €"),
    ("Vitamine C 1000", "6,90 €"),
    ("Compresses stériles", "3,40 €"),
    ("Biseptine 250 ml", "5,65 €"),
    ("Crème Dexeryl", "7,43 €"),
    ("Pansements x20", "4,90 €"),
)
# Other receipts, the hardest first: same shop and layout, the same lines in another order.
DIFFERENT_RECEIPTS = {
    "same-shop-lines-reordered": receipt_image(lines=PHARMACY_LINES[2:] + PHARMACY_LINES[:2]),
    "same-shop-fewer-lines": receipt_image(lines=PHARMACY_LINES[:5], total="27,50 €"),
    "same-shop-other-day": receipt_image(when="13/03/2024  09:10", lines=PHARMACY_LINES[:4], total="22,40 €"),
    "same-shop-other-items": receipt_image(lines=OTHER_ITEMS, total="30,46 €"),
    "other-pharmacy-same-lines": receipt_image(
        shop="Pharmacie de la Gare", address="3 place Carnot, 69002 Lyon", lines=PHARMACY_LINES[::-1]
    ),
    "optician": receipt_image(shop="Optique Lafayette", lines=OPTICIAN_LINES, total="487,00 €"),
}


def store(user, data: bytes, name: str = "receipt.jpg"):
    checked = document_check(SimpleUploadedFile(name, data))
    return document_store(member=user.member, checked=checked, kind="invoice", by=user)


def jpeg_hash(data: bytes) -> str:
    return perceptual_hash(data, "image/jpeg")


def pdf_of(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PDF", resolution=150)  # a scanned receipt: one picture on one page
    return out.getvalue()


def test_the_hash_has_256_bits():
    assert len(jpeg_hash(encoded(RECEIPT))) == PHASH_SIZE * PHASH_SIZE // 4


@pytest.mark.parametrize("angle", [-4, -2.5, -1, 1.5, 4])
@pytest.mark.parametrize("scale", [0.7, 1.37, 3.0])
def test_the_same_receipt_photographed_again_stays_within_the_threshold(angle, scale):
    again = rephotographed(RECEIPT, angle=angle, scale=scale, brightness=0.8 if angle < 0 else 1.1)
    assert hash_distance(jpeg_hash(encoded(RECEIPT)), jpeg_hash(again)) <= PHASH_MAX_DISTANCE // 2


@pytest.mark.parametrize("name", DIFFERENT_RECEIPTS)
def test_a_different_receipt_stays_beyond_the_threshold(name):
    other = DIFFERENT_RECEIPTS[name]
    assert hash_distance(jpeg_hash(encoded(RECEIPT)), jpeg_hash(encoded(other))) > PHASH_MAX_DISTANCE * 3 // 2


def test_a_scan_and_a_photo_of_one_receipt_look_alike():
    scan = perceptual_hash(pdf_of(RECEIPT), "application/pdf")
    assert hash_distance(scan, jpeg_hash(rephotographed(RECEIPT))) <= PHASH_MAX_DISTANCE


def test_a_pdf_without_a_page_has_no_picture_hash():
    assert perceptual_hash(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf") == ""
    assert perceptual_hash(b"%PDF-1.4 garbage", "application/pdf") == ""


@pytest.mark.django_db
def test_the_same_receipt_sent_again_is_a_possible_duplicate():
    user = MemberUserFactory()
    first = store(user, encoded(phone_photo(RECEIPT)))
    others = [store(user, encoded(image)) for image in DIFFERENT_RECEIPTS.values()]
    again = store(user, rephotographed(RECEIPT))
    assert first.phash and again.phash and first.sha256 != again.sha256
    assert document_possible_duplicates(document=again) == [first]
    assert all(document_possible_duplicates(document=other) == [] for other in others)
    assert document_possible_duplicates(document=first) == []  # only earlier documents


@pytest.mark.django_db
def test_the_same_file_is_a_duplicate_by_its_bytes_even_without_a_picture():
    user = MemberUserFactory()
    pdf = blank_pdf()
    first, second = store(user, pdf, "a.pdf"), store(user, pdf, "b.pdf")
    assert first.phash == "" and first.sha256 == second.sha256
    assert document_possible_duplicates(document=second) == [first]


@pytest.mark.django_db
def test_exact_copies_come_before_look_alikes():
    user = MemberUserFactory()
    photo = store(user, rephotographed(RECEIPT))
    scan = store(user, pdf_of(RECEIPT), "scan.pdf")
    scan_again = store(user, pdf_of(RECEIPT), "scan-again.pdf")
    assert document_possible_duplicates(document=scan_again) == [scan, photo]


@pytest.mark.django_db
def test_another_household_s_receipt_is_not_a_duplicate():
    user, neighbour = MemberUserFactory(), MemberUserFactory()
    data = encoded(RECEIPT)
    store(neighbour, data)
    assert document_possible_duplicates(document=store(user, data)) == []
