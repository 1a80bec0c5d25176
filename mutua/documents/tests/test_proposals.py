"""Amounts and dates proposed from receipt text: no database, no OCR."""

from datetime import date
from decimal import Decimal

import pytest

from mutua.documents.proposals import proposed_amounts, proposed_dates, receipt_proposals

PHARMACY = """\
Pharmacie du Centre
12 rue de la République, 69002 Lyon
Tél. 04 78 12 34 56
12/03/2024 10:42
Doliprane 1000 3,50 €
Spasfon Lyoc 80 mg 4,20 €
Thermomètre digital 17,50 €
TVA 5,50 % 1,20
TOTAL 45,00 €
CB 45,00 EUR
Payé CB Merci de votre visite
"""

DENTIST = """\
Dr Claire MARTIN - Chirurgien-dentiste
Note d'honoraires n° 2024-0312
Patient : Jean DUPONT, né le 04.07.1981
Date des soins : 12 mars 2024
Détartrage HBJD001 28,92
Consultation 23,00
Montant: 51.92 EUR
Acquitté le 12/03/24
"""

ENGLISH = """\
CITY WALK-IN CLINIC
Invoice 5521   Date: 2024-03-12
Consultation fee            80.00
Blood test                  35.50
Subtotal                   115.50
Tax                          0.00
Amount due               $115.50
Paid by card             $115.50
Next appointment March 19, 2024
"""

TILL = """\
SUPERPHARM
Date 05.01.24 14:02
Sous-total 27,80
Remise fidélité -2,00
Total TTC 25,80
Espèces 30,00
Rendu monnaie 4,20
"""


@pytest.mark.parametrize(
    ("text", "total", "first_date"),
    [
        (PHARMACY, "45.00", date(2024, 3, 12)),
        (DENTIST, "51.92", date(2024, 3, 12)),
        (ENGLISH, "115.50", date(2024, 3, 12)),
        (TILL, "25.80", date(2024, 1, 5)),
    ],
    ids=["french-pharmacy", "french-dentist", "english-clinic", "till-with-change"],
)
def test_the_total_and_the_care_date_come_first(text, total, first_date):
    proposals = receipt_proposals(text, today=date(2024, 3, 31))
    assert proposals.amounts[0] == Decimal(total)
    assert all(isinstance(amount, Decimal) for amount in proposals.amounts)
    assert proposals.dates[0] == first_date


def test_every_amount_once_never_rates_dates_times_or_phone_numbers():
    amounts = proposed_amounts(PHARMACY)
    assert amounts[0] == Decimal("45.00")
    assert sorted(amounts) == sorted(map(Decimal, ["45.00", "3.50", "4.20", "17.50", "1.20"]))
    assert Decimal("5.50") not in amounts  # the VAT rate
    assert str(amounts[0]) == "45.00"  # two decimals kept


def test_change_given_back_and_discounts_come_last():
    amounts = proposed_amounts(TILL)
    assert amounts[:2] == [Decimal("25.80"), Decimal("30.00")]
    assert amounts.index(Decimal("4.20")) > amounts.index(Decimal("27.80"))
    assert Decimal("2.00") not in amounts  # a negative line is not a total


@pytest.mark.parametrize(
    ("line", "amount"),
    [
        ("Total 45,00 €", "45.00"),
        ("Montant: 23.50 EUR", "23.50"),
        ("TOTAL A PAYER 1 250,00 EUR", "250.00"),  # a space-grouped reading is only a second guess
        ("Total 1.250,00 €", "1250.00"),
        ("Total: 1,250.00 USD", "1250.00"),
        ("Total 45 €", "45.00"),
        ("Amount due EUR 60", "60.00"),
        ("Grand total: £12.99", "12.99"),
    ],
)
def test_amount_formats(line, amount):
    assert proposed_amounts(line)[0] == Decimal(amount)


def test_the_total_label_on_one_line_and_its_amount_on_the_next():
    text = "Doliprane 3,50\nSérum 5,10\nNET A PAYER\n8,60\nMerci"
    assert proposed_amounts(text)[0] == Decimal("8.60")


@pytest.mark.parametrize(
    ("line", "when"),
    [
        ("12/03/2024", date(2024, 3, 12)),
        ("le 12.03.24", date(2024, 3, 12)),
        ("12-03-2024", date(2024, 3, 12)),
        ("2024-03-12", date(2024, 3, 12)),
        ("12 mars 2024", date(2024, 3, 12)),
        ("1er février 2024", date(2024, 2, 1)),
        ("Lundi 12 Mars 2024", date(2024, 3, 12)),
        ("12 March 2024", date(2024, 3, 12)),
        ("12-Mar-24", date(2024, 3, 12)),
        ("March 12, 2024", date(2024, 3, 12)),
        ("3 août 2023", date(2023, 8, 3)),
        ("03/25/2024", date(2024, 3, 25)),  # month first only when day first is impossible
    ],
)
def test_date_formats(line, when):
    assert proposed_dates(line) == [when]


def test_no_dates_in_amounts_times_or_impossible_days():
    assert proposed_dates("Total 12,03 € à 10:42\n31/02/2024\n45.00") == []


def test_birth_dates_and_future_dates_come_last_or_not_at_all():
    dates = proposed_dates(DENTIST, today=date(2024, 3, 31))
    assert dates == [date(2024, 3, 12), date(1981, 7, 4)]
    assert date(2024, 3, 19) not in proposed_dates(ENGLISH, today=date(2024, 3, 12))


def test_nothing_to_propose():
    proposals = receipt_proposals("")
    assert proposals.amounts == () and proposals.dates == ()
    assert receipt_proposals("~~ |||| ..,, 0,00 €").amounts == ()
