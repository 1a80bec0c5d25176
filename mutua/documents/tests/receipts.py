"""Realistic receipt pictures for the document tests: drawn with a real font, photographed again, blurred…"""

import io
from collections.abc import Sequence
from functools import cache

from PIL import Image, ImageDraw, ImageEnhance, ImageFilter, ImageFont

FONT_PATH = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"  # Debian fonts-dejavu-core

PHARMACY_LINES = (
    ("Doliprane 1000 mg x8", "3,50 €"),
    ("Spasfon Lyoc 80 mg", "4,20 €"),
    ("Amoxicilline 1 g x12", "6,80 €"),
    ("Bandes de crêpe 10 cm", "7,90 €"),
    ("Sérum physiologique", "5,10 €"),
    ("Thermomètre digital", "17,50 €"),
)
OPTICIAN_LINES = (
    ("Monture Ray-Ban RB5154", "129,00 €"),
    ("Verres progressifs x2", "310,00 €"),
    ("Traitement antireflet", "48,00 €"),
    ("Étui et lingette", "0,00 €"),
)


@cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype(FONT_PATH, size)
    except OSError:
        return ImageFont.load_default(size=size)


def receipt_image(
    *,
    shop: str = "Pharmacie du Centre",
    address: str = "12 rue de la République, 69002 Lyon",
    when: str = "12/03/2024  10:42",
    lines: Sequence[tuple[str, str]] = PHARMACY_LINES,
    total: str = "45,00 €",
    footer: str = "Payé CB  Merci de votre visite",
    width: int = 1000,
) -> Image.Image:
    """A till receipt as a phone would see it flat: black text on white, about 1000 × 1100 pixels."""
    size = width // 28
    font, big = _font(size), _font(int(size * 1.3))
    step = int(size * 1.6)
    height = step * (len(lines) + 10)
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    margin = width // 14
    y = margin // 2
    draw.text((width // 2, y), shop, font=big, fill="black", anchor="mt")
    y += int(step * 1.3)
    draw.text((width // 2, y), address, font=font, fill="black", anchor="mt")
    y += step
    draw.text((margin, y), when, font=font, fill="black")
    y += step
    draw.line((margin, y, width - margin, y), fill="black", width=2)
    y += step // 2
    for label, amount in lines:
        draw.text((margin, y), label, font=font, fill="black")
        draw.text((width - margin, y), amount, font=font, fill="black", anchor="ra")
        y += step
    draw.line((margin, y, width - margin, y), fill="black", width=2)
    y += step // 2
    draw.text((margin, y), "TOTAL", font=big, fill="black")
    draw.text((width - margin, y), total, font=big, fill="black", anchor="ra")
    y += int(step * 1.5)
    draw.text((width // 2, y), footer, font=font, fill="black", anchor="mt")
    return image


def encoded(image: Image.Image, image_format: str = "JPEG", **options: object) -> bytes:
    out = io.BytesIO()
    image.convert("RGB").save(out, format=image_format, **({"quality": 90} | options))
    return out.getvalue()


def rephotographed(image: Image.Image, *, angle: float = 2.5, scale: float = 1.37, brightness: float = 0.88) -> bytes:
    """The same receipt sent again as a new photo: other size, slightly turned, lighter or darker, re-encoded."""
    photo = image.convert("RGB").rotate(
        angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=(236, 236, 230)
    )
    photo = photo.resize((int(photo.width * scale), int(photo.height * scale)), Image.Resampling.LANCZOS)
    photo = ImageEnhance.Brightness(photo).enhance(brightness)
    photo = ImageEnhance.Contrast(photo).enhance(0.9)
    return encoded(photo, quality=72)


def blurred(image: Image.Image, radius: float = 4) -> Image.Image:
    return image.filter(ImageFilter.GaussianBlur(radius))


def phone_photo(image: Image.Image, width: int = 4000) -> Image.Image:
    """The receipt filling a 12-megapixel phone photo."""
    return image.resize((width, width * image.height // image.width), Image.Resampling.BICUBIC)
