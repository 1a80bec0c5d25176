"""From an AM act code to the plan's benefit: the table's shipped rows and the longest-match lookup."""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.utils.translation import gettext as _

from engine import list_plans
from engine.vocabulary import ATTRIBUTES, LINE_FLAGS
from mutua.teletransmission.fileformat import CODE_PATTERNS

DEFAULTS_FILE = Path(__file__).resolve().parent / "data" / "act_mappings.yaml"


@dataclass(frozen=True)
class Mapping:
    benefit_code: str
    attributes: dict[str, str]
    flags: tuple[str, ...]


def default_rows() -> list[dict[str, Any]]:
    """The rows of the shipped table, as the data migration loads them."""
    table = yaml.safe_load(DEFAULTS_FILE.read_text(encoding="utf-8"))
    return [
        {
            "system": system,
            "code": str(code),
            "benefit_code": row["benefit"],
            "attributes": row.get("attributes", {}),
            "flags": row.get("flags", []),
            "label": row.get("label", ""),
        }
        for system, codes in table.items()
        for code, row in codes.items()
    ]


def mapping_problems(*, system: str, code: str, benefit_code: str, attributes: dict, flags: list) -> list[str]:
    """What is wrong with a mapping row an administrator typed (empty when it is usable)."""
    problems = []
    if code.strip("*") == "":
        problems.append(_("Give a code, or the start of a family of codes followed by *."))
    if not isinstance(attributes, dict) or not all(isinstance(v, str) for v in attributes.values()):
        problems.append(_('The attributes are a mapping of names to values, for example {"lens_class": "simple"}.'))
        attributes = {}
    if not isinstance(flags, list) or not all(isinstance(flag, str) for flag in flags):
        problems.append(_('The flags are a list of names, for example ["dptm"].'))
        flags = []
    pattern = CODE_PATTERNS.get(system)
    if pattern is not None and not pattern.fullmatch(code.removesuffix("*")) and not code.endswith("*"):
        problems.append(
            _("“%(code)s” is not a %(system)s code (end it with * for a family of codes).")
            % {"code": code, "system": system}
        )
    if not any(plan.benefit(benefit_code) is not None for plan in list_plans()):
        problems.append(_("No plan has the benefit “%(benefit)s”.") % {"benefit": benefit_code})
    unknown = set(attributes) - ATTRIBUTES
    if unknown:
        problems.append(_("Unknown attributes: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    unknown = set(flags) - LINE_FLAGS
    if unknown:
        problems.append(_("Unknown flags: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    return problems


class MappingTable:
    """The mapping rows of one moment, indexed for lookups (built once per chunk)."""

    def __init__(self, rows: list[tuple[str, str, str, dict[str, str], list[str]]]) -> None:
        self._exact: dict[tuple[str, str], Mapping] = {}
        self._prefixes: dict[str, list[tuple[str, Mapping]]] = {}
        for system, code, benefit, attributes, flags in rows:
            mapping = Mapping(benefit, dict(attributes), tuple(flags))
            if code.endswith("*"):
                self._prefixes.setdefault(system, []).append((code[:-1], mapping))
            else:
                self._exact[(system, code)] = mapping
        for prefixes in self._prefixes.values():
            prefixes.sort(key=lambda entry: -len(entry[0]))

    def find(self, system: str, code: str) -> Mapping | None:
        found = self._exact.get((system, code))
        if found is not None:
            return found
        return next((mapping for prefix, mapping in self._prefixes.get(system, ()) if code.startswith(prefix)), None)
