"""The AM statement file is read whole: every kind of defect is reported with its line, nothing is half-read."""

import io
from datetime import date
from pathlib import Path

import pytest

from mutua.teletransmission import fileformat
from mutua.teletransmission.tests.helpers import act, file_text

NIR = "185057800608491"  # a valid NIR (key 91)
NIR_CORSICA = "185052A00608435"


def check(text: str | bytes) -> fileformat.Checked:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return fileformat.check_file(io.BytesIO(data))


def codes(checked: fileformat.Checked) -> list[tuple[int, str]]:
    return [(problem.line, problem.code) for problem in checked.problems]


def good() -> str:
    return file_text([act(1, NIR), act(2, NIR, rank=2, birth_date=date(2016, 5, 4)), act(3, NIR)])


def replace_field(text: str, line: int, index: int, value: str) -> str:
    lines = text.splitlines()
    fields = lines[line - 1].split("|")
    fields[index] = value
    lines[line - 1] = "|".join(fields)
    return "\n".join(lines) + "\n"


def test_a_good_file_is_read_with_its_header_and_totals():
    checked = check(good())
    assert checked.ok, checked.problems
    assert checked.header.file_id == "F2026-0001"
    assert checked.header.sender == "CPAM-751"
    assert checked.totals.lines == 3
    assert str(checked.totals.charged) == "90.00"
    assert str(checked.totals.mr) == "57.00"


def test_nir_key_is_checked_corsica_included():
    assert fileformat.nir_valid(NIR)
    assert fileformat.nir_valid(NIR_CORSICA)
    assert not fileformat.nir_valid(NIR[:-2] + "37")
    assert not fileformat.nir_valid("385057800608491")  # sex must be 1 or 2


@pytest.mark.parametrize(
    ("line", "index", "value", "code"),
    [
        (1, 1, "OTHER", "format"),
        (1, 2, "2", "format"),
        (1, 3, " ", "sender"),
        (1, 4, "bad id!", "file_id"),
        (1, 5, "2026-11-21", "datetime"),
        (2, 1, "7", "sequence"),
        (2, 2, "185057800608492", "nir"),
        (2, 3, "x", "rank"),
        (2, 4, "1985-02-30", "date"),
        (2, 5, "21/11/2026", "date"),
        (2, 5, "1980-01-01", "care_before_birth"),
        (2, 5, "2026-12-01", "care_after_file"),
        (2, 6, "CIM", "code_system"),
        (2, 7, "G1X", "act_code"),
        (2, 8, "0", "quantity"),
        (2, 9, "30", "amount"),
        (2, 9, "-30.00", "amount"),
        (2, 11, "170", "rate"),
        (2, 12, "31.00", "mr_over_charged"),
        (2, 13, "1.00", "overrun"),
        (2, 14, "DPTM,XYZ", "qualifier"),
        (2, 15, "12345", "provider"),
        (5, 1, "4", "line_count"),
        (5, 2, "91.00", "total"),
        (5, 4, "57.01", "total"),
    ],
)
def test_each_defect_is_reported_with_its_line(line, index, value, code):
    checked = check(replace_field(good(), line, index, value))
    assert not checked.ok
    assert (line, code) in codes(checked), checked.problems
    assert all(problem.text for problem in checked.problems)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", (0, "empty")),
        ("255|1\n", (1, "no_header")),
        ("ABC|x\n", (1, "record_type")),
    ],
)
def test_structure_defects(text, expected):
    checked = check(text)
    assert expected in codes(checked)


def test_missing_trailer_second_header_and_records_after_the_trailer():
    lines = good().splitlines()
    assert (4, "no_trailer") in codes(check("\n".join(lines[:-1]) + "\n"))
    assert (2, "header_again") in codes(check("\n".join([lines[0], lines[0], *lines[1:]]) + "\n"))
    assert (6, "after_trailer") in codes(check("\n".join([*lines, lines[1]]) + "\n"))
    assert (3, "field_count") in codes(check("\n".join([*lines[:2], "255|2|x", *lines[3:]]) + "\n"))


def test_text_that_is_not_utf8_is_refused():
    data = good().encode("utf-8").replace(b"CPAM-751", b"CPAM-\xe9\xff")
    assert (1, "encoding") in codes(check(data))


def test_problems_are_counted_beyond_the_ones_listed():
    lines = good().splitlines()
    broken = [lines[0], *[lines[1].replace("|19.00|", "|99.00|")] * 150, lines[-1]]
    checked = check("\n".join(broken) + "\n")
    assert len(checked.problems) == fileformat.MAX_PROBLEMS_LISTED
    assert checked.problem_count > fileformat.MAX_PROBLEMS_LISTED


def test_records_written_read_back_unchanged():
    original = act(1, NIR, qualifiers=("DPTM", "HP"))
    assert next(fileformat.read_acts(fileformat.act_record(original))) == original
    assert original.flags == frozenset({"dptm", "outside_pathway"})


def test_the_documented_example_is_a_valid_file():
    doc = (Path(__file__).resolve().parents[3] / "docs" / "teletransmission.md").read_text(encoding="utf-8")
    example = doc.split("### Example", 1)[1].split("```", 2)[1].strip() + "\n"
    checked = check(example)
    assert checked.ok, [problem.text for problem in checked.problems]
    assert checked.totals.lines == 2


def test_only_ascii_digits_count_as_numbers():
    for value in ("²", "٢", "1" * 5000):
        checked = check(replace_field(good(), 2, 3, value))  # the rank
        assert (2, "rank") in codes(checked)
    assert (5, "line_count") in codes(check(replace_field(good(), 5, 1, "³")))


def test_a_byte_order_mark_is_named_as_such():
    assert codes(check("\ufeff" + good())) == [(1, "bom")]


def test_a_line_that_lost_its_type_is_reported_without_repeating_its_content():
    lines = good().splitlines()
    broken = "\n".join([lines[0], lines[1].removeprefix("255|"), *lines[2:]]) + "\n"
    checked = check(broken)
    assert (2, "record_type") in codes(checked)
    assert all(NIR[:5] not in problem.text for problem in checked.problems)


def test_one_defect_is_reported_once_not_with_its_consequences():
    assert codes(check(replace_field(good(), 1, 5, "yesterday"))) == [(1, "datetime")]
    assert codes(check(replace_field(good(), 2, 12, "31.00"))) == [(2, "mr_over_charged")]
