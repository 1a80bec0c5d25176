"""Which language a reader gets for the words the engine and the plans write.

The pages speak every language of ``settings.LANGUAGES`` through the catalogues. The engine's
explanations of a reimbursement are stored in French, English, Spanish and Arabic; the plans name
things (plan, tier and benefit labels) in French and English, and in Spanish and Arabic when they
give it. A reader gets their own language where it exists, English otherwise: never French by
accident (explanations stored before Spanish and Arabic have French and English only).
"""

from django.conf import settings
from django.utils import translation

CONTENT_LANGUAGES = ("fr", "en")
FALLBACK = "en"


def reader_language(language: str | None = None) -> str:
    """The two-letter code of ``language`` (the active one by default): "es" for "es-419"."""
    return (language or translation.get_language() or settings.LANGUAGE_CODE).split("-")[0].lower()


def content_language(language: str | None = None) -> str:
    """ "fr" or "en": for words written in French and English only, the one closest to ``language``."""
    code = reader_language(language)
    return code if code in CONTENT_LANGUAGES else FALLBACK


def in_language(texts: dict, language: str | None = None, default=None):
    """The entry of ``texts`` (keyed by language) for ``language``; English when it has none."""
    found = texts.get(reader_language(language)) or texts.get(FALLBACK)
    return found if found else default


def untranslated_strings_stay_english() -> None:
    """A string missing from a catalogue is shown as written in the code, in English.

    Django fills the gaps of every catalogue with the default language's (French): a Spanish or
    Arabic reader would get French for a string added before its translation. French keeps
    Django's fallback; every other language falls back on the msgid. Called once, at start-up.
    """
    from django.utils.translation import trans_real

    original = trans_real.DjangoTranslation._add_fallback
    if getattr(original, "english_fallback", False):
        return

    def _add_fallback(self: trans_real.DjangoTranslation, localedirs: list[str] | None = None) -> None:
        if self.language().split("-")[0] != settings.LANGUAGE_CODE.split("-")[0]:
            return
        original(self, localedirs)

    _add_fallback.english_fallback = True  # type: ignore[attr-defined]
    trans_real.DjangoTranslation._add_fallback = _add_fallback  # type: ignore[method-assign]
    trans_real._translations = {}  # translations loaded before this had the French fallback
