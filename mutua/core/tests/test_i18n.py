"""Language choice, remembered; and a French catalogue that translates everything."""

import re
from pathlib import Path

import polib
import pytest

from mutua.accounts.tests.factories import PASSWORD, MemberUserFactory
from mutua.core.tests.helpers import member_login

LOCALE = Path(__file__).resolve().parents[2] / "locale"


def test_every_string_has_a_french_translation():
    catalogue = polib.pofile(str(LOCALE / "fr" / "LC_MESSAGES" / "django.po"))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not untranslated and not fuzzy, untranslated + fuzzy
    assert len(catalogue.translated_entries()) > 100


def test_french_typography_keeps_a_no_break_space_before_high_punctuation():
    """ "Motif :" never breaks before its colon, nor "30 €" between the figure and the euro."""
    catalogue = polib.pofile(str(LOCALE / "fr" / "LC_MESSAGES" / "django.po"))
    wrong = [
        text
        for entry in catalogue.translated_entries()
        for text in (entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr])
        if re.search(r" [:;?!€]|(?<=\d) %(?!\()", text)
    ]
    assert not wrong, "Use a no-break space (U+00A0) before : ; ? ! € and % in: " + " | ".join(wrong)


def test_compiled_catalogue_is_up_to_date():
    po = polib.pofile(str(LOCALE / "fr" / "LC_MESSAGES" / "django.po"))
    mo = polib.mofile(str(LOCALE / "fr" / "LC_MESSAGES" / "django.mo"))
    assert {(e.msgctxt, e.msgid): e.msgstr for e in po.translated_entries() if not e.msgid_plural} == {
        (e.msgctxt, e.msgid): e.msgstr for e in mo if not e.msgid_plural and e.msgid
    }


@pytest.mark.django_db
def test_login_page_in_both_languages_and_choice_remembered(client):
    assert "Log in to your member area" in client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Connectez-vous à votre espace adhérent" in client.get("/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    response = client.post("/language/", {"language": "en", "next": "/help/"})
    assert response.status_code == 302 and response["Location"] == "/help/"
    # The cookie now wins over the browser's preference.
    assert "Need help with your connection?" in client.get("/help/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()


@pytest.mark.django_db
def test_language_choice_is_kept_on_the_account_for_the_next_login(client):
    from django.test import Client

    user = MemberUserFactory()
    member_login(client, user.username, PASSWORD)
    client.post("/language/", {"language": "en", "next": "/portal/"})
    user.refresh_from_db()
    assert user.language == user.member.preferred_language == "en"  # e-mails follow too
    elsewhere = Client(HTTP_ACCEPT_LANGUAGE="fr")
    member_login(elsewhere, user.username, PASSWORD)
    assert "Welcome" in elsewhere.get("/portal/").content.decode()


@pytest.mark.django_db
def test_language_switch_refuses_foreign_redirects(client):
    response = client.post("/language/", {"language": "fr", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_catalogue_holds_every_string_of_the_code(tmp_path):
    """Extract the messages afresh from a copy of the code: none may be missing from the catalogue."""
    import os
    import shutil
    import subprocess
    import sys

    if shutil.which("xgettext") is None:
        pytest.skip("MISSING: xgettext (apt-get install gettext)")
    source = LOCALE.parent
    copy = tmp_path / "mutua"
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("__pycache__", "tests", "migrations"))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "MUTUA_VAR_DIR": str(tmp_path / "var")}
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "-m", "mutua.cli", "makemessages", "-l", "fr", "--no-location"],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    fresh_catalogue = polib.pofile(str(copy / "locale" / "fr" / "LC_MESSAGES" / "django.po"))
    fresh = {entry.msgid for entry in fresh_catalogue if not entry.obsolete}
    committed = polib.pofile(str(LOCALE / "fr" / "LC_MESSAGES" / "django.po"))
    translated = {entry.msgid for entry in committed.translated_entries()}
    assert sorted(fresh - translated) == [], "run `make messages` and translate the new strings"
