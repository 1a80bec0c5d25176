"""The member's guarantee table ("Mes garanties"), read from the plan in force for them today.

Every benefit of the plan is a row, in plain words for each tier the member's contract gives,
grouped as the plan's guide groups them (``engine/data/plans/guides/<plan>.yaml``); the guide's
worked examples are care to price, and the engine prices them for the member on the day, with
their household and their counters, exactly as a quote would be (``adapter.engine_for``). A search
keeps the rows whose words (the care, its group, its section, its examples) hold every word typed,
in the reader's language, whatever the accents.

The guide itself (its sections, its examples) is read by ``plan_guide``.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.functional import Promise

from engine import AdjudicationError, Counters, Household, ParameterNotInForce, default_parameters, get_plan
from engine.plan import Benefit, Plan
from mutua.benefits import adapter
from mutua.benefits.formula_words import Reading, glossary, variables_of
from mutua.benefits.plan_guide import Guide, GuideExample, guide_for
from mutua.benefits.plan_words import Case, benefit_notes, rule_formulas, tier_cases
from mutua.contracts.cover import subscriber_coverage_on
from mutua.contracts.models import Member
from mutua.core.languages import reader_language

QUERY_MAX = 100


# ---------------------------------------------------------------------------------------------
# The page's values


@dataclass(frozen=True)
class Cell:
    tier: str  # the tier's label
    cases: tuple[Case, ...]  # empty: this tier pays nothing for this care


@dataclass(frozen=True)
class Row:
    code: str  # the benefit's code: for tests and anchors, never shown
    label: str
    notes: tuple[str, ...]
    cells: tuple[Cell, ...]
    glossary: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Group:
    label: str
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Example:
    label: str
    benefit: str  # the benefit's code: for tests, never shown
    charged: Decimal
    am_paid: Decimal
    tiers: tuple[tuple[str, Decimal], ...]  # (tier label, paid), in the order the tiers pay
    out_of_pocket: Decimal
    limited: bool  # a ceiling or a renewal period already used took something off
    summary: tuple[str, ...]  # who pays what, in plain sentences
    explanation: tuple[str, ...]  # the same with the formulas and the counters


@dataclass(frozen=True)
class Section:
    label: str
    groups: tuple[Group, ...]
    examples: tuple[Example, ...]

    @property
    def row_count(self) -> int:
        return sum(len(group.rows) for group in self.groups)


@dataclass(frozen=True)
class GuaranteeTable:
    on: date
    covered: bool
    reason: str | Promise = ""
    plan_label: str = ""
    plan_currency: str = "EUR"  # of every amount shown
    national_scheme: bool = True  # the plan pays on top of the Assurance Maladie
    plan_version_from: date | None = None
    tiers: tuple[str, ...] = ()  # the labels of the member's tiers, in the order they pay
    sections: tuple[Section, ...] = ()
    query: str = ""
    total_rows: int = 0  # rows of the whole table, whatever the search

    @property
    def found(self) -> int:
        return sum(section.row_count for section in self.sections)


def folded(text: str) -> str:
    """Lower case, no accents, ligatures spelled out: "Œil", "oeil" and "OEIL" read alike."""
    text = text.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae").replace("Æ", "ae").replace("’", "'")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def _matches(words: list[str], *texts: str) -> bool:
    haystack = folded(" ".join(texts))
    return all(word in haystack for word in words)


def _sections_of(plan: Plan, guide: Guide, language: str) -> list[tuple[str, str, list[tuple[str, list[Benefit]]]]]:
    """(section code, label, [(group label, benefits)]) in the guide's order; the plan's benefits the
    guide does not place follow in their own section, in the plan's order."""
    placed = {code for section in guide.sections for group in section.groups for code in group.benefits}
    out: list[tuple[str, str, list[tuple[str, list[Benefit]]]]] = []
    for section in guide.sections:
        groups = [
            (group.label.get(language) if group.label else "", [b for c in group.benefits if (b := plan.benefit(c))])
            for group in section.groups
        ]
        out.append((section.code, section.label.get(language), groups))
    for benefit in plan.benefits:
        if benefit.code in placed:
            continue
        found = next((entry for entry in out if entry[0] == benefit.section), None)
        if found is None:
            section = plan.sections.get(benefit.section)
            name = section.label.get(language) if section else benefit.section.replace("_", " ").capitalize()
            found = (benefit.section, name, [])
            out.append(found)
        if not found[2] or found[2][-1][0]:
            found[2].append(("", []))
        found[2][-1][1].append(benefit)
    return out


