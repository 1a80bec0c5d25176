"""Looking at a document's picture: its perceptual hash, its sharpness, the first page of a PDF.

Plain functions over bytes and Pillow images; nothing here touches the database.
"""

import io
import threading

import imagehash
import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageOps

# 16 × 16 DCT bits: 64 bits (8 × 8) cannot tell two receipts of one shop apart, as they share a layout.
PHASH_SIZE = 16
# The picture is hashed at this size (long side, pixels): decoding a phone photo at 1/4 or 1/8 scale is cheap.
_HASH_SIDE = 512
# Text lines are straightened within ± this many degrees before hashing (a photo is rarely taken square).
_MAX_SKEW = 6.0
_SKEW_STEP = 0.25
# Sharpness is measured at this size (long side), in tiles of this many pixels.
_SHARPNESS_SIDE = 1000
_TILE = 32
# Grey levels between the darkest and lightest pixel below which a picture is blank (a sheet of paper).
_MIN_CONTRAST = 16

# pdfium is not thread-safe, and both the web process and the task workers run threads.
_pdfium_lock = threading.Lock()


def pdf_first_page(data: bytes, *, max_side: int) -> Image.Image | None:
    """The first page rendered in grey, its long side at most ``max_side`` pixels (300 dpi at most).

    None when the PDF has no page that can be drawn.
    """
    with _pdfium_lock:
        try:
            pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError:
            return None
        try:
            if len(pdf) == 0:
                return None
            page = pdf[0]
            width, height = page.get_size()
            if width <= 0 or height <= 0:
                return None
            scale = min(300 / 72, max_side / max(width, height))
            return page.render(scale=scale, grayscale=True).to_pil().convert("L")
        except (pdfium.PdfiumError, ValueError, OSError):
            return None
        finally:
            pdf.close()


def pdf_first_page_text(data: bytes) -> str:
    """The text layer of the first page (electronic invoices have one; scans do not)."""
    with _pdfium_lock:
        try:
            pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError:
            return ""
        try:
            if len(pdf) == 0:
                return ""
            return pdf[0].get_textpage().get_text_bounded()
        except (pdfium.PdfiumError, ValueError, OSError):
            return ""
        finally:
            pdf.close()


def document_picture(data: bytes, content_type: str, *, max_side: int) -> Image.Image | None:
    """The document as a grey picture no larger than ``max_side``: the image, or a PDF's first page.

    None when there is nothing to see: it cannot be drawn, or it is blank (one tone all over). Two blank
    pages are not the same receipt, and tesseract has nothing to read on one.
    """
    if content_type == "application/pdf":
        picture = pdf_first_page(data, max_side=max_side)
    else:
        try:
            with Image.open(io.BytesIO(data)) as image:
                image.draft("L", (max_side, max_side))  # JPEG: decode straight at 1/2, 1/4 or 1/8 scale
                picture = image.convert("L")
        except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
            return None
        picture.thumbnail((max_side, max_side), Image.Resampling.BILINEAR)
    if picture is None:
        return None
    darkest, lightest = picture.getextrema()
    if lightest - darkest < _MIN_CONTRAST:
        return None
    return picture


def _straightened_and_cropped(picture: Image.Image) -> Image.Image:
    """The inked part of the page, text lines made horizontal: what stays the same from one photo to the next."""
    picture = ImageOps.autocontrast(picture, cutoff=1)
    ys, xs = np.nonzero(np.asarray(picture) < 128)
    if len(ys) < 50:
        return picture
    # The skew that stacks the dark pixels into the fewest, fullest rows: text lines lying flat.
    best_score, best_angle = -1.0, 0.0
    for angle in np.deg2rad(np.arange(-_MAX_SKEW, _MAX_SKEW + _SKEW_STEP / 2, _SKEW_STEP)):
        rows = np.rint(ys * np.cos(angle) + xs * np.sin(angle)).astype(np.int64)
        counts = np.bincount(rows - rows.min()).astype(np.float64)
        score = float(np.dot(counts, counts))
        if score > best_score:
            best_score, best_angle = score, float(angle)
    if best_angle:
        picture = picture.rotate(
            -np.rad2deg(best_angle), resample=Image.Resampling.BILINEAR, expand=True, fillcolor=255
        )
    dark = np.asarray(picture) < 128
    rows, cols = np.flatnonzero(dark.any(axis=1)), np.flatnonzero(dark.any(axis=0))
    return picture.crop((int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1))


def perceptual_hash(data: bytes, content_type: str) -> str:
    """A 256-bit perceptual hash (hex) of the picture or of a PDF's first page; "" if there is nothing to see."""
    picture = document_picture(data, content_type, max_side=_HASH_SIDE)
    if picture is None:
        return ""
    return str(imagehash.phash(_straightened_and_cropped(picture), hash_size=PHASH_SIZE))


def hash_distance(first: str, second: str) -> int:
    """How many bits two perceptual hashes differ by."""
    return (int(first, 16) ^ int(second, 16)).bit_count()


def sharpness(picture: Image.Image) -> float:
    """How sharp the written part of a picture is: the variance of its Laplacian, where there is detail.

    Measured at a fixed size, tile by tile, keeping the 90th percentile, so that a receipt lying on a
    plain table in a large photo is judged by its text and not by the empty table around it.
    """
    scale = _SHARPNESS_SIDE / max(picture.size)
    if scale < 1:  # shrink first: converting 12 megapixels to grey costs more than shrinking them
        size = (max(1, round(picture.width * scale)), max(1, round(picture.height * scale)))
        picture = picture.resize(size, Image.Resampling.BILINEAR, reducing_gap=2.0)
    grey = picture.convert("L")
    pixels = np.asarray(grey, dtype=np.float32)
    if min(pixels.shape) < 3:
        return 0.0
    laplacian = pixels[:-2, 1:-1] + pixels[2:, 1:-1] + pixels[1:-1, :-2] + pixels[1:-1, 2:] - 4 * pixels[1:-1, 1:-1]
    height, width = laplacian.shape
    if height < _TILE or width < _TILE:
        return float(laplacian.var())
    tiles = laplacian[: height // _TILE * _TILE, : width // _TILE * _TILE]
    tiles = tiles.reshape(height // _TILE, _TILE, width // _TILE, _TILE).var(axis=(1, 3))
    return float(np.percentile(tiles, 90))
