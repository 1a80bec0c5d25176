"""The online claim form asks first what kind of care, in plain words, then only what matters for it.

A group gathers the plan's benefits a member thinks of together ("a doctor's visit", "glasses or
contact lenses"), as the plan data declares them (its sections' ``claim_groups``, in the plan's
languages); care the plan takes by post (its sections' ``by_post``: hospital stays, thermal cures,
evacuations) is in no group. Care in no declared group is offered by its section, named as the plan
names it (the international plan's in-patient, out-patient, maternity… care).
What a care needs (the Assurance Maladie's part, how the doctor charges, the quote's basket…) is read
from the plan, so the form asks a field only where the plan's rules use it.
"""

from dataclasses import dataclass

from django.utils.functional import Promise, lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from engine import get_plan
from engine.plan import Benefit
from engine.plan_sections import ClaimGroup, Label
from mutua.benefits import rules


@dataclass(frozen=True)
class CareGroup:
    key: str
    label: Promise
    examples: Promise
    codes: tuple[str, ...]  # the plan's benefits, in the order they are offered (the first is the default)
    provider_label: Promise
    quantity_label: Promise | None = None  # None: never asked (one visit, one item)
    extras: tuple[str, ...] = ("other_paid",)  # rarer questions, folded under "Other situations"


# Care of a section the plan does not declare (a new benefit): still claimable, under this one.
OTHER = CareGroup(
    key="other",
    label=_("Other care"),
    examples=_("care not listed above"),
    codes=(),
    provider_label=_("Health professional or establishment"),
    quantity_label=_("Number of sessions, days or items"),
    extras=("ald", "non_conventionne", "other_paid"),
)

# Equipment sold at two prices is one care for the member: the quote's basket says which benefit it is.
WITH_100_SANTE = {"optical.equipment": "optical.equipment_100", "hearing.aid": "hearing.aid_100"}
VARIANT_OF = {variant: code for code, variant in WITH_100_SANTE.items()}

# Words a member uses, where the contract's own are technical; the others keep the plan's label.
PLAIN_LABELS: dict[str, Promise] = {
    "optical.equipment": _("Glasses (frame and lenses)"),
    "hearing.aid": _("Hearing aid (one item per ear)"),
    "dental.care": _("Dental care: fillings, root canal, extraction…"),
    "care.technical_acts": _("An act done by the doctor (small surgery, electrocardiogram…)"),
    "care.paramedical": _("Physiotherapist, nurse, speech therapist, orthoptist, chiropodist"),
    "optical.contact_lenses": _("Contact lenses the Assurance Maladie covers (on prescription)"),
    "optical.contact_lenses_npc": _("Contact lenses it does not cover (disposable lenses included)"),
    "optical.adaptation": _("Fitting and pairing of glasses (adaptation, appairage)"),
    "optical.refractive_surgery": _("Eye laser surgery (refractive surgery)"),
}
# A choice that says a fact by itself: the assistance after a suicide or an attempt is paid only then.
IMPLIED_FLAGS: dict[str, tuple[str, ...]] = {"prevention.psychologist_assistance": ("suicide",)}

# Units a line counts; equipment, an ear, an eye are one item each.
COUNTED_UNITS = frozenset({"session", "box", "test", "implant", "prosthesis", "semester", "vaccination", "act", "day"})
PER_UNIT_DEDUCTIONS = frozenset({"franchise.medicine", "franchise.paramedical"})


def _online(plan_code: str, benefit: Benefit) -> bool:
    return not rules.sent_by_post(plan_code=plan_code, benefit_code=benefit.code)


def groups_for_plan(plan_code: str) -> list[CareGroup]:
    """The groups a member of this plan can claim online, each with the plan's codes only: the sections'
    own groups (``claim_groups`` in the plan data), then the rest of each section as one group."""
    plan = get_plan(plan_code)
    online = [b.code for b in plan.benefits if _online(plan_code, b) and b.code not in VARIANT_OF]
    declared = [(key, group) for section in plan.sections.values() for key, group in section.claim_groups.items()]
    grouped = {code for _key, group in declared for code in group.benefits}
    found: list[CareGroup] = []
    for key, group in declared:
        codes = tuple(code for code in group.benefits if code in online)
        if codes:
            found.append(_declared_group(key, group, codes))
    by_section: dict[str, list[str]] = {}
    for code in online:
        if code not in grouped:
            by_section.setdefault(plan.benefit(code).section, []).append(code)  # type: ignore[union-attr]
    for section, codes in by_section.items():
        found.append(_section_group(plan_code, section, tuple(codes)))
    return found


