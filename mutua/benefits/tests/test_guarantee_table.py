"""The member's guarantee table (selector): every row of their plan, their tiers only, the guide's
worked examples priced by the engine for them on the day, and the search."""

import re
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from engine import default_parameters, get_plan
from mutua.benefits import adapter
from mutua.benefits.guarantee_table import _sections_of, folded, guarantee_table
from mutua.benefits.models import CounterUsage
from mutua.benefits.plan_guide import Guide, GuideError, guide_for, parse_guide
from mutua.contracts.models import ContractPlan
from mutua.contracts.tests.factories import BeneficiaryFactory, MemberFactory
from mutua.core.formatting import money_format

pytestmark = pytest.mark.django_db

PLAN = "fr-base-surco"
# A formula's letters and the system's names, which a member never reads outside "Exact formula".
LETTERS = re.compile(r"(?<![\w])(BR|TM|FR|MR|PLV|PRIOR|PMSS|FORFAIT_\w+)(?![\w])")


def rows_of(table):
    return [row for section in table.sections for group in section.groups for row in group.rows]


def examples_of(table):
    return [example for section in table.sections for example in section.examples]


def base_only(member, *, since=date(2020, 1, 1)):
    ContractPlan.objects.filter(contract=member.contract).delete()
    ContractPlan.objects.create(contract=member.contract, plan_code=PLAN, tiers=["base"], valid_from=since)


def test_every_benefit_of_the_plan_appears_once_grouped_as_the_guide_groups_them():
    member = MemberFactory()
    table = guarantee_table(member=member, on=timezone.localdate(), language="fr")
    codes = Counter(row.code for row in rows_of(table))
    plan = get_plan(PLAN)
    assert codes == Counter(benefit.code for benefit in plan.benefits)  # each once, none left out
    assert table.total_rows == table.found == len(plan.benefits) == 65
    assert [section.label for section in table.sections] == [
        "Hospitalisation",
        "Soins courants",
        "Dentaire",
        "Optique",
        "Aides auditives",
        "Cures",
        "Prévention non prise en charge par l'AM",
        "Actes de prévention",
    ]
    groups = {group.label: [row.code for row in group.rows] for s in table.sections for group in s.groups}
    assert groups["Paire de lunettes"] == ["optical.equipment_100", "optical.equipment", "optical.adaptation"]
    assert groups["Ostéopathe et chiropracteur"] == ["prevention.osteopath", "prevention.chiropractor"]
    # Each row sits in the section the plan gives it.
    for section in get_plan(PLAN).benefits:
        assert section.section
    by_code = {benefit.code: benefit.section for benefit in plan.benefits}
    for section, guide_section in zip(table.sections, guide_for(PLAN).sections, strict=True):
        assert {by_code[row.code] for group in section.groups for row in group.rows} == {guide_section.code}


def test_rows_are_in_plain_words_with_the_exact_formula_one_click_away():
    member = MemberFactory()
    today = timezone.localdate()
    table = guarantee_table(member=member, on=today, language="en")
    rows = {row.code: row for row in rows_of(table)}
    assert table.tiers == ("Base", "Top-up (surcomplémentaire)")

    gp_base, gp_top_up = rows["care.gp"].cells
    assert [case.condition for case in gp_base.cases] == ["Doctor with controlled fees (sector 1 or DPTM)", "Otherwise"]
    assert gp_base.cases[0].text == (
        "The part of the tariff the Assurance Maladie leaves you, plus 160% of the Assurance Maladie tariff."
    )
    assert gp_base.cases[0].formula == "TM + 160% BR"
    assert gp_top_up.cases[1].text == "50% of the Assurance Maladie tariff."
    assert dict(rows["care.gp"].glossary)["TM"].startswith("ticket modérateur")

    # Amounts set by law are in euros on the day: 2.5 % of the PMSS in force, per day.
    per_day = (Decimal("0.025") * default_parameters().value("pmss", today)).quantize(Decimal("0.01"), "ROUND_HALF_UP")
    private_room = rows["hosp.private_room"].cells[0].cases[0]
    assert private_room.text == f"{money_format(per_day, language='en')} per day."
    assert private_room.formula == "2.5% PMSS per day"
    assert "Not covered by the Assurance Maladie." in rows["hosp.private_room"].notes
    # A tier that pays nothing for the care has no case (the page shows a dash).
    assert rows["hosp.private_room"].cells[1].cases == ()
    assert rows["prevention.psychologist"].notes[-1] == "6 sessions per calendar year, for each beneficiary."

    codes = {benefit.code for benefit in get_plan(PLAN).benefits}
    for row in rows.values():
        read = [row.label, *row.notes, *(f"{c.condition} {c.text}" for cell in row.cells for c in cell.cases)]
        for text in read:
            assert not LETTERS.search(text), (row.code, text)
            assert not any(code in text for code in codes), (row.code, text)


