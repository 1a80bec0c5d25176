"""Every accepted file is rewritten: a PDF keeps its pages and nothing a reader runs, a picture only its pixels."""

import io
import struct
import zlib

import pikepdf
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from pypdf import PdfReader

from mutua.documents.imaging import perceptual_hash
from mutua.documents.services import document_check
from mutua.documents.tests.pdfs import HTML, active_content, blank_pdf, hostile_pdf, text_pdf

pytestmark = pytest.mark.django_db


def checked(data: bytes, name: str = "facture.pdf") -> bytes:
    return document_check(SimpleUploadedFile(name, data)).data


def refusal(data: bytes, name: str = "facture.pdf") -> str:
    with translation.override("en"), pytest.raises(ValidationError) as error:
        document_check(SimpleUploadedFile(name, data))
    return error.value.messages[0]


def test_the_hostile_pdf_really_is_hostile():
    """The detector sees each active part it is meant to see: otherwise the tests below prove nothing."""
    found = " ".join(active_content(hostile_pdf()))
    for part in ("OpenAction", "Root/AA", "Names/JavaScript", "Names/EmbeddedFiles", "XFA", "Kids[0]/AA"):
        assert part in found
    for action in ("JavaScript", "Launch", "URI", "GoToR", "GoToE", "SubmitForm", "ImportData"):
        assert f"action /{action}" in found
    assert "file attachment" in found and "embedded payload" in found and "bytes after %%EOF" in found


def test_a_pdf_is_rewritten_without_scripts_actions_attachments_or_trailing_html():
    cleaned = checked(hostile_pdf(text="Facture 42,00 EUR"))
    assert active_content(cleaned) == []
    assert PdfReader(io.BytesIO(cleaned)).pages[0].extract_text() == "Facture 42,00 EUR"


def test_links_within_the_document_are_kept_and_their_chains_cut():
    with pikepdf.open(io.BytesIO(checked(hostile_pdf()))) as pdf:
        actions = [annotation.A for annotation in pdf.pages[0].Annots if "/A" in annotation]
    assert [action.S for action in actions] == [pikepdf.Name.GoTo] and "/Next" not in actions[0]


def test_author_and_software_are_dropped_like_a_photos_exif():
    pdf = pikepdf.open(io.BytesIO(text_pdf()))
    with pdf.open_metadata() as xmp:
        xmp["dc:creator"] = ["Dr Jean Secret"]
    pdf.docinfo["/Author"] = "Dr Jean Secret"
    out = io.BytesIO()
    pdf.save(out)
    with pikepdf.open(io.BytesIO(checked(out.getvalue()))) as cleaned:
        assert "/Info" not in cleaned.trailer and "/Metadata" not in cleaned.Root


@pytest.mark.parametrize(
    "polyglot",
    [
        pytest.param(b"\xef\xbb\xbf" + text_pdf() + HTML, id="byte-order-mark-then-pdf-then-html"),
        pytest.param(text_pdf().replace(b"\n", b"\n%" + HTML + b"\n", 1), id="html-in-a-pdf-comment"),
    ],
)
def test_a_pdf_html_polyglot_comes_out_as_a_clean_pdf(polyglot):
    cleaned = checked(polyglot)
    assert cleaned.startswith(b"%PDF-") and active_content(cleaned) == []
    assert PdfReader(io.BytesIO(cleaned)).pages[0].extract_text() == "Facture 42,00 EUR"


def test_html_before_the_pdf_header_is_refused():
    assert refusal(HTML + b"\n" + text_pdf()) == "Only PDF, JPEG and PNG files are accepted."


def test_the_same_pdf_sent_twice_gives_the_same_bytes():
    """Duplicates are still found by their hash once files are rewritten."""
    assert checked(hostile_pdf()) == checked(hostile_pdf())
    assert checked(blank_pdf("one")) != checked(blank_pdf("two"))


def test_a_pdf_that_needs_a_password_is_refused():
    pdf = pikepdf.open(io.BytesIO(text_pdf()))
    out = io.BytesIO()
    pdf.save(out, encryption=pikepdf.Encryption(user="1234", owner="5678"))
    assert refusal(out.getvalue()) == "This PDF is protected by a password: send it without the password."


def test_a_pdf_locked_only_against_changes_is_saved_unlocked():
    pdf = pikepdf.open(io.BytesIO(text_pdf()))
    out = io.BytesIO()
    pdf.save(out, encryption=pikepdf.Encryption(user="", owner="5678"))
    with pikepdf.open(io.BytesIO(checked(out.getvalue()))) as cleaned:
        assert not cleaned.is_encrypted


@pytest.mark.parametrize(
    "broken",
    [
        pytest.param(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", id="no-document"),
        pytest.param(b"%PDF-1.7\n" + b"\x00garbage" * 50, id="garbage"),
        pytest.param(text_pdf().replace(b"/Kids [ 3 0 R ]", b"/Kids [ ]"), id="no-page"),
    ],
)
def test_a_pdf_that_cannot_be_read_is_refused(broken):
    assert refusal(broken) == "This PDF cannot be read: save or scan it again as a PDF, or send a photo."


def test_a_pdf_with_too_many_objects_to_check_in_time_is_refused(monkeypatch):
    monkeypatch.setattr("mutua.documents.pdfs.MAX_OBJECTS", 3)
    assert refusal(text_pdf()) == (
        "This PDF is too complex to check: print it again as a new PDF, or send a photo of its pages."
    )


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` × ``height`` pixels (nothing of that size is allocated)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0")) + chunk(b"IEND", b"")


@pytest.mark.parametrize("side", [6000, 30000], ids=["36-megapixels", "900-megapixels"])
def test_a_huge_picture_is_refused_as_too_large_with_the_limit(side):
    """Beyond Pillow's own limit (about 180 megapixels) it used to be called unreadable."""
    message = refusal(png_claiming(side, side), name="scan.png")
    assert message == "This picture is too large: at most 25 million pixels are accepted. Send a smaller photo."


def test_a_blank_page_has_no_perceptual_hash():
    """Two blank pages are not the same receipt: only what is drawn is compared."""
    assert perceptual_hash(checked(blank_pdf("a")), "application/pdf") == ""
    assert perceptual_hash(checked(text_pdf()), "application/pdf") != ""
