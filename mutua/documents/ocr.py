"""Reading a document's text with tesseract (French and English), for the background task only."""

import logging

import pytesseract
from PIL import Image

from mutua.documents.imaging import document_picture, pdf_first_page_text

logger = logging.getLogger(__name__)

OCR_LANGUAGES = "fra+eng"
# Page segmentation 4: one column of lines of varying sizes, the shape of a till receipt or an invoice.
_TESSERACT_CONFIG = "--psm 4"
_TIMEOUT_SECONDS = 120
# Larger is slower and no better; smaller pictures are enlarged, tesseract wants letters ~30 px high.
_MAX_SIDE = 4000
_MIN_SIDE = 1600
# A PDF whose first page carries at least this many letters and digits is read from its text layer.
_MIN_TEXT_LAYER_CHARACTERS = 20


class OcrUnavailableError(RuntimeError):
    """tesseract or one of its languages is not installed."""


def ocr_available() -> str | None:
    """None when tesseract can read French and English; otherwise what is missing."""
    try:
        languages = set(pytesseract.get_languages())
    except (pytesseract.TesseractNotFoundError, pytesseract.TesseractError, OSError):
        return "tesseract (apt-get install tesseract-ocr)"
    missing = sorted(set(OCR_LANGUAGES.split("+")) - languages)
    if missing:
        return " ".join(f"tesseract-ocr-{language}" for language in missing)
    return None


def _prepared(picture: Image.Image) -> Image.Image:
    longest = max(picture.size)
    if longest < _MIN_SIDE:
        factor = _MIN_SIDE / longest
        picture = picture.resize(
            (round(picture.width * factor), round(picture.height * factor)), Image.Resampling.LANCZOS
        )
    return picture


def document_text(data: bytes, content_type: str) -> str:
    """The text of an image, or of a PDF's first page (its text layer when it has one, else its picture)."""
    if content_type == "application/pdf":
        text = pdf_first_page_text(data)
        if sum(character.isalnum() for character in text) >= _MIN_TEXT_LAYER_CHARACTERS:
            return text
    picture = document_picture(data, content_type, max_side=_MAX_SIDE)
    if picture is None:
        return ""
    try:
        return pytesseract.image_to_string(
            _prepared(picture), lang=OCR_LANGUAGES, config=_TESSERACT_CONFIG, timeout=_TIMEOUT_SECONDS
        )
    except pytesseract.TesseractNotFoundError as error:
        raise OcrUnavailableError(str(error)) from error
    except pytesseract.TesseractError as error:
        if "Failed loading language" in str(error):
            raise OcrUnavailableError(str(error)) from error
        logger.warning("tesseract could not read a document: %s", error)
        return ""
    except RuntimeError as error:  # pytesseract's timeout
        logger.warning("tesseract gave up reading a document: %s", error)
        return ""
