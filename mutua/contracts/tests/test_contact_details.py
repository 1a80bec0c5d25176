"""Phone numbers and postal addresses are checked before they are kept, with a message in the member's language."""

import pytest
from django.core.exceptions import ValidationError

from mutua.accounts.tests.factories import PASSWORD, MemberUserFactory
from mutua.contracts.contact import ADDRESS_LINE_MAX_CHARS, ADDRESS_MAX_LINES, phone_clean, postal_address_clean
from mutua.contracts.forms import ContactDetailsForm
from mutua.contracts.services import member_contact_update
from mutua.contracts.tests.factories import MemberFactory
from mutua.core.tests.helpers import member_login

PAGE = "/portal/contract/contact-details/"
ADDRESS = "12 rue des Lilas\n69003 Lyon"


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("06 12 34 56 78", "+33 6 12 34 56 78"),  # a French mobile, typed the French way
        ("+33612345678", "+33 6 12 34 56 78"),
        ("+44 20 7946 0958", "+44 20 7946 0958"),  # London
        ("0044 20 7946 0958", "+44 20 7946 0958"),
        ("  ", ""),  # the phone is optional
    ],
)
def test_valid_phone_numbers_are_kept_in_international_form(typed, kept):
    assert phone_clean(typed) == kept


@pytest.mark.parametrize("typed", ["12345", "06 12 34", "+44 20 7946", "call me", "+33 6 12 34 56 78 99"])
def test_numbers_nobody_could_call_are_refused(typed):
    with pytest.raises(ValidationError) as caught:
        phone_clean(typed)
    assert caught.value.code == "phone"


def test_an_address_is_tidied_into_lines():
    assert postal_address_clean("  12  rue des Lilas \n\n 69003   Lyon ") == ADDRESS


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("12 rue des Lilas 69003 Lyon", "address_lines"),  # one line: no town line
        ("\n".join(f"line {n}" for n in range(8)), "address_lines"),
        ("12 rue de la Très Longue Avenue du Général Leclerc\n69003 Lyon", "address_line_length"),
        ("12 rue des Lilas\n---\n69003 Lyon", "address_line"),
    ],
)
def test_addresses_a_letter_could_not_carry_are_refused(typed, code):
    with pytest.raises(ValidationError) as caught:
        postal_address_clean(typed)
    assert caught.value.code == code


@pytest.mark.django_db
def test_the_service_refuses_bad_details_whoever_calls_it_and_keeps_nothing():
    member = MemberFactory(phone="", postal_address=ADDRESS)
    with pytest.raises(ValidationError) as caught:
        member_contact_update(member=member, phone="12345", postal_address="nowhere")
    assert set(caught.value.message_dict) == {"phone", "postal_address"}
    member.refresh_from_db()
    assert member.phone == "" and member.postal_address == ADDRESS


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "phone_message", "address_message"),
    [
        ("en", "This is not a phone number we can call", "at least two lines"),
        ("fr", "Ce numéro de téléphone", "au moins deux lignes"),
    ],
)
def test_the_page_says_what_is_wrong_in_the_members_language(client, language, phone_message, address_message):
    user = MemberUserFactory()
    member_login(client, user.username, PASSWORD)
    response = client.post(
        PAGE, {"phone": "12345", "postal_address": "12 rue des Lilas"}, HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert phone_message in html and address_message in html
    assert 'type="tel"' in html


def test_the_longest_address_an_envelope_holds_passes_the_form_as_a_browser_sends_it():
    """Seven full lines, sent with CR LF line breaks as browsers do: the address's own checks decide."""
    lines = [f"{index} " + "x" * (ADDRESS_LINE_MAX_CHARS - 2) for index in range(1, ADDRESS_MAX_LINES + 1)]
    form = ContactDetailsForm(data={"email": "anne@example.org", "phone": "", "postal_address": "\r\n".join(lines)})
    assert "postal_address" not in form.errors, form.errors
    assert postal_address_clean(form.cleaned_data["postal_address"]).splitlines() == lines
