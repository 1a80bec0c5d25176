"""Collects the YAML cases in engine/tests/cases/ as pytest items.

A case file holds defaults (``plan``, ``household``, ``date``) and a list of ``cases``.
Each case gives care lines in the ``simulate`` input format and, per line id, the
expected outputs. Expected keys:

- ``am_paid``, ``tm``, ``br``, ``non_reimbursable``, ``out_of_pocket``, ``paid_by_plan``,
  ``am_estimated``, ``other_paid``: the output field of the line;
- ``<tier>`` (e.g. ``base``): what the tier pays; ``<tier>_maximum``: the tier's maximum
  (the seed's "montant maximum"); ``after_<tier>``: what the member still pays after
  the AM and the tiers up to that one (the seed's "reste à charge" column);
- ``caps_hit_<tier>``: list of counters whose cap limited the tier;
- ``explain_fr``, ``explain_en``, ``explain_es``, ``explain_ar``: substrings the explanation in that
  language must contain.

A case may instead expect ``error``: a substring of the input error. Every case must
expect something; unknown keys fail the case.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from engine.catalogue import LANGUAGES
from engine.simulation import SimulationError, run_simulation

CASES_DIR = Path(__file__).parent / "cases"
EXPLAIN_KEYS = {f"explain_{lang}" for lang in LANGUAGES}
LINE_FIELDS = {
    "am_paid",
    "tm",
    "br",
    "non_reimbursable",
    "out_of_pocket",
    "paid_by_plan",
    "am_estimated",
    "charged",
    "other_paid",
    "deductible",
    "coinsurance",
    "outside_zone",
}


def load_case_files() -> list[tuple[Path, dict[str, Any]]]:
    return [(path, yaml.safe_load(path.read_text(encoding="utf-8"))) for path in sorted(CASES_DIR.glob("*.yaml"))]


def build_document(defaults: dict[str, Any], case: dict[str, Any]) -> dict[str, Any]:
    document: dict[str, Any] = {
        "plan": case.get("plan", defaults.get("plan")),
        "household": copy.deepcopy(case.get("household", defaults.get("household"))),
        "lines": [],
        "counters": copy.deepcopy(case.get("counters", [])),
    }
    date = case.get("date", defaults.get("date"))
    for index, line in enumerate(case["lines"]):
        item = {"id": str(index + 1), "member": defaults.get("member", "a")}
        if date is not None:
            item["date"] = date
        item.update(copy.deepcopy(line))
        item["id"] = str(item["id"])
        for key in ("date",):
            if key in item and not isinstance(item[key], str):
                item[key] = item[key].isoformat()
        document["lines"].append(item)
    for member in document["household"]["members"]:
        if not isinstance(member["birth_date"], str):
            member["birth_date"] = member["birth_date"].isoformat()
    for usage in document["counters"]:
        if not isinstance(usage["date"], str):
            usage["date"] = usage["date"].isoformat()
    return document


def _remaining_after(line: dict[str, Any], tier: str) -> Decimal:
    remaining = Decimal(line["charged"]) - Decimal(line["am_paid"]) - Decimal(line["other_paid"])
    for code, result in line["tiers"].items():
        remaining -= Decimal(result["paid"])
        if code == tier:
            return remaining
    raise KeyError(tier)


def check_line(line: dict[str, Any], expected: dict[str, Any]) -> list[str]:
    problems = []
    tiers = line["tiers"]
    for key, want in expected.items():
        if key in LINE_FIELDS:
            got: Any = line[key]
        elif key in tiers:
            got = tiers[key]["paid"]
        elif key.endswith("_maximum") and key.removesuffix("_maximum") in tiers:
            got = tiers[key.removesuffix("_maximum")]["maximum"]
        elif key.startswith("after_") and key.removeprefix("after_") in tiers:
            got = f"{_remaining_after(line, key.removeprefix('after_')):.2f}"
        elif key.startswith("caps_hit_") and key.removeprefix("caps_hit_") in tiers:
            got = tiers[key.removeprefix("caps_hit_")]["caps_hit"]
        elif key in EXPLAIN_KEYS:
            text = "\n".join(line["explanation"][key[-2:]])
            for fragment in [want] if isinstance(want, str) else want:
                if fragment not in text:
                    problems.append(f"{key}: {fragment!r} not in:\n{text}")
            continue
        else:
            problems.append(f"unknown expectation '{key}'")
            continue
        if isinstance(want, int | float) and not isinstance(want, bool):
            problems.append(f"{key}: write expected amounts as strings, got {want!r}")
        elif got != want:
            problems.append(f"{key}: expected {want!r}, got {got!r}")
    return problems


class YamlCase(pytest.Item):
    def __init__(self, *, defaults: dict[str, Any], case: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.defaults = defaults
        self.case = case

    def runtest(self) -> None:
        case = self.case
        expect = case.get("expect")
        if not expect:
            raise CaseFailure([f"case '{self.name}' expects nothing"])
        document = build_document(self.defaults, case)
        if "error" in expect:
            try:
                run_simulation(document)
            except SimulationError as error:
                if expect["error"] not in str(error):
                    raise CaseFailure([f"error {str(error)!r} lacks {expect['error']!r}"]) from None
                return
            raise CaseFailure([f"expected an error containing {expect['error']!r}"])
        output = run_simulation(document)
        by_id = {line["id"]: line for line in output["lines"]}
        problems = []
        for line_id, expected in expect.items():
            if line_id == "counters":
                problems.extend(check_counters(output["counters"], expected))
                continue
            line = by_id.get(str(line_id))
            if line is None:
                problems.append(f"no line '{line_id}' in the output")
                continue
            problems.extend(f"line {line_id}: {p}" for p in check_line(line, expected))
        if problems:
            raise CaseFailure(problems)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, CaseFailure):
            source = self.case.get("source", "")
            return f"{self.name} ({source})\n" + "\n".join(excinfo.value.problems)
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"case: {self.name}"


def check_counters(usages: list[dict[str, Any]], expected: list[dict[str, Any]]) -> list[str]:
    """Each expected entry: counter (+ scope/slot) and the total amount and/or count added."""
    problems = []
    for want in expected:
        rows = [u for u in usages if all(u[k] == want[k] for k in ("counter", "scope", "slot") if k in want)]
        if "amount" in want:
            total = sum((Decimal(u["amount"]) for u in rows), Decimal(0))
            if f"{total:.2f}" != want["amount"]:
                problems.append(f"counter {want}: amount added {total:.2f}")
        if "count" in want:
            count = sum(u["count"] for u in rows)
            if count != want["count"]:
                problems.append(f"counter {want}: count added {count}")
    return problems


class CaseFailure(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class YamlCaseFile(pytest.File):
    def collect(self) -> Iterator[YamlCase]:
        document = yaml.safe_load(self.path.read_text(encoding="utf-8"))
        defaults = {k: v for k, v in document.items() if k != "cases"}
        for case in document["cases"]:
            yield YamlCase.from_parent(self, name=case["name"], defaults=defaults, case=case)


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> YamlCaseFile | None:
    if file_path.suffix == ".yaml" and file_path.parent == CASES_DIR:
        return YamlCaseFile.from_parent(parent, path=file_path)
    return None
