"""Amounts and dates in the reader's language: one filter, one set of format modules."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django import forms
from django.template import Context, Template
from django.utils import formats, translation

from mutua.core.formatting import money_format

NNBSP, NBSP = "\u202f", "\xa0"


def _render(source: str, language: str, **context: object) -> str:
    with translation.override(language):
        return Template("{% load money %}" + source).render(Context(context))


def test_french_groups_thousands_with_a_thin_space_and_puts_the_euro_after() -> None:
    assert _render("{{ amount|money }}", "fr", amount=Decimal("1900.39")) == f"1{NNBSP}900,39{NBSP}€"


def test_english_puts_the_euro_first_with_commas() -> None:
    assert _render("{{ amount|money }}", "en", amount=Decimal("1234567.5")) == "€1,234,567.50"


def test_negative_amounts_keep_their_sign() -> None:
    assert _render("{{ amount|money }}", "fr", amount=Decimal("-12.3")) == f"-12,30{NBSP}€"
    assert _render("{{ amount|money }}", "en", amount=Decimal("-12.3")) == "-€12.30"


def test_another_currency_is_named() -> None:
    assert _render("{{ amount|money:currency }}", "en", amount=Decimal("1900"), currency="USD") == "US$1,900.00"
    assert _render("{{ amount|money:currency }}", "fr", amount=Decimal("1900"), currency="USD") == (
        f"1{NNBSP}900,00{NBSP}$US"
    )


def test_amounts_travelling_as_json_strings_are_formatted_and_rounded_half_up() -> None:
    assert money_format("0.005", language="en") == "€0.01"
    assert money_format("2.675", language="fr") == f"2,68{NBSP}€"


def test_nothing_reads_as_a_dash_and_garbage_fails_loudly() -> None:
    assert _render("{{ amount|money }}", "fr", amount=None) == "—"
    with pytest.raises(ValueError, match="Not an amount"):
        money_format("12,5 €")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_prefilled_date_input_holds_an_iso_value_the_browser_accepts(language: str) -> None:
    class Form(forms.Form):
        day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))

    with translation.override(language):
        html = str(Form(initial={"day": date(2026, 12, 7)})["day"])
        assert 'value="2026-12-07"' in html
        # What people type in their own convention is still understood.
        assert Form(data={"day": "07/12/2026"}).is_valid()


def test_english_dates_are_day_first_and_times_on_a_24_hour_clock() -> None:
    moment = datetime(2026, 12, 7, 14, 30)
    with translation.override("en"):
        assert formats.date_format(moment, "SHORT_DATE_FORMAT") == "07/12/2026"
        assert formats.date_format(moment, "DATE_FORMAT") == "7 December 2026"
        assert formats.date_format(moment, "SHORT_DATETIME_FORMAT") == "07/12/2026 14:30"
        assert "p.m" not in formats.date_format(moment, "DATETIME_FORMAT")
    with translation.override("fr"):
        assert formats.date_format(moment, "DATE_FORMAT") == "7 décembre 2026"


def test_a_latin_currency_symbol_keeps_its_order_in_arabic():
    """ "US$" after the number in a right-to-left line showed as "$US": the symbol is isolated left to right."""
    assert money_format("250", "USD", language="ar") == "\u200f250.00\xa0\u2066US$\u2069"
    assert money_format("500", "EUR", language="ar") == "\u200f500.00\xa0€"  # nothing to isolate
    assert "\u2066" not in money_format("250", "USD", language="fr")