@dataclass(frozen=True)
class _Pricer:
    """Prices a worked example for the member on the day, as a quote would be: their household, their
    counters as they stand, their contract's tiers."""

    member: Member
    plan_code: str
    tiers: tuple[str, ...]
    on: date
    household: Household
    counters: Counters
    tier_labels: dict[str, str]
    language: str

    def price(self, example: GuideExample, *, number: int) -> Example | None:
        try:
            line = adapter.care_line_of(
                line_id=f"example-{number}",
                person=adapter.person_key(member_id=self.member.pk, beneficiary_id=None),
                on=self.on,
                benefit_code=example.benefit,
                amount=example.charged.on(self.on),
                br=example.br.on(self.on) if example.br is not None else None,
                quantity=example.quantity,
                flags=example.flags,
                attributes=dict(example.attributes),
            )
            engine = adapter.engine_for(self.plan_code, self.tiers)
            result = engine.adjudicate(self.household, [line], self.counters).lines[0]
        except (AdjudicationError, ParameterNotInForce):
            return None  # care this plan cannot price on that day: the example is left out
        said: Any = adapter.explanations(result, plan_code=self.plan_code)
        limited = any(tier.caps_hit for tier in result.tiers) or any(
            message.key.startswith("limit.") for message in result.explanation
        )
        return Example(
            label=example.label.get(self.language),
            benefit=example.benefit,
            charged=result.charged,
            am_paid=result.am_paid,
            tiers=tuple((self.tier_labels.get(tier.tier, tier.tier), tier.paid) for tier in result.tiers),
            out_of_pocket=result.out_of_pocket,
            limited=limited,
            summary=tuple(said.get("plain", {}).get(self.language, ())),
            explanation=tuple(said[self.language]),
        )


def guarantee_table(*, member: Member, on: date, language: str, query: str = "") -> GuaranteeTable:
    """The member's own table on ``on``: their plan version in force, their tiers only."""
    page_language = language
    # The plan's own words in the reader's language where the plan gives them (its labels fall back on
    # English for a language it does not name things in), as the claim pages show them.
    language = reader_language(language)
    query = " ".join(query.split())[:QUERY_MAX]
    with translation.override(page_language):
        coverage = subscriber_coverage_on(member=member, day=on)
        if not coverage.covered or coverage.plan_code is None:
            return GuaranteeTable(on=on, covered=False, reason=str(coverage.explanation), query=query)
        plan = get_plan(coverage.plan_code)
        guide = guide_for(plan.code)
        tiers = tuple(tier for tier in plan.tiers if tier.code in coverage.tiers)
        tier_labels = {tier.code: tier.label.get(language) for tier in plan.tiers}
        reading = Reading(plan=plan, on=on, parameters=default_parameters(), tier_labels=tier_labels, language=language)
        words = folded(query).split()

        example_labels: dict[str, list[str]] = {}
        for example in guide.examples:
            example_labels.setdefault(example.benefit, []).append(example.label.get(language))

        sections: list[tuple[str, str, tuple[Group, ...], set[str]]] = []
        total = 0
        for code, section_label, groups in _sections_of(plan, guide, language):
            kept_groups = []
            kept_benefits: set[str] = set()
            for group_label, benefits in groups:
                total += len(benefits)
                rows = []
                for benefit in benefits:
                    label = benefit.label.get(language)
                    if words and not _matches(
                        words, label, group_label, section_label, *example_labels.get(benefit.code, ())
                    ):
                        continue
                    rows.append(_row(benefit, tiers=[t.code for t in tiers], reading=reading, label=label))
                    kept_benefits.add(benefit.code)
                if rows:
                    kept_groups.append(Group(group_label, tuple(rows)))
            if kept_groups:
                sections.append((code, section_label, tuple(kept_groups), kept_benefits))

        # The guide's examples of the rows shown, priced for the member today.
        pricer = _Pricer(
            member=member,
            plan_code=plan.code,
            tiers=coverage.tiers,
            on=on,
            household=adapter.household(member),
            counters=adapter.counters(member, on=on),
            tier_labels=tier_labels,
            language=language,
        )
        shown = {benefit for *_rest, kept in sections for benefit in kept}
        examples: dict[str, list[Example]] = {}
        for number, example in enumerate(guide.examples, start=1):
            if example.benefit not in shown:
                continue
            priced = pricer.price(example, number=number)
            if priced is not None:
                section_code = example.section or plan.benefit(example.benefit).section  # type: ignore[union-attr]
                examples.setdefault(section_code, []).append(priced)
        return GuaranteeTable(
            on=on,
            covered=True,
            reason=str(coverage.explanation),
            plan_label=plan.label.get(language),
            plan_currency=plan.currency,
            national_scheme=plan.has_national_scheme,
            plan_version_from=coverage.plan_version_from,
            tiers=tuple(tier_labels[tier.code] for tier in tiers),
            sections=tuple(
                Section(label, groups, tuple(examples.get(code, ()))) for code, label, groups, _kept in sections
            ),
            query=query,
            total_rows=total,
        )


def _row(benefit: Benefit, *, tiers: list[str], reading: Reading, label: str) -> Row:
    cells = tuple(Cell(reading.tier_labels[tier], tier_cases(benefit, tier, reading)) for tier in tiers)
    formulas = [formula for tier in tiers for rule in benefit.tiers.get(tier, ()) for formula in rule_formulas(rule)]
    return Row(
        code=benefit.code,
        label=label,
        notes=benefit_notes(benefit, reading),
        cells=cells,
        glossary=tuple(glossary(variables_of(formulas), reading)),
    )
