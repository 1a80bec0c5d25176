"""The engine stays pure, and its data (parameters, plan) is complete and sourced."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from engine.parameters import ParameterNotInForce, default_parameters
from engine.plan import get_plan
from engine.tests.conftest import load_case_files

ROOT = Path(__file__).resolve().parents[2]


def test_importing_the_engine_loads_no_django_nor_database_module() -> None:
    code = (
        "import sys, engine, engine.cli, engine.simulation; "
        "engine.get_plan('fr-base-surco'); "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'django', 'sqlite3', 'psycopg', 'psycopg2', 'mutua', 'config'}); "
        "print(','.join(bad))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "", f"engine imported {done.stdout.strip()}"


@pytest.mark.parametrize(
    ("year", "pmss"),
    [
        (2019, "3377"),
        (2020, "3428"),
        (2021, "3428"),
        (2022, "3428"),
        (2023, "3666"),
        (2024, "3864"),
        (2025, "3925"),
        (2026, "4005"),
    ],
)
def test_pmss_by_year(year: int, pmss: str) -> None:
    parameters = default_parameters()
    assert parameters.value("pmss", dt.date(year, 1, 1)) == Decimal(pmss)
    assert parameters.value("pmss", dt.date(year, 12, 31)) == Decimal(pmss)


@pytest.mark.parametrize(
    ("key", "before", "on", "value_before", "value_on"),
    [
        ("am_rate.dental", "2023-10-14", "2023-10-15", "0.70", "0.60"),
        ("participation_forfaitaire", "2024-05-14", "2024-05-15", "1.00", "2.00"),
        ("franchise.medicine", "2024-03-30", "2024-03-31", "0.50", "1.00"),
        ("franchise.transport", "2024-03-30", "2024-03-31", "2.00", "4.00"),
        ("consultation_base.gp", "2023-10-31", "2023-11-01", "25.00", "26.50"),
        ("consultation_base.gp", "2024-12-21", "2024-12-22", "26.50", "30.00"),
    ],
)
def test_parameter_changes_on_their_effective_date(
    key: str, before: str, on: str, value_before: str, value_on: str
) -> None:
    parameters = default_parameters()
    assert parameters.value(key, dt.date.fromisoformat(before)) == Decimal(value_before)
    assert parameters.value(key, dt.date.fromisoformat(on)) == Decimal(value_on)


def test_hospital_forfaits() -> None:
    parameters = default_parameters()
    day = dt.date(2022, 1, 1)
    assert parameters.value("forfait_journalier", day) == Decimal("20.00")
    assert parameters.value("forfait_journalier_psychiatrie", day) == Decimal("15.00")
    assert parameters.value("forfait_actes_lourds", day) == Decimal("24.00")


def test_lookup_before_any_value_names_the_parameter_and_the_date() -> None:
    with pytest.raises(ParameterNotInForce, match=r"'pmss' has no value in force on 2018-12-31"):
        default_parameters().value("pmss", dt.date(2018, 12, 31))


def test_unknown_parameter_is_a_clear_error() -> None:
    with pytest.raises(ParameterNotInForce, match="unknown parameter"):
        default_parameters().value("no_such_thing", dt.date(2022, 1, 1))


def test_every_parameter_value_has_a_source() -> None:
    parameters = default_parameters()
    for key in parameters:
        for value in parameters.get(key).values:
            assert value.source.strip(), key


def test_every_benefit_of_the_seed_plan_has_a_yaml_case() -> None:
    plan = get_plan("fr-base-surco")
    used: set[str] = set()
    for _, document in load_case_files():
        if document.get("plan") != plan.code:
            continue
        for case in document["cases"]:
            used.update(line["benefit"] for line in case["lines"])
    missing = sorted(b.code for b in plan.benefits if b.code not in used)
    assert missing == [], f"benefits without a YAML case: {missing}"


def test_the_seed_examples_file_holds_the_twenty_worked_examples() -> None:
    files = dict(load_case_files())
    seed = files[Path(__file__).parent / "cases" / "seed_examples.yaml"]
    names = [case["name"] for case in seed["cases"]]
    assert [n.split()[0] for n in names] == [f"seed-{i:02d}" for i in range(1, 21)]


def test_the_osteopath_rule_is_findable_in_the_plan() -> None:
    plan = get_plan("fr-base-surco")
    osteopath = plan.benefit("prevention.osteopath")
    assert osteopath is not None
    (rule,) = osteopath.tiers["base"]
    assert rule.pay.source == "1.8% PMSS"
    assert rule.per == "session"
    assert [(c.counter, c.amount.source) for c in rule.caps] == [("osteo_chiro", "12% PMSS")]
