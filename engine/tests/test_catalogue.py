"""Every sentence and word of the engine in every language, with the same placeholders, and amounts
written as each language writes them (engine/data/messages.yaml, engine.messages)."""

from __future__ import annotations

import string
from decimal import Decimal

import pytest

from engine.catalogue import LANGUAGES, SECTIONS
from engine.messages import CATALOGUE, money, param_text, percent, render
from engine.model import Message
from engine.summary import PLAIN, _plain

# Parameters as the engine gives them, by name: amounts, labels (the plan's dicts), codes said in words.
AMOUNTS = "amount other remains mr br tm gross deductions threshold forfait majoration value cap left remaining"
AMOUNTS += " paid maximum excess limit ceiling total"
SAMPLE_PARAMS: dict[str, object] = {
    **dict.fromkeys(AMOUNTS.split(), Decimal("1234.56")),
    "used": 2,
    "units": 1,
    "quantity": 3,
    "count": 6,
    "age": 64,
    "over": 63,
    "rate": Decimal("0.6"),
    "share": Decimal("20"),
    "degree": Decimal("40"),
    "period": "calendar_year",
    "tier": {"fr": "Régime principal", "en": "Main plan", "es": "Plan principal", "ar": "الخطة الرئيسية"},
    "benefit": {"fr": "Consultation", "en": "Consultation"},  # a French plan's label: no es, no ar
    "counter": {"fr": "ostéopathe", "en": "osteopath"},
    "zone": {"fr": "Amérique du Nord", "en": "North America", "es": "América del Norte", "ar": "أمريكا الشمالية"},
    "condition": (("age_under", 18), ("ald", True), ("accident", False)),
    "formula": ("2.5% PMSS", "session"),
    "detail": "2.5% × 3666.00",
    "values": "120.00 / 150.00",
    "part": "frame",
    "parameter": "G",
    "opened_by": "urgent_duty_travel",
    "conditions": ("duty_station_in_zone", "prior_approval"),
}


def _fields(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field is not None}


@pytest.mark.parametrize(("section", "key"), [(name, key) for name, entries in SECTIONS.items() for key in entries])
def test_every_entry_is_written_in_every_language_with_the_same_placeholders(section, key):
    texts = SECTIONS[section][key]
    assert tuple(texts) == LANGUAGES, f"{section}.{key}: {sorted(set(LANGUAGES) - set(texts))} missing"
    for lang in LANGUAGES:
        assert texts[lang].strip(), f"{section}.{key}.{lang} is empty"
        assert _fields(texts[lang]) == _fields(texts["en"]), f"{section}.{key}.{lang}"


def _sample(template: str) -> tuple[tuple[str, object], ...]:
    return tuple((name, SAMPLE_PARAMS[name]) for name in sorted(_fields(template)))


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(("sentences", "key"), [("explain", key) for key in CATALOGUE] + [("plain", k) for k in PLAIN])
def test_every_sentence_renders_in_every_language_with_its_parameters(sentences, key, lang):
    message = Message(key, _sample(CATALOGUE[key]["en"] if sentences == "explain" else PLAIN[key]["en"]))
    text = render(message, lang, "USD") if sentences == "explain" else _plain(message, lang, "USD")
    assert "{" not in text and "}" not in text, text
    for name, value in message.params:
        assert param_text(name, value, lang, "USD") in text, (name, text)
    if lang in {"es", "ar"}:
        english = render(message, "en", "USD") if sentences == "explain" else _plain(message, "en", "USD")
        assert text != english


def test_spanish_and_arabic_sentences_read_in_their_language():
    message = Message("line.coinsurance", (("share", Decimal("20")), ("amount", Decimal("35.00"))))
    assert render(message, "es", "USD") == "Su coaseguro del 20\u00a0% sobre el resto: 35,00\u00a0USD."
    assert render(message, "ar", "USD") == "نسبة مشاركتك في التكلفة، 20% من الباقي: \u200f35.00\u00a0USD."
    excluded = Message("zone.excluded", (("zone", SAMPLE_PARAMS["zone"]), ("conditions", ("duty_station_in_zone",))))
    assert render(excluded, "es").startswith("Zona «América del Norte»: allí la atención solo está cubierta si su")
    assert "منطقة «أمريكا الشمالية»" in render(excluded, "ar")


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("fr", "Régime principal"), ("en", "Main plan"), ("es", "Plan principal"), ("ar", "الخطة الرئيسية")],
)
def test_a_label_is_said_in_the_readers_language(lang, expected):
    assert param_text("tier", SAMPLE_PARAMS["tier"], lang, "EUR") == expected


@pytest.mark.parametrize("lang", ["es", "ar"])
def test_a_label_the_plan_gives_in_french_and_english_only_reaches_other_readers_in_english(lang):
    assert param_text("benefit", {"fr": "Consultation de généraliste", "en": "GP visit"}, lang, "EUR") == "GP visit"


@pytest.mark.parametrize(
    ("lang", "eur", "usd"),
    [
        ("fr", "1\u202f234,56\u00a0€", "1\u202f234,56\u00a0USD"),
        ("en", "€1,234.56", "1,234.56 USD"),
        ("es", "1.234,56\u00a0€", "1.234,56\u00a0USD"),
        ("ar", "\u200f1,234.56\u00a0€", "\u200f1,234.56\u00a0USD"),
    ],
)
def test_amounts_are_written_as_each_language_writes_them(lang, eur, usd):
    assert money(Decimal("1234.555"), lang) == eur
    assert money(Decimal("1234.56"), lang, "USD") == usd


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("value", ["0.50", "12.50", "1234.56", "1000000.00"])
def test_amounts_in_euros_read_as_the_portals_do(lang, value):
    """The portal writes its amounts with babel (mutua.core.formatting): an amount in a sentence reads the same."""
    numbers = pytest.importorskip("babel.numbers")
    locale = {"fr": "fr_FR", "en": "en_GB", "es": "es_ES", "ar": "ar"}[lang]
    assert money(Decimal(value), lang) == numbers.format_currency(Decimal(value), "EUR", locale=locale)


@pytest.mark.parametrize(
    ("lang", "whole", "fraction"),
    [
        ("fr", "20\u00a0%", "12,5\u00a0%"),
        ("en", "20 %", "12.5 %"),
        ("es", "20\u00a0%", "12,5\u00a0%"),
        ("ar", "20%", "12.5%"),
    ],
)
def test_percentages_are_written_as_each_language_writes_them(lang, whole, fraction):
    assert percent(Decimal("20"), lang) == whole
    assert percent(Decimal("12.50"), lang) == fraction


def test_a_language_the_engine_does_not_speak_is_refused():
    with pytest.raises(ValueError, match="unknown language 'de'"):
        render(Message("line.out_of_pocket", (("amount", Decimal("1")),)), "de")
