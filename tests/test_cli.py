"""The ``mutua`` command: engine subcommands without a database, everything else through Django."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def mutua(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mutua.cli", *args], cwd=ROOT, input=stdin, capture_output=True, text=True, timeout=120
    )


def test_plans_list_names_the_seed_plan():
    result = mutua("plans", "list")
    assert result.returncode == 0 and "fr-base-surco" in result.stdout


def test_plans_show_json_lists_every_benefit_with_its_code():
    result = mutua("plans", "show", "fr-base-surco", "--json")
    plan = json.loads(result.stdout)
    assert result.returncode == 0 and plan["code"] == "fr-base-surco"
    assert len(plan["benefits"]) > 50


def test_simulate_reports_bad_input_with_the_field_name():
    result = mutua("simulate", "-", stdin="{}")
    assert result.returncode == 2 and "plan" in result.stderr


def test_other_subcommands_go_to_django():
    result = mutua("help", "load_demo")
    assert result.returncode == 0 and "demo data" in result.stdout.lower()
