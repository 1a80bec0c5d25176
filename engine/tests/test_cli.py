"""engine.cli.main: plans list / plans show / simulate."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

from engine.cli import main
from engine.plan import get_plan

ROOT = Path(__file__).resolve().parents[2]

SIMULATION = {
    "plan": "fr-base-surco",
    "household": {"members": [{"id": "a", "role": "member", "birth_date": "1980-06-15"}]},
    "lines": [
        {
            "id": "l1",
            "member": "a",
            "date": "2022-01-01",
            "benefit": "care.gp",
            "charged": "43.36",
            "br": "23.00",
            "mr": "15.10",
        }
    ],
}


def run(argv: list[str], stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, stdin=io.StringIO(stdin), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_plans_list() -> None:
    code, out, _ = run(["plans", "list"])
    assert code == 0
    assert out.startswith("fr-base-surco\t")


def test_plans_show_lists_every_benefit_with_code_and_label() -> None:
    code, out, _ = run(["plans", "show", "fr-base-surco"])
    assert code == 0
    for benefit in get_plan("fr-base-surco").benefits:
        assert benefit.code in out
        assert benefit.label.fr in out


def test_plans_show_json() -> None:
    code, out, _ = run(["plans", "show", "fr-base-surco", "--json"])
    assert code == 0
    document = json.loads(out)
    codes = [b["code"] for b in document["benefits"]]
    assert codes == [b.code for b in get_plan("fr-base-surco").benefits]
    osteo = next(b for b in document["benefits"] if b["code"] == "prevention.osteopath")
    assert osteo["tiers"]["base"][0]["pay"] == "1.8% PMSS"
    assert osteo["label"]["en"] == "Osteopath"


def test_plans_show_unknown_plan() -> None:
    code, _, err = run(["plans", "show", "nope"])
    assert code == 2
    assert "no plan 'nope'" in err


def test_simulate_from_stdin() -> None:
    code, out, err = run(["simulate", "-"], json.dumps(SIMULATION))
    assert code == 0, err
    line = json.loads(out)["lines"][0]
    assert line["am_paid"] == "15.10"
    assert line["tiers"]["base"]["paid"] == "27.26"
    assert line["tiers"]["surco"]["maximum"] == "11.50"
    assert line["out_of_pocket"] == "1.00"
    assert "Base rembourse 27,26\u00a0€." in line["explanation"]["fr"]
    assert "Base pays €27.26." in line["explanation"]["en"]


def test_simulate_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "in.json"
    path.write_text(json.dumps(SIMULATION), encoding="utf-8")
    code, out, _ = run(["simulate", str(path)])
    assert code == 0
    assert json.loads(out)["lines"][0]["id"] == "l1"


def test_simulate_float_amount_is_refused_naming_the_field() -> None:
    text = json.dumps(SIMULATION).replace('"43.36"', "43.36")
    code, out, err = run(["simulate", "-"], text)
    assert code == 2
    assert out == ""
    assert "lines[0].charged" in err


def test_simulate_missing_field() -> None:
    document = json.loads(json.dumps(SIMULATION))
    del document["lines"][0]["date"]
    code, _, err = run(["simulate", "-"], json.dumps(document))
    assert code == 2
    assert "lines[0].date: Field required" in err


def test_simulate_not_json() -> None:
    code, _, err = run(["simulate", "-"], "{nope")
    assert code == 2
    assert "not valid JSON" in err


def test_simulate_missing_file(tmp_path: Path) -> None:
    code, _, err = run(["simulate", str(tmp_path / "missing.json")])
    assert code == 2
    assert "cannot read" in err


def test_usage_error_exits_2() -> None:
    code, _, err = run(["plans"])
    assert code == 2
    assert "mutua" in err


def test_module_entry_point() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "engine.cli", "simulate", "-"],
        input=json.dumps(SIMULATION),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["lines"][0]["tiers"]["base"]["paid"] == "27.26"
