"""Putting a hospital on file: the management unit only, never in the network, checked numbers, no twins."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from mutua.accounts.models import Role
from mutua.accounts.tests.factories import MemberUserFactory, StaffUserFactory
from mutua.core.countries import country_choices
from mutua.providers import services
from mutua.providers.models import Provider
from mutua.providers.services import finess_clean, provider_register
from mutua.providers.tests.factories import ProviderFactory, ProviderUserFactory

pytestmark = pytest.mark.django_db

LYON = {
    "name": "Hôpital Édouard-Herriot",
    "kind": Provider.Kind.HOSPITAL,
    "city": "Lyon",
    "country": "FR",
    "address": "5 place d'Arsonval, 69003 Lyon",
    "phone": "04 72 11 73 11",
    "email": "admissions@chu-lyon.example.org",
}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def handler():
    return StaffUserFactory(role=Role.CLAIMS_HANDLER)


def refusals(fields, by):
    with pytest.raises(ValidationError) as refused:
        provider_register(by=by, **fields)
    return {field: [str(m) for m in errors] for field, errors in refused.value.message_dict.items()}


def test_a_handler_registers_a_hospital_outside_the_network_with_its_numbers_cleaned(handler):
    provider = provider_register(
        by=handler, **LYON, finess="690 781 810", iban="fr76 3000 4000 0312 3456 7890 143", conventionne=False
    )
    provider.refresh_from_db()
    assert not provider.in_network and provider.active and not provider.conventionne
    assert (provider.finess, provider.iban, provider.bic) == ("690781810", "FR7630004000031234567890143", "BNPAFRPP")
    assert (provider.name, provider.city, provider.language) == ("Hôpital Édouard-Herriot", "Lyon", "fr")


def test_abroad_neither_finess_nor_bank_details_are_needed(handler):
    provider = provider_register(
        by=handler, **LYON | {"name": "Clinique Belle-Rive", "city": "Genève", "country": "CH"}
    )
    assert (provider.finess, provider.iban, provider.bic, provider.language) == ("", "", "", "en")


@pytest.mark.parametrize(
    "make_user",
    [
        lambda: StaffUserFactory(role=Role.FINANCE),
        lambda: StaffUserFactory(role=Role.MEDICAL_ADVISOR),
        lambda: ProviderUserFactory(),
        lambda: MemberUserFactory(),
    ],
)
def test_only_the_management_unit_registers_hospitals(make_user):
    user = make_user()
    before = Provider.objects.count()
    with pytest.raises(PermissionDenied):
        provider_register(by=user, **LYON)
    assert Provider.objects.count() == before


def test_each_wrong_field_is_refused_with_its_own_message_and_nothing_is_written(handler):
    wrong = LYON | {
        "name": " ",
        "kind": "spa",
        "country": "XX",
        "email": "admissions",
        "finess": "690781811",
        "iban": "FR7630004000031234567890144",
        "bic": "NOTABIC",
    }
    problems = refusals(wrong, handler)
    assert set(problems) == {"name", "kind", "country", "email", "finess", "iban", "bic"}
    assert problems["finess"] == ["This FINESS number is not valid: check its 9 digits (the last one is a check key)."]
    assert problems["country"] == ["Choose the country in the list."]
    assert not Provider.objects.filter(city="Lyon").exists()


def test_a_finess_number_is_nine_characters_with_a_luhn_key():
    # Numbers of real establishments: AP-HP, CHU de Bordeaux, Hospices civils de Lyon, AP-HM.
    for number in ("750712184", "330781196", "690781810", "130786049"):
        assert finess_clean(number) == number
    assert finess_clean("2a 000 0014") == "2A0000014"  # Corsica: letters, form only
    for wrong in ("750712185", "75071218", "7507121840", "2C0000014", "75071218A"):
        with pytest.raises(ValidationError):
            finess_clean(wrong)


def test_a_finess_number_on_file_is_refused_naming_its_hospital(handler):
    ProviderFactory(name="Hospices civils", city="Lyon", finess="690781810")
    assert refusals(LYON | {"finess": "690781810"}, handler) == {
        "finess": ["Hospices civils (Lyon) is already on file: choose it among the hospitals on file."]
    }


def test_the_same_name_in_the_same_city_is_refused_however_it_is_typed(handler):
    ProviderFactory(name="Hôpital Édouard-Herriot", city="Lyon", finess="")
    assert refusals(LYON | {"name": "HOPITAL EDOUARD HERRIOT", "city": " lyon "}, handler) == {
        "name": ["Hôpital Édouard-Herriot (Lyon) is already on file: choose it among the hospitals on file."]
    }
    assert provider_register(by=handler, **LYON | {"city": "Villeurbanne"}).city == "Villeurbanne"


def test_a_namesake_no_longer_active_is_pointed_out(handler):
    ProviderFactory(name="Hôpital Édouard-Herriot", city="Lyon", active=False)
    assert refusals(LYON, handler) == {
        "name": ["Hôpital Édouard-Herriot (Lyon) is on file but no longer active: the network team can reactivate it."]
    }


def test_two_handlers_registering_the_same_finess_at_once_get_a_message_not_an_error(handler, monkeypatch):
    rival = ProviderFactory(name="CHU de Bordeaux", city="Bordeaux", finess="330781196")
    # The rival's row was committed between our check and our insert: the check saw nothing.
    monkeypatch.setattr(services, "provider_with_finess", _second_call_sees(rival))
    with pytest.raises(ValidationError) as refused:
        provider_register(by=handler, **LYON, finess="330781196")
    assert refused.value.message_dict == {
        "finess": ["CHU de Bordeaux (Bordeaux) is already on file: choose it among the hospitals on file."]
    }
    assert Provider.objects.filter(finess="330781196").count() == 1


def _second_call_sees(provider):
    calls = []

    def provider_with_finess(*, finess):
        calls.append(finess)
        return provider if len(calls) > 1 else None

    return provider_with_finess


def test_countries_are_named_and_sorted_in_the_pages_language():
    with translation.override("fr"):
        names = dict(country_choices())
        order = [code for code, _name in country_choices()]
    assert (names["DE"], names["CH"], names["EG"]) == ("Allemagne", "Suisse", "Égypte")
    assert order.index("EG") < order.index("ES") < order.index("FR")  # Égypte before Espagne: accents ignored
    assert dict(country_choices())["DE"] == "Germany"
