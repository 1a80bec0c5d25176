"""Each answer on a guarantee's back-office page shows its refusal beside its button; a hospital not on file
is registered from the request, then negotiated with and the guarantee issued, all through the pages."""

import re

import pytest
from auditlog.models import LogEntry
from django.utils import timezone

from mutua.accounts.models import Role
from mutua.accounts.tests.factories import MemberUserFactory, StaffUserFactory
from mutua.guarantees.models import Guarantee
from mutua.guarantees.requests import guarantee_refuse
from mutua.guarantees.tests.test_backoffice import EN, signed_in
from mutua.guarantees.tests.test_services import emergency
from mutua.providers.models import Provider
from mutua.providers.tests.factories import ProviderFactory

pytestmark = pytest.mark.django_db
FR = {"HTTP_ACCEPT_LANGUAGE": "fr"}
BRIVE = {
    "name": "Centre hospitalier de Brive",
    "kind": "hospital",
    "city": "Brive-la-Gaillarde",
    "country": "FR",
    "address": "1 boulevard du Docteur Verlhac, 19100 Brive",
    "phone": "05 55 92 60 00",
    "email": "admissions@ch-brive.example.org",
    "finess": "190000042",
    "conventionne": "on",
    "iban": "",
    "bic": "",
}


@pytest.fixture
def unregistered():
    """An emergency the member notified for a hospital not on file: its name and telephone only."""
    user = MemberUserFactory()
    return emergency(
        user,
        None,
        timezone.localdate(),
        card_shown=False,
        channel=Guarantee.Channel.PORTAL,
        hospital_name="Hôpital de Brive",
        hospital_phone="05 55 92 60 00",
    )


@pytest.fixture
def handler():
    return signed_in(Role.CLAIMS_HANDLER)


def form_of(response, answer):
    """The HTML of the page's form for one answer (attach, register, negotiation, issue, refuse)."""
    assert response.status_code == 200, response.status_code
    page = response.content.decode()
    match = re.search(rf'<form[^>]*action="/backoffice/guarantees/\d+/{answer}/".*?</form>', page, re.S)
    assert match, f"no {answer} form on the page"
    return match.group()


def unescaped(html):
    return html.replace("&#x27;", "'").replace("&quot;", '"').replace("&amp;", "&")


@pytest.mark.parametrize(
    ("language", "message"),
    [
        (EN, "Attach the hospital on file, or register it, before issuing."),
        (FR, "Rattachez l’hôpital enregistré, ou enregistrez-le, avant de délivrer"),
    ],
)
def test_issuing_for_a_hospital_not_on_file_says_why_beside_the_button(unregistered, handler, language, message):
    response = handler.post(f"/backoffice/guarantees/{unregistered.pk}/issue/", **language)
    assert message in unescaped(form_of(response, "issue"))
    unregistered.refresh_from_db()
    assert unregistered.status == Guarantee.Status.REQUESTED


def test_attaching_with_no_hospital_chosen_says_so_beside_the_button(unregistered, handler):
    response = handler.post(f"/backoffice/guarantees/{unregistered.pk}/attach/", {"provider": ""}, **EN)
    assert "Choose the hospital in the list, or register it below." in form_of(response, "attach")


def test_refusing_without_a_reason_says_so_beside_the_button(unregistered, handler):
    response = handler.post(f"/backoffice/guarantees/{unregistered.pk}/refuse/", {"reason": " "}, **EN)
    assert "Explain the refusal to the member and the hospital." in form_of(response, "refuse")
    unregistered.refresh_from_db()
    assert unregistered.status == Guarantee.Status.REQUESTED


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ({"contact": "", "outcome": "agreed"}, "Say whom you contacted, how, and the outcome."),
        ({"contact": "Mme Roy, admissions", "outcome": ""}, "Say whom you contacted, how, and the outcome."),
        ({"contact": "Mme Roy, admissions", "outcome": "maybe"}, "Select a valid choice."),
        ({"contact": "Mme Roy, admissions", "outcome": "agreed", "terms": ""}, "Write down the terms agreed"),
    ],
)
def test_a_contact_typed_wrong_says_why_beside_the_button(handler, typed, message):
    outside = emergency(MemberUserFactory(), ProviderFactory(in_network=False), timezone.localdate(), card_shown=False)
    response = handler.post(f"/backoffice/guarantees/{outside.pk}/negotiation/", typed, **EN)
    assert message in form_of(response, "negotiation")
    assert not outside.negotiations.exists()