def _declared_group(key: str, group: ClaimGroup, codes: tuple[str, ...]) -> CareGroup:
    return CareGroup(
        key=key,
        label=_in_reader_language(group.label),
        examples=_in_reader_language(group.examples),
        codes=codes,
        provider_label=_in_reader_language(group.provider),
        quantity_label=_in_reader_language(group.quantity) if group.quantity else None,
        extras=group.extras,
    )


def _in_reader_language(label: Label) -> Promise:
    return _lazy_text(lambda: label.get(_reader_language()))


def _reader_language() -> str:
    return (get_language() or "en").split("-")[0]


def _section_group(plan_code: str, section: str, codes: tuple[str, ...]) -> CareGroup:
    """The plan's care of one section, named as the plan names the section (OTHER for an undeclared one)."""
    if section not in get_plan(plan_code).sections:
        return CareGroup(**{**OTHER.__dict__, "codes": codes})
    return CareGroup(
        key=f"section-{section}",
        label=_lazy_text(lambda: rules.section_label(section, plan_code=plan_code)),
        examples=_lazy_text(lambda: ", ".join(care_label(plan_code, code, _reader_language()) for code in codes)),
        codes=codes,
        provider_label=OTHER.provider_label,
    )


_lazy_text = lazy(lambda make: make(), str)  # read in the language of the page that shows it


def group_by_key(plan_code: str, key: str | None) -> CareGroup | None:
    return next((group for group in groups_for_plan(plan_code) if group.key == key), None)


def group_of(plan_code: str, benefit_code: str | None) -> CareGroup | None:
    """The group that offers this care (a 100 % Santé variant: its group too); None for care refused online."""
    code = VARIANT_OF.get(benefit_code or "", benefit_code or "")
    return next((group for group in groups_for_plan(plan_code) if code in group.codes), None)


def care_label(plan_code: str, code: str, language: str) -> str:
    if code in PLAIN_LABELS:
        return str(PLAIN_LABELS[code])
    benefit = get_plan(plan_code).benefit(code)
    return benefit.label.get(language) if benefit else code


def _tests(benefit: Benefit, fact: str) -> bool:
    return any(rule.when is not None and getattr(rule.when, fact) is not None for rule in _rules(benefit)) or any(
        limit.when is not None and getattr(limit.when, fact) is not None for limit in benefit.limits
    )


def _rules(benefit: Benefit) -> list[object]:
    return [rule for tier_rules in benefit.tiers.values() for rule in tier_rules]


def needs(plan_code: str, code: str) -> frozenset[str]:
    """The questions the plan's rules use for this care; any other is neither asked nor kept."""
    plan = get_plan(plan_code)
    benefit = plan.benefit(code)
    if benefit is None:
        return frozenset()
    asked: set[str] = set()
    if rules.am_part_required(plan_code=plan_code, benefit_code=code):
        asked.add("mr")
        if not benefit.br_default:
            asked.add("br")  # without it the engine cannot compute the line: a handler would
    if rules.asks_doctor_fees(plan_code=plan_code, benefit_code=code):
        asked.add("doctor_fees")
    if code in WITH_100_SANTE or _tests(benefit, "basket"):
        asked.add("basket")
    for attribute in ("lens_class", "side"):
        if attribute in benefit.requires:
            asked.add(attribute)
    if _tests(benefit, "network"):
        asked.add("network")
    if _tests(benefit, "ald"):
        asked.add("ald")
    units = {rule.per for rule in _rules(benefit)}  # type: ignore[attr-defined]
    if units & COUNTED_UNITS or set(benefit.deductions) & PER_UNIT_DEDUCTIONS:
        asked.add("quantity")
    return frozenset(asked)
