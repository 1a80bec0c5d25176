"""Invalid plans and parameter files: the message names the file, the row and the problem."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import yaml

from engine import get_plan
from engine.parameters import ParameterError, parse_parameters
from engine.plan import PlanError, load_plan
from engine.plan_sections import Hospital

GOOD = textwrap.dedent("""\
    code: tiny
    label: {fr: Petit, en: Tiny}
    currency: EUR
    am: fr_am
    tiers:
      - {code: base, label: {fr: Base, en: Base}}
    counters:
      osteo: {scope: beneficiary, label: {fr: ostéo, en: osteo}}
    benefits:
      - code: care.gp
        label: {fr: Généraliste, en: GP}
        section: soins
        source: "row 1"
        am: doctor
        tiers:
          base:
            - pay: "TM + 100% BR"
      - code: prevention.osteo
        label: {fr: Ostéopathe, en: Osteopath}
        section: prevention
        source: "row 2"
        am: none
        tiers:
          base:
            - pay: "1.8% PMSS"
              per: session
              caps: [{counter: osteo, amount: "12% PMSS", period: calendar_year}]
    """)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "tiny.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(tmp_path: Path, text: str) -> str:
    path = write(tmp_path, text)
    with pytest.raises(PlanError) as caught:
        load_plan(path)
    message = str(caught.value)
    assert str(path) in message
    return message


def line_of(text: str, needle: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def test_the_reference_plan_is_valid(tmp_path: Path) -> None:
    plan = load_plan(write(tmp_path, GOOD))
    assert [b.code for b in plan.benefits] == ["care.gp", "prevention.osteo"]


def test_unknown_variable_in_a_formula(tmp_path: Path) -> None:
    text = GOOD.replace('"TM + 100% BR"', '"TM + 100% BRR"')
    message = problems(tmp_path, text)
    assert f":{line_of(text, 'BRR')}:" in message
    assert "benefit 'care.gp' (benefits[0])" in message
    assert "tiers.base[0].pay" in message
    assert "unknown variable 'BRR'" in message


# (what to break: old text → new text, the fragments the message must contain, a text whose
# line number the message must give or None)
BROKEN = {
    "unreadable formula": (
        ('"1.8% PMSS"', '"1.8 %% PMSS"'),
        ["benefit 'prevention.osteo' (benefits[1])", "tiers.base[0].pay", "cannot read"],
        "1.8 %% PMSS",
    ),
    "typo in a rule key": (
        ("per: session", "pr: session"),
        ["tiers.base[0].pr: Extra inputs are not permitted"],
        "pr: session",
    ),
    "typo in a condition": (
        ('- pay: "TM + 100% BR"', '- {when: {dtpm: true}, pay: "TM + 100% BR"}'),
        ["benefit 'care.gp' (benefits[0]) tiers.base[0].when.dtpm"],
        None,
    ),
    "unknown counter": (
        ("{counter: osteo,", "{counter: osteopath,"),
        ["tiers.base[0].caps[0].counter: unknown counter 'osteopath'"],
        None,
    ),
    "unknown tier": (
        ('base:\n        - pay: "TM', 'surco:\n        - pay: "TM'),
        ["benefit 'care.gp' (benefits[0]) tiers.surco: unknown tier 'surco'"],
        None,
    ),
    "unknown AM rate": (
        ("am: doctor", "am: doktor"),
        ["benefit 'care.gp' (benefits[0]) am: unknown AM rate 'am_rate.doktor'"],
        "am: doktor",
    ),
    "duplicate benefit code": (
        ("code: prevention.osteo", "code: care.gp"),
        ["benefits[1]", "duplicate benefit code 'care.gp'"],
        None,
    ),
    "missing required field": (
        ('    source: "row 2"\n', ""),
        ["benefit 'prevention.osteo' (benefits[1]) source: Field required"],
        None,
    ),
    "bad period": (
        ("period: calendar_year", "period: yearly"),
        ["caps[0].period: period must be 'calendar_year'"],
        "period: yearly",
    ),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_a_broken_plan_names_file_row_and_problem(tmp_path: Path, name: str) -> None:
    (old, new), fragments, located = BROKEN[name]
    text = GOOD.replace(old, new)
    assert text != GOOD, "the replacement must change the plan"
    message = problems(tmp_path, text)
    for fragment in fragments:
        assert fragment in message
    if located is not None:
        assert f":{line_of(text, located)}:" in message


def test_plan_without_am_rejects_tm(tmp_path: Path) -> None:
    text = GOOD.replace("am: fr_am", "am: none").replace("am: doctor", "am: none")
    message = problems(tmp_path, text)
    assert "'TM + 100% BR' uses MR/TM but this plan has no AM" in message


def test_not_yaml(tmp_path: Path) -> None:
    message = problems(tmp_path, "code: [unclosed\n")
    assert "not valid YAML" in message


def test_every_problem_is_reported(tmp_path: Path) -> None:
    text = GOOD.replace("am: doctor", "am: doktor").replace("{counter: osteo,", "{counter: x,")
    path = write(tmp_path, text)
    with pytest.raises(PlanError) as caught:
        load_plan(path)
    assert len(caught.value.problems) == 2


def parameters_document(value: object, source: object = "Arrêté") -> dict[str, object]:
    return {"parameters": {"pmss": {"values": [{"from": "2022-01-01", "value": value, "source": source}]}}}


def test_parameter_without_source() -> None:
    with pytest.raises(ParameterError, match=r"parameter 'pmss' values\[0\].*legal 'source'"):
        parse_parameters(parameters_document("3428", source=""), "p.yaml")


def test_parameter_given_as_float() -> None:
    with pytest.raises(ParameterError, match="quoted string"):
        parse_parameters(parameters_document(3428.0), "p.yaml")


def test_parameter_with_bad_date() -> None:
    document = yaml.safe_load("parameters: {pmss: {values: [{from: soon, value: '1', source: x}]}}")
    with pytest.raises(ParameterError, match="'from' must be a date"):
        parse_parameters(document, "p.yaml")


def test_family_changes_are_known_kinds_each_listed_once_with_one_way_to_register_a_partnership(
    tmp_path: Path,
) -> None:
    plan = load_plan(write(tmp_path, GOOD + "family_changes:\n  kinds: [marriage, partnership, birth]\n"))
    assert plan.family_changes is not None and plan.family_changes.kinds == ("marriage", "partnership", "birth")
    message = problems(tmp_path, GOOD + "family_changes:\n  kinds: [marriage, civil_union]\n")
    assert "family_changes.kinds[1]" in message  # not a kind the members' space knows
    message = problems(tmp_path, GOOD + "family_changes:\n  kinds: [marriage, pacs, partnership, birth, birth]\n")
    assert "family_changes.kinds[4]: 'birth' is listed twice" in message
    assert "list 'pacs' (France) or 'partnership' (any law), not both" in message


def test_guarantee_references_start_with_the_plans_prefix_pec_when_it_names_none() -> None:
    assert (
        Hospital(
            card_days=2,
            temporary_letter_days=4,
            network_answer_hours=2,
            auto_max_days=30,
            auto_max_amount="1",
            stays={},
        ).reference_prefix
        == "PEC"
    )
    assert get_plan("intl-staff").hospital.reference_prefix == "GOP"