def test_the_outcome_of_a_contact_is_never_chosen_for_the_handler(handler):
    outside = emergency(MemberUserFactory(), ProviderFactory(in_network=False), timezone.localdate(), card_shown=False)
    form = form_of(handler.get(f"/backoffice/guarantees/{outside.pk}/", **EN), "negotiation")
    assert re.search(r'<option value="" selected>', form)


def test_an_answer_given_meanwhile_is_said_at_the_top_of_the_page(unregistered, handler):
    """A second handler on a page opened before the first refused: the buttons are gone, the message is not."""
    guarantee_refuse(guarantee=unregistered, by=StaffUserFactory(role=Role.CLAIMS_HANDLER), reason="Hors garanties")
    before = Provider.objects.count()
    for answer, typed in (("issue", {}), ("refuse", {"reason": "Doublon"}), ("register", BRIVE)):
        response = handler.post(f"/backoffice/guarantees/{unregistered.pk}/{answer}/", typed, follow=True, **EN)
        messages = [str(m) for m in response.context["messages"]]
        assert messages == ["This request is already answered."], (answer, messages)
        assert 'action="/backoffice/guarantees/' not in response.content.decode()
    # The hospital registered for an answered request was not left on file.
    assert Provider.objects.count() == before
    response = handler.post(f"/backoffice/guarantees/{unregistered.pk}/attach/", {}, follow=True, **EN)
    assert [str(m) for m in response.context["messages"]] == [
        "Hospital on file: Choose the hospital in the list, or register it below."
    ]


def test_the_register_form_is_prefilled_from_what_the_member_typed(unregistered, handler):
    form = form_of(handler.get(f"/backoffice/guarantees/{unregistered.pk}/", **EN), "register")
    assert 'value="Hôpital de Brive"' in form and 'value="05 55 92 60 00"' in form
    assert '<option value="FR" selected>France</option>' in form
    assert "in_network" not in form  # the network team decides it, in the administration


def test_a_hospital_not_on_file_is_registered_negotiated_and_the_guarantee_issued(unregistered, handler):
    url = f"/backoffice/guarantees/{unregistered.pk}"
    ProviderFactory(name="Centre Hospitalier de BRIVE", city="Brive-la-Gaillarde", finess="")

    response = handler.post(f"{url}/register/", BRIVE | {"city": "", "finess": "190000043", "iban": "FR76 1234"}, **EN)
    form = form_of(response, "register")  # every mistake at once, a missing field with a wrong key
    assert "This field is required." in form
    assert "This FINESS number is not valid" in form and "This IBAN is not valid" in form
    assert 'value="Centre hospitalier de Brive"' in form  # what was typed is kept
    response = handler.post(f"{url}/register/", BRIVE, **EN)
    assert (
        "Centre Hospitalier de BRIVE (Brive-la-Gaillarde) is already on file: choose it among the hospitals on file."
        in form_of(response, "register")
    )
    assert Provider.objects.filter(finess="190000042").count() == 0

    response = handler.post(f"{url}/register/", BRIVE | {"name": "CH de Brive, site Dubois"}, follow=True, **EN)
    assert [str(m) for m in response.context["messages"]] == [
        "The hospital is registered, outside the network, and attached to this request."
    ]
    hospital = Provider.objects.get(finess="190000042")
    assert not hospital.in_network and hospital.conventionne and hospital.email == BRIVE["email"]
    unregistered.refresh_from_db()
    assert unregistered.provider == hospital and unregistered.review_reasons == ["out_of_network"]
    entry = LogEntry.objects.get_for_object(hospital).get()
    assert entry.action == LogEntry.Action.CREATE and entry.actor.role == Role.CLAIMS_HANDLER

    page = response.content.decode()
    assert "Arrange direct settlement with the hospital" in page and f"{url}/register/" not in page
    response = handler.post(f"{url}/issue/", **EN)
    assert "record its agreement to direct settlement first" in form_of(response, "issue")
    handler.post(
        f"{url}/negotiation/", {"contact": "Mme Roy, admissions", "outcome": "agreed", "terms": "Tiers payant"}
    )
    assert handler.post(f"{url}/issue/").status_code == 302
    unregistered.refresh_from_db()
    assert unregistered.status == Guarantee.Status.ISSUED


def test_only_the_management_unit_registers_a_hospital(unregistered):
    for role in (Role.FINANCE, Role.MEDICAL_ADVISOR):
        response = signed_in(role).post(f"/backoffice/guarantees/{unregistered.pk}/register/", BRIVE)
        assert response.status_code == 403
    assert not Provider.objects.filter(finess=BRIVE["finess"]).exists()
