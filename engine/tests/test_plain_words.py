"""What a member reads of a line: plain sentences first (``summarise``), the precise ones (``explain``)
one click away; neither names a benefit, a rule, a counter slot or a parameter as the code knows it."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from engine import CareLine, Engine, Household, Member, explain, get_plan, summarise
from engine.catalogue import LANGUAGES
from engine.messages import CATALOGUE
from engine.parameters import default_parameters

PLAN = get_plan("fr-base-surco")
ADULT = Household((Member("a", dt.date(1980, 6, 15)),))
DAY = dt.date(2026, 3, 2)
JARGON = re.compile(r"\bBR\b|\bTM\b|\bMR\b|PMSS|formul|ticket modérateur|[Cc]ompt")


def _line(benefit: str, charged: str, **fields: object) -> CareLine:
    return CareLine("1", "a", DAY, benefit, Decimal(charged), **fields)  # type: ignore[arg-type]


def _result(line: CareLine):
    return Engine(PLAN).adjudicate(ADULT, [line]).lines[0]


def test_a_gp_visit_reads_as_who_paid_what_under_which_benefit():
    result = _result(_line("care.gp", "43.36", br=Decimal("23.00"), mr=Decimal("15.10")))
    nbsp = "\u00a0"  # French typography: before "€", ":" and inside « »
    assert [sentence.replace(nbsp, " ") for sentence in summarise(result, "fr")] == [
        "L'Assurance Maladie a remboursé 15,10 €.",
        "1,00 € de participation forfaitaire, franchises ou majoration restent à votre charge : "
        "la loi interdit de les rembourser.",
        "Base rembourse 27,26 € au titre de la garantie « Médecin généraliste ».",
        "C'est tout ce qui restait à payer : la garantie allait jusqu'à 29,90 €.",
        "Surcomplémentaire ne rembourse rien : il ne restait rien à payer (la garantie allait jusqu'à 11,50 €).",
        "Reste à votre charge : 1,00 €.",
    ]
    assert "Reste à votre charge\u00a0: 1,00\u00a0€." in summarise(result, "fr")
    plain = summarise(result, "en")
    assert "Base pays €27.26 under the benefit “General practitioner”." in plain
    assert not [sentence for sentence in plain if JARGON.search(sentence)]
    # The formula is still there for whoever opens the detail.
    assert "Base: benefit “General practitioner”, formula TM + 100% BR = 6.90 + 100% × 23.00 = €29.90." in explain(
        result, "en", PLAN
    )


def test_a_limit_reached_is_said_without_the_counter():
    engine = Engine(PLAN)
    lines = [
        CareLine(str(n), "a", DAY + dt.timedelta(days=n), "prevention.psychologist", Decimal("60.00")) for n in range(7)
    ]
    last = engine.adjudicate(ADULT, lines).lines[-1]
    assert "The limit of 6 per calendar year is already reached: this care is not reimbursed." in summarise(last, "en")


def test_a_counter_kept_by_an_attribute_names_it_in_words():
    result = _result(
        _line(
            "optical.equipment",
            "300.00",
            br=Decimal("0.15"),
            mr=Decimal("0.09"),
            attributes={"lens_class": ("simple",), "vision": ("near",)},
        )
    )
    assert "Compté pour «\u00a0équipements optiques (de près)\u00a0»\u00a0: 1." in explain(result, "fr", PLAN)
    assert "Counted towards “optical equipments (near)”: 1." in explain(result, "en", PLAN)


INTL = get_plan("intl-staff")
# A value for each attribute a benefit may require (a lens category, an ear…).
SAMPLE_ATTRIBUTES = {"lens_class": ("simple",), "side": ("left",), "basket": ("libre",), "vision": ("far",)}


def _codes(plan=PLAN) -> re.Pattern[str]:
    names = {benefit.code for benefit in plan.benefits} | set(plan.counters) | set(default_parameters().keys())
    if plan.zones is not None:
        names |= {zone.code for zone in plan.zones.restricted}
        names |= {condition for zone in plan.zones.restricted for condition in zone.covered_when}
    names = {name for name in names if "." in name or "_" in name}
    return re.compile(r"#\d|(?<![\w.])(" + "|".join(map(re.escape, sorted(names, key=len, reverse=True))) + r")\b")


@pytest.mark.parametrize("benefit", [benefit.code for benefit in PLAN.benefits])
def test_no_sentence_names_a_code(benefit):
    codes = _codes()
    requires = PLAN.benefit(benefit).requires
    result = _result(
        _line(benefit, "95.40", br=Decimal("23.00"), attributes={a: SAMPLE_ATTRIBUTES[a] for a in requires})
    )
    for lang in LANGUAGES:
        for sentence in summarise(result, lang) + explain(result, lang, PLAN):
            assert not codes.search(sentence), sentence


@pytest.mark.parametrize("country", ["KE", "US", "ZA"])
@pytest.mark.parametrize("benefit", [benefit.code for benefit in INTL.benefits])
def test_no_sentence_of_the_international_plan_names_a_code(benefit, country):
    codes = _codes(INTL)
    household = Household((Member("a", dt.date(1980, 6, 15), "member", "KE"),))
    line = _line(benefit, "295.40", country=country, flags=frozenset({"urgent"}))
    result = Engine(INTL).adjudicate(household, [line]).lines[0]
    for lang in LANGUAGES:
        sentences = summarise(result, lang) + explain(result, lang, INTL)
        assert sentences[-1].startswith(CATALOGUE["line.out_of_pocket"][lang].split("{")[0])
        for sentence in sentences:
            assert not codes.search(sentence), sentence
