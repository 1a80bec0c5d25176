"""The page "My guarantees": members only, their own plan, in French and in English, with a search."""

import html as html_lib
import re
from datetime import date

import pytest
from django.test import Client

from engine import get_plan
from mutua.accounts.models import Role
from mutua.accounts.tests.factories import PASSWORD, MemberUserFactory, StaffUserFactory
from mutua.contracts.models import ContractPlan
from mutua.core.tests.helpers import member_login, staff_login

pytestmark = pytest.mark.django_db

URL = "/portal/my-guarantees/"


def page(client: Client, language: str, query: str | None = None) -> str:
    data = {"q": query} if query is not None else {}
    response = client.get(URL, data, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def text_of(html: str) -> str:
    """Roughly what is read: tags out, spaces folded."""
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.fixture
def member_client(client):
    user = MemberUserFactory(member__first_name="Claire")
    member_login(client, user.username, PASSWORD)
    client.user = user
    return client


def test_the_table_in_french_with_the_plans_labels_and_the_guides_groups(member_client):
    html = page(member_client, "fr")
    assert "<h1>Mes garanties</h1>" in html
    for label in ("Ostéopathe", "Médecin généraliste", "Paire de lunettes", "Soins courants", "Surcomplémentaire"):
        assert label in html
    text = text_of(html)
    assert "La part du tarif que l'Assurance Maladie vous laisse, plus 160 % du tarif de l'Assurance Maladie" in text
    assert "Formule exacte" in html and "TM + 160 % BR" in text  # one click away, in <details>
    assert "Exemples" in text and "Séance d'ostéopathie" in text
    # No benefit code anywhere in what is read.
    assert not [b.code for b in get_plan("fr-base-surco").benefits if b.code in text]


def test_the_table_in_english(member_client):
    html = page(member_client, "en")
    assert "<h1>My guarantees</h1>" in html
    for label in ("Osteopath", "General practitioner", "Glasses", "Everyday care", "Top-up (surcomplémentaire)"):
        assert label in html
    assert "Ostéopathe" not in html
    text = text_of(html)
    assert "Visit to your regular GP (médecin traitant) with no overrun" in text
    assert "You pay" in text and "How it is computed" in text


@pytest.mark.parametrize(
    ("language", "query", "found", "not_found"),
    [
        ("fr", "ostéo", "Ostéopathe", "Médecin généraliste"),
        ("fr", "osteo", "Chiropracteur", "Lunettes"),
        ("fr", "lunettes", "Équipement optique à tarifs libres", "Ostéopathe"),
        ("en", "osteopath", "Osteopath", "General practitioner"),
        ("en", "glasses", "Optical equipment at free prices", "Osteopath"),
    ],
)
def test_search_keeps_the_matching_rows(member_client, language, query, found, not_found):
    html = page(member_client, language, query)
    assert found in html and not_found not in html
    assert f'value="{query}"' in html  # the box keeps what was typed


def test_search_says_when_nothing_is_found(member_client):
    french = text_of(page(member_client, "fr", "xylophone"))
    assert "Aucun résultat pour « xylophone »." in french
    assert "Afficher tout le tableau (65 garanties)" in french
    english = text_of(page(member_client, "en", "xylophone"))
    assert "Nothing found for “xylophone”." in english and "Show the whole table (65 guarantees)" in english


def test_the_search_is_a_plain_get_form(member_client):
    html = page(member_client, "en")
    form = re.search(r"<form class=\"mg-search\"[^>]*>", html).group(0)
    assert 'method="get"' in form and f'action="{URL}"' in form
    assert 'name="q"' in html and "<script" not in html


def test_base_only_contract_shows_no_top_up_column(client):
    user = MemberUserFactory()
    ContractPlan.objects.filter(contract=user.member.contract).update(tiers=["base"])
    member_login(client, user.username, PASSWORD)
    html = page(client, "en")
    assert "Base" in html and "Top-up" not in html


def test_each_member_sees_their_own_plan(client):
    """Two households, two contracts: what each reads is theirs (the page has no id to change)."""
    claire = MemberUserFactory(member__first_name="Claire")
    bruno = MemberUserFactory(member__first_name="Bruno")
    ContractPlan.objects.filter(contract=bruno.member.contract).update(tiers=["base"])
    member_login(client, claire.username, PASSWORD)
    mine = text_of(page(client, "en"))
    assert "for Claire on" in mine and "Top-up" in mine and "Bruno" not in mine
    other = Client()
    member_login(other, bruno.username, PASSWORD)
    theirs = text_of(page(other, "en"))
    assert "for Bruno on" in theirs and "Top-up" not in theirs and "Claire" not in theirs


def test_anonymous_is_sent_to_log_in_and_staff_may_not_open_it(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/?next=")
    staff = StaffUserFactory(role=Role.CLAIMS_HANDLER)
    staff_login(client, staff, PASSWORD)
    assert client.get(URL).status_code == 403


def test_the_portal_home_links_to_it(member_client):
    home = member_client.get("/portal/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert f'href="{URL}"' in home and "Mes garanties" in home


def test_no_cover_today_says_so(client):
    user = MemberUserFactory(member__cover_start=date(2099, 1, 1))
    member_login(client, user.username, PASSWORD)
    html = page(client, "en")
    assert "You have no cover today" in html and "mg-table" not in html


@pytest.mark.parametrize(
    ("language", "section", "benefit", "share"),
    [
        ("es", "Atención ambulatoria", "Consulta médica", "Usted paga los primeros"),
        ("ar", "الرعاية الخارجية", "استشارة طبية", "تدفع أول"),
        ("fr", "Soins externes", "Consultation médicale", "Vous payez les premiers"),
    ],
)
def test_the_international_plan_in_the_readers_language_with_what_the_member_pays_first(
    client, language, section, benefit, share
):
    """A plan without a guide is shown by its own sections, named in the reader's language (not
    "Outpatient" from its code, nor English for a Spanish or Arabic reader), and a row with a
    deductible or coinsurance says so: "the amount charged" alone would promise everything back."""
    user = MemberUserFactory()
    ContractPlan.objects.filter(contract=user.member.contract).update(plan_code="intl-staff", tiers=["main"])
    member_login(client, user.username, PASSWORD)
    text = text_of(page(client, language))
    assert section in text and benefit in text and "Outpatient" not in text and "Doctor's consultation" not in text
    assert share in text
    assert "out-patient care" not in text  # the cap's counter named in the reader's language too
