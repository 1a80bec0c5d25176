"""The online claim form asks first what kind of care, in plain words, then only what matters for it.

A group gathers the plan's benefits a member thinks of together ("a doctor's visit", "glasses or
contact lenses"); care the plan takes by post (its sections' ``by_post``: hospital stays, thermal
cures, evacuations) is in no group. The groups below split the French contract's sections finer than
its table does; a plan's care found in none of them is offered by the plan's own sections, with their
names from the plan data (the international plan's in-patient, out-patient, maternity… care).
What a care needs (the Assurance Maladie's part, how the doctor charges, the quote's basket…) is read
from the plan, so the form asks a field only where the plan's rules use it.
"""

from dataclasses import dataclass

from django.utils.functional import Promise, lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from engine import get_plan
from engine.plan import Benefit
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


GROUPS: tuple[CareGroup, ...] = (
    CareGroup(
        key="doctor",
        label=_("A doctor's visit"),
        examples=_("GP, specialist (paediatrician, gynaecologist, dermatologist…), an act done by the doctor"),
        codes=("care.gp", "care.specialist", "care.technical_acts"),
        provider_label=_("The doctor's name"),
        extras=("outside_pathway", "ald", "non_conventionne", "other_paid"),
    ),
    CareGroup(
        key="pharmacy",
        label=_("Medicines and pharmacy"),
        examples=_("medicines and vaccines on prescription, medical equipment, nicotine substitutes, HIV self-tests"),
        codes=(
            "care.medicines",
            "care.vaccines",
            "care.vaccination_fees",
            "care.medical_equipment",
            "care.smoking_cessation",
            "prevention.hiv_self_test",
        ),
        provider_label=_("The pharmacy"),
        quantity_label=_("Number of boxes or tests"),
        extras=("ald", "other_paid"),
    ),
    CareGroup(
        key="dentist",
        label=_("Dentist"),
        examples=_("care, scaling, crowns and bridges, implants, orthodontics"),
        codes=(
            "dental.care",
            "prevention.scaling",
            "dental.radiology",
            "dental.periodontics",
            "dental.periodontics_npc",
            "dental.crown_bridge",
            "dental.removable",
            "dental.temporary_crown",
            "dental.inlay_core",
            "dental.inlay_onlay",
            "dental.implant_crown",
            "dental.implant",
            "dental.prosthesis_npc",
            "dental.orthodontics",
            "dental.orthodontics_npc",
        ),
        provider_label=_("The dentist's name"),
        quantity_label=_("Number of implants, prostheses or six-month periods of orthodontics"),
        extras=("ald", "other_paid"),
    ),
    CareGroup(
        key="glasses",
        label=_("Glasses or contact lenses"),
        examples=_("glasses, contact lenses, eye laser surgery"),
        codes=(
            "optical.equipment",
            "optical.contact_lenses",
            "optical.contact_lenses_npc",
            "optical.adaptation",
            "optical.refractive_surgery",
        ),
        provider_label=_("The optician (or the eye surgeon)"),
    ),
    CareGroup(
        key="lab",
        label=_("Laboratory tests"),
        examples=_("blood tests, screening on prescription"),
        codes=("care.laboratory", "prevention.hepatitis_b_screening"),
        provider_label=_("The laboratory"),
        extras=("ald", "non_conventionne", "other_paid"),
    ),
    CareGroup(
        key="imaging",
        label=_("X-ray, scan or ultrasound"),
        examples=_("radiology, ultrasound, mammography"),
        codes=("care.radiology",),
        provider_label=_("The radiology practice"),
        extras=("ald", "non_conventionne", "other_paid"),
    ),
    CareGroup(
        key="paramedical",
        label=_("Physiotherapist, nurse, speech therapist…"),
        examples=_("allied health professionals, on prescription: physiotherapy, nursing care, speech therapy"),
        codes=("care.paramedical",),
        provider_label=_("The professional's name"),
        quantity_label=_("Number of sessions"),
        extras=("ald", "non_conventionne", "other_paid"),
    ),
    CareGroup(
        key="practitioners",
        label=_("Osteopath, psychologist and other practitioners"),
        examples=_(
            "care the Assurance Maladie does not reimburse: osteopath, chiropractor, psychologist, acupuncture, "
            "dietitian…"
        ),
        codes=(
            "prevention.osteopath",
            "prevention.chiropractor",
            "prevention.psychologist",
            "prevention.psychologist_assistance",
            "prevention.psychomotrician",
            "prevention.occupational_therapist",
            "prevention.acupuncture",
            "prevention.etiopathy",
            "prevention.mezieres",
            "prevention.sophrology",
            "prevention.homeopathy",
            "prevention.mesotherapy",
            "prevention.dietitian",
            "prevention.tobacco_specialist",
        ),
        provider_label=_("The practitioner's name"),
        quantity_label=_("Number of sessions"),
        extras=("ald", "other_paid"),
    ),
    CareGroup(
        key="hearing",
        label=_("Hearing aids"),
        examples=_("a hearing aid, batteries and accessories"),
        codes=("hearing.aid", "hearing.consumables"),
        provider_label=_("The audioprosthetist"),
    ),
)
# Care of the plan found in no group above (a new benefit): still claimable, under this one.
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
    """The groups a member of this plan can claim online, each with the plan's codes only."""
    plan = get_plan(plan_code)
    online = [b.code for b in plan.benefits if _online(plan_code, b) and b.code not in VARIANT_OF]
    grouped: set[str] = set()
    found: list[CareGroup] = []
    for group in GROUPS:
        codes = tuple(code for code in group.codes if code in online)
        grouped.update(group.codes)
        if codes:
            found.append(CareGroup(**{**group.__dict__, "codes": codes}))
    by_section: dict[str, list[str]] = {}
    for code in online:
        if code not in grouped:
            by_section.setdefault(plan.benefit(code).section, []).append(code)  # type: ignore[union-attr]
    for section, codes in by_section.items():
        found.append(_section_group(plan_code, section, tuple(codes)))
    return found


def _section_group(plan_code: str, section: str, codes: tuple[str, ...]) -> CareGroup:
    """The plan's care of one section, named as the plan names the section (OTHER for an undeclared one)."""
    if section not in get_plan(plan_code).sections:
        return CareGroup(**{**OTHER.__dict__, "codes": codes})
    return CareGroup(
        key=f"section-{section}",
        label=_lazy_text(lambda: rules.section_label(section, plan_code=plan_code)),
        examples=_lazy_text(lambda: ", ".join(care_label(plan_code, code, get_language() or "en") for code in codes)),
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