def test_worked_examples_are_what_the_engine_pays_for_the_member_today():
    member = MemberFactory(birth_date=date(1980, 6, 15))
    BeneficiaryFactory(member=member, birth_date=date(2015, 1, 1))
    today = timezone.localdate()
    # Care already decided this year: the examples count with it (here, the osteopath's yearly ceiling).
    person = adapter.person_key(member_id=member.pk, beneficiary_id=None)
    cap = (Decimal("0.12") * default_parameters().value("pmss", today)).quantize(Decimal("0.01"))
    CounterUsage.objects.create(
        member=member, counter="osteo_chiro", scope=person, on=today, amount=cap - Decimal("10.00"), line_id="x1"
    )
    table = guarantee_table(member=member, on=today, language="en")
    examples = examples_of(table)
    guide = guide_for(PLAN)
    assert len(examples) == len(guide.examples) == 20

    engine = adapter.engine_for(PLAN, ("base", "surco"))
    household = adapter.household(member)
    counters = adapter.counters(member, on=today)
    for number, (example, data) in enumerate(zip(examples, guide.examples, strict=True), start=1):
        assert example.benefit == data.benefit
        line = adapter.care_line_of(
            line_id=f"test-{number}",
            person=person,
            on=today,
            benefit_code=data.benefit,
            amount=data.charged.on(today),
            br=data.br.on(today) if data.br else None,
            flags=data.flags,
            attributes=dict(data.attributes),
        )
        expected = engine.adjudicate(household, [line], counters).lines[0]
        assert example.charged == expected.charged
        assert example.am_paid == expected.am_paid
        assert [paid for _label, paid in example.tiers] == [tier.paid for tier in expected.tiers]
        assert example.out_of_pocket == expected.out_of_pocket
        assert example.am_paid + sum(paid for _label, paid in example.tiers) + example.out_of_pocket == (
            example.charged
        )

    by_label = {example.label: example for example in examples}
    gp = by_label["Visit to your regular GP (médecin traitant) with no overrun"]
    assert gp.charged == default_parameters().value("consultation_base.gp", today)  # today's tariff
    osteopathy = by_label["Osteopathy session"]
    assert osteopathy.limited and osteopathy.tiers[0][1] == Decimal("10.00")  # what is left of the ceiling
    assert any("already used" in sentence for sentence in osteopathy.explanation)
    assert not gp.limited
    # Said in plain sentences first, the formulas one click further.
    assert gp.summary and not [s for s in gp.summary if LETTERS.search(s)]
    assert any("TM + 160% BR" in sentence for sentence in gp.explanation)


def test_a_contract_giving_base_only_shows_no_top_up():
    member = MemberFactory()
    base_only(member)
    table = guarantee_table(member=member, on=timezone.localdate(), language="en")
    assert table.tiers == ("Base",)
    assert all(len(row.cells) == 1 and row.cells[0].tier == "Base" for row in rows_of(table))
    assert all(tier == "Base" for example in examples_of(table) for tier, _paid in example.tiers)
    surgeon = next(e for e in examples_of(table) if "free overrun" in e.label and "cataract" in e.label)
    assert len(surgeon.tiers) == 1


def test_the_plan_version_in_force_today_is_the_one_shown():
    member = MemberFactory()
    today = timezone.localdate()
    ContractPlan.objects.filter(contract=member.contract).update(valid_to=today - timedelta(days=1))
    ContractPlan.objects.create(contract=member.contract, plan_code=PLAN, tiers=["base"], valid_from=today)
    table = guarantee_table(member=member, on=today, language="fr")
    assert table.tiers == ("Base",) and table.plan_version_from == today
    yesterday = guarantee_table(member=member, on=today - timedelta(days=1), language="fr")
    assert yesterday.tiers == ("Base", "Surcomplémentaire")


