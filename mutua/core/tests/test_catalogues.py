"""Every language of the international space, complete: French, English, Spanish and Arabic.

English is the language of the code (the msgids); every other language has a catalogue that
translates every string, keeps the placeholders of each, and serves the pages in that language.
"""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from mutua.accounts.tests.factories import PASSWORD, MemberUserFactory
from mutua.core.languages import content_language, in_language
from mutua.core.tests.helpers import member_login

LOCALE = Path(__file__).resolve().parents[2] / "locale"
LANGUAGES = [code for code, _name in settings.LANGUAGES]
TRANSLATED = [code for code in LANGUAGES if code != "en"]  # English is the msgids themselves
SHOWN = 10  # msgids named in a failure

# %(name)s, %s, %d, %(minutes)02d…, never "%%".
PYTHON_FORMAT = re.compile(r"%(?:\((\w+)\))?[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrs]")
BRACE_FORMAT = re.compile(r"\{\w*\}")


def _catalogue(language: str) -> polib.POFile:
    path = LOCALE / language / "LC_MESSAGES" / "django.po"
    assert path.exists(), f"no catalogue for {language}: mkdir -p {path.parent} and run `make messages`"
    return polib.pofile(str(path))


def _placeholders(text: str, python: bool) -> list[str]:
    found = BRACE_FORMAT.findall(text)
    if python:
        found += [match.group(0) for match in PYTHON_FORMAT.finditer(text.replace("%%", ""))]
    return sorted(found)


def test_every_language_offered_has_a_catalogue():
    assert set(LANGUAGES) >= {"fr", "en", "es", "ar"}
    missing = [code for code in TRANSLATED if not (LOCALE / code / "LC_MESSAGES" / "django.po").exists()]
    assert not missing, f"languages offered without a catalogue: {missing}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_string_is_translated(language):
    """No entry missing, empty or fuzzy: a string left out would be shown in French (Django's fallback)."""
    catalogue = _catalogue(language)
    wanting = []
    for entry in catalogue:
        if entry.obsolete:
            continue
        forms = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        if "fuzzy" in entry.flags or not forms or not all(form.strip() for form in forms):
            wanting.append(entry.msgid)
    assert not wanting, f"{language}: {len(wanting)} string(s) missing, empty or fuzzy, the first: " + " | ".join(
        msgid[:80] for msgid in wanting[:SHOWN]
    )
    assert len(catalogue) > 100


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_translation_keeps_the_placeholders_of_its_string(language):
    """%(name)s, %s and {name} as in the msgid: one dropped loses a fact, one changed breaks the page."""
    wrong = []
    for entry in _catalogue(language).translated_entries():
        python = "python-format" in entry.flags
        if entry.msgid_plural:
            # A plural form may leave out the number ("once"), never bring a name of its own.
            allowed = set(_placeholders(entry.msgid, python)) | set(_placeholders(entry.msgid_plural, python))
            other = _placeholders(entry.msgid_plural, python)
            forms = [entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural)]
            if any(not set(_placeholders(form, python)) <= allowed for form in forms) or (
                len(forms) > 1 and _placeholders(forms[-1], python) != other
            ):
                wrong.append(entry.msgid)
        elif _placeholders(entry.msgstr, python) != _placeholders(entry.msgid, python):
            wrong.append(entry.msgid)
    assert not wrong, f"{language}: placeholders changed in: " + " | ".join(msgid[:80] for msgid in wrong[:SHOWN])


@pytest.mark.parametrize("language", TRANSLATED)
def test_compiled_catalogue_matches_its_source(language):
    po = _catalogue(language)
    mo = polib.mofile(str(LOCALE / language / "LC_MESSAGES" / "django.mo"))
    assert {(e.msgctxt, e.msgid): e.msgstr for e in po.translated_entries() if not e.msgid_plural} == {
        (e.msgctxt, e.msgid): e.msgstr for e in mo if not e.msgid_plural and e.msgid
    }, f"{language}: run `make messages` (compilemessages)"


def _heading(language: str) -> str:
    with translation.override(language):
        return translation.gettext("Log in to your member area")


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_login_page_is_served_in_the_language_the_browser_asks_for(language):
    response = Client().get("/", HTTP_ACCEPT_LANGUAGE=f"{language},en;q=0.5")
    page = response.content.decode()
    assert f'<html lang="{language}"' in page
    assert _heading(language) in page
    if language != "en":
        assert _heading(language) != _heading("en"), f"{language}: the login page is not translated"
    assert len(response.content) < 60 * 1024


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_member_page_is_served_in_the_language_chosen(language):
    user = MemberUserFactory(language="", member__preferred_language="fr")
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.post("/language/", {"language": language, "next": "/"})
    member_login(client, user.username, PASSWORD)
    response = client.get("/portal/")
    page = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{language}"' in page
    with translation.override(language):
        assert translation.gettext("My guarantees") in page
        assert translation.gettext("Log out") in page
    assert len(response.content) < 60 * 1024


@pytest.mark.django_db
def test_the_chooser_names_each_language_in_its_own_words():
    page = Client().get("/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    for code, name in (("fr", "Français"), ("en", "English"), ("es", "Español"), ("ar", "العربيّة")):
        assert re.search(rf'<option value="{code}"[^>]* lang="{code}"[^>]*>{name}</option>', page), code
    assert re.search(r'<option value="fr" selected lang="fr"', page)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["es", "ar"])
def test_the_chosen_language_is_kept_like_french_and_english(client, language):
    response = client.post("/language/", {"language": language, "next": "/help/"})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == language
    assert f'<html lang="{language}"' in client.get("/help/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()


@pytest.mark.parametrize(
    ("language", "expected"), [("fr", "fr"), ("fr-ca", "fr"), ("en", "en"), ("en-gb", "en"), ("es", "en"), ("ar", "en")]
)
def test_words_written_in_french_and_english_only_reach_other_readers_in_english(language, expected):
    """The engine's labels and explanations: a Spanish or Arabic reader never gets them in French."""
    assert content_language(language) == expected
    said = {"fr": ["Reste à votre charge : 10 €."], "en": ["You pay: €10."]}
    assert in_language(said, language) == said[expected]
    assert in_language({"fr": ["seulement en français"]}, "es", []) == []


@pytest.mark.parametrize("language", ["es", "ar"])
def test_a_string_a_catalogue_lacks_is_shown_in_english_never_in_french(language):
    """Django fills a catalogue's gaps from the default language (French); ours from the code's English."""
    from django.utils.translation import trans_real

    assert trans_real.translation(language)._fallback is None
    assert trans_real.translation("fr")._fallback is None  # French is the default: nothing behind it
    with translation.override(language):
        assert translation.gettext("A string no catalogue has") == "A string no catalogue has"


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["es", "ar"])
def test_my_guarantees_page_in_the_readers_language_with_the_plans_own_words_in_english(client, language):
    """The page's words from the catalogue; the plan's labels, written in French and English, in English."""
    user = MemberUserFactory()
    member_login(client, user.username, PASSWORD)
    response = client.get("/portal/my-guarantees/", HTTP_ACCEPT_LANGUAGE=language)
    page = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{language}"' in page
    with translation.override(language):
        assert f"<h1>{translation.gettext('My guarantees')}</h1>" in page
    assert "Osteopath" in page and "Ostéopathe" not in page
