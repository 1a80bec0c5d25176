"""A plan's guide: how the member's guarantee table presents the plan, as data beside it
(``engine/data/plans/guides/<plan>.yaml``).

Its sections and sub-headings, in the order of the contract's own guide, with the plan's benefits
placed under them, and its worked examples: care to price, with amounts fixed or set by law. A
guide that does not fit its plan is refused with the file and the problem named (``GuideError``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from engine import default_parameters, get_plan
from engine.plan import PLANS_DIR, Plan

GUIDES_DIR = PLANS_DIR / "guides"


class GuideError(ValueError):
    """A guide file does not fit its plan; the message names the file and the problem."""


@dataclass(frozen=True)
class Label:
    fr: str
    en: str

    def get(self, language: str) -> str:
        return self.fr if language == "fr" else self.en


@dataclass(frozen=True)
class GuideGroup:
    label: Label | None
    benefits: tuple[str, ...]


@dataclass(frozen=True)
class GuideSection:
    code: str
    label: Label
    groups: tuple[GuideGroup, ...]


@dataclass(frozen=True)
class Amount:
    """An amount of a worked example: fixed, or a legal parameter in force on the day."""

    value: Decimal | None = None
    parameter: str = ""

    def on(self, day: date) -> Decimal:
        if self.parameter:
            return default_parameters().value(self.parameter, day)
        assert self.value is not None
        return self.value


@dataclass(frozen=True)
class GuideExample:
    section: str
    label: Label
    benefit: str
    charged: Amount
    br: Amount | None = None
    quantity: int = 1
    flags: tuple[str, ...] = ()
    attributes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Guide:
    plan: str
    sections: tuple[GuideSection, ...]
    examples: tuple[GuideExample, ...]


def _label(raw: Any, where: str) -> Label:
    if not isinstance(raw, dict) or not raw.get("fr") or not raw.get("en"):
        raise GuideError(f"{where}: a label needs fr and en")
    return Label(str(raw["fr"]), str(raw["en"]))


def _amount(raw: Any, where: str) -> Amount:
    if isinstance(raw, dict) and set(raw) == {"parameter"}:
        key = str(raw["parameter"])
        if key not in default_parameters():
            raise GuideError(f"{where}: unknown parameter '{key}'")
        return Amount(parameter=key)
    if isinstance(raw, str):
        try:
            return Amount(value=Decimal(raw))
        except ArithmeticError:
            pass
    raise GuideError(f'{where}: give an amount as a string ("12.34") or {{parameter: KEY}}')


def parse_guide(document: Any, *, file: str, plan: Plan) -> Guide:
    if not isinstance(document, dict) or document.get("plan") != plan.code:
        raise GuideError(f"{file}: a guide is a mapping whose `plan` is '{plan.code}'")
    seen: dict[str, str] = {}
    sections = []
    for s_index, raw in enumerate(document.get("sections") or ()):
        where = f"{file}: sections[{s_index}]"
        groups = []
        for g_index, group in enumerate(raw.get("groups") or ()):
            codes = tuple(str(code) for code in group.get("benefits") or ())
            for code in codes:
                benefit = plan.benefit(code)
                if benefit is None:
                    raise GuideError(f"{where}.groups[{g_index}]: no benefit '{code}' in the plan")
                if code in seen:
                    raise GuideError(f"{where}.groups[{g_index}]: '{code}' is already under {seen[code]}")
                seen[code] = f"sections[{s_index}]"
            label = _label(group["label"], f"{where}.groups[{g_index}].label") if group.get("label") else None
            groups.append(GuideGroup(label, codes))
        sections.append(GuideSection(str(raw["code"]), _label(raw.get("label"), f"{where}.label"), tuple(groups)))
    examples = []
    for e_index, raw in enumerate(document.get("examples") or ()):
        where = f"{file}: examples[{e_index}]"
        if plan.benefit(str(raw.get("benefit"))) is None:
            raise GuideError(f"{where}: no benefit '{raw.get('benefit')}' in the plan")
        if sections and raw.get("section") not in {section.code for section in sections}:
            raise GuideError(f"{where}: no section '{raw.get('section')}' in the guide")
        examples.append(
            GuideExample(
                section=str(raw.get("section", "")),
                label=_label(raw.get("label"), f"{where}.label"),
                benefit=str(raw["benefit"]),
                charged=_amount(raw.get("charged"), f"{where}.charged"),
                br=_amount(raw["br"], f"{where}.br") if raw.get("br") is not None else None,
                quantity=int(raw.get("quantity", 1)),
                flags=tuple(str(flag) for flag in raw.get("flags") or ()),
                attributes=tuple((str(k), str(v)) for k, v in (raw.get("attributes") or {}).items()),
            )
        )
    return Guide(plan.code, tuple(sections), tuple(examples))


@lru_cache(maxsize=16)
def guide_for(plan_code: str) -> Guide:
    """The plan's guide; a plan without one is shown by its own sections, in its own order."""
    plan = get_plan(plan_code)
    file = GUIDES_DIR / f"{plan_code}.yaml"
    if not file.exists():
        return Guide(plan_code, (), ())
    return parse_guide(yaml.safe_load(file.read_text(encoding="utf-8")), file=_shown(file), plan=plan)


def _shown(file: Path) -> str:
    try:
        return str(file.relative_to(PLANS_DIR.parents[2]))
    except ValueError:
        return str(file)