def test_no_cover_today_says_why_and_shows_no_table():
    member = MemberFactory(cover_start=timezone.localdate() + timedelta(days=10))
    table = guarantee_table(member=member, on=timezone.localdate(), language="en")
    assert not table.covered and table.sections == () and table.reason


@pytest.mark.parametrize(
    ("language", "query", "expected"),
    [
        ("fr", "ostéo", {"prevention.osteopath", "prevention.chiropractor"}),
        ("fr", "OSTEO", {"prevention.osteopath", "prevention.chiropractor"}),
        ("en", "osteopath", {"prevention.osteopath", "prevention.chiropractor"}),
        ("fr", "lunettes", {"optical.equipment_100", "optical.equipment", "optical.adaptation"}),
        ("en", "glasses", {"optical.equipment_100", "optical.equipment", "optical.adaptation"}),
        ("fr", "chambre  particuliere", {"hosp.private_room", "hosp.rehab_private_room", "maternity.private_room"}),
        ("fr", "cataracte", {"hosp.surgeon_fees"}),  # the words of its worked examples
        ("fr", "glasses", set()),  # the reader's language only
        ("en", "zzz", set()),
    ],
)
def test_search_keeps_the_rows_whose_words_match_in_the_readers_language(language, query, expected):
    member = MemberFactory()
    table = guarantee_table(member=member, on=timezone.localdate(), language=language, query=query)
    assert {row.code for row in rows_of(table)} == expected
    assert table.found == len(expected) and table.total_rows == 65
    # The examples shown are those of the rows found.
    assert {example.benefit for example in examples_of(table)} <= expected


def test_search_shows_the_examples_of_the_rows_found():
    table = guarantee_table(member=MemberFactory(), on=timezone.localdate(), language="en", query="osteo")
    assert [example.label for example in examples_of(table)] == ["Osteopathy session"]


def test_folding_ignores_case_accents_and_ligatures():
    assert folded("Œil ÉCHOGRAPHIE Mézières l’œuf") == "oeil echographie mezieres l'oeuf"


def test_a_guide_that_does_not_fit_its_plan_is_refused_with_where():
    plan = get_plan(PLAN)
    with pytest.raises(GuideError, match=r"g.yaml: sections\[0\]\.groups\[0\]: no benefit 'care.gpp'"):
        parse_guide(
            {
                "plan": PLAN,
                "sections": [{"code": "x", "label": {"fr": "X", "en": "X"}, "groups": [{"benefits": ["care.gpp"]}]}],
            },
            file="g.yaml",
            plan=plan,
        )
    twice = {"code": "x", "label": {"fr": "X", "en": "X"}, "groups": [{"benefits": ["care.gp", "care.gp"]}]}
    with pytest.raises(GuideError, match="already under"):
        parse_guide({"plan": PLAN, "sections": [twice]}, file="g.yaml", plan=plan)
    example = {"section": "x", "label": {"fr": "X", "en": "X"}, "benefit": "care.gp", "charged": 30.5}
    with pytest.raises(GuideError, match=r"examples\[0\]\.charged: give an amount as a string"):
        parse_guide({"plan": PLAN, "examples": [example]}, file="g.yaml", plan=plan)


def test_a_plan_without_a_guide_is_shown_by_its_own_sections():
    plan = get_plan(PLAN)
    sections = _sections_of(plan, Guide(PLAN, (), ()), "en")
    assert [code for code, _label, _groups in sections][:2] == ["hospitalisation", "soins_courants"]
    shown = [benefit.code for _code, _label, groups in sections for _group, benefits in groups for benefit in benefits]
    assert shown == [benefit.code for benefit in plan.benefits]


def test_a_worked_example_names_a_section_of_the_guide():
    section = {"code": "x", "label": {"fr": "X", "en": "X"}, "groups": [{"benefits": ["care.gp"]}]}
    example = {"section": "y", "label": {"fr": "X", "en": "X"}, "benefit": "care.gp", "charged": "30.00"}
    with pytest.raises(GuideError, match=r"examples\[0\]: no section 'y' in the guide"):
        parse_guide({"plan": PLAN, "sections": [section], "examples": [example]}, file="g.yaml", plan=get_plan(PLAN))
