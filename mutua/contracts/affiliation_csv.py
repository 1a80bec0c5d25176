"""Reading an affiliation file: its format (the columns, the encoding, the separator) and each row
checked alone, into ``FileRow`` values; every problem goes to the import's report.

The format is described in ``docs/affiliation-file.md``.
"""

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from mutua.contracts.affiliation_report import FILE_LEVEL, HEADER_ROW, ImportReport, RowProblem
from mutua.contracts.models import CoverEndReason, Member
from mutua.contracts.selectors import normalize_member_number
from mutua.contracts.services import nir_clean
from mutua.core.countries import country_code_clean

MAX_BYTES = 5 * 1024 * 1024
HIRE, LEAVE = "hire", "leave"
LEAVE_REASONS = {
    "employment_suspended": CoverEndReason.EMPLOYMENT_SUSPENDED,
    "left_category": CoverEndReason.LEFT_CATEGORY,
    "retirement": CoverEndReason.RETIREMENT,
}
YES, NO = frozenset({"yes", "oui", "y", "o", "true", "1"}), frozenset({"no", "non", "n", "false", "0"})

IDENTITY_COLUMNS = ("action", "member_number", "last_name", "first_name", "birth_date")
HIRE_COLUMNS = ("email", "nir", "hire_date", "received_on", "previously_exempt", "duty_station")
LEAVE_COLUMNS = ("leave_date", "leave_reason", "portability_until")
COLUMNS = IDENTITY_COLUMNS + HIRE_COLUMNS + LEAVE_COLUMNS

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass
class FileRow:
    row: int
    action: str = ""
    member_number: str = ""
    last_name: str = ""
    first_name: str = ""
    birth_date: date | None = None
    email: str = ""
    nir: str = ""
    hire_date: date | None = None
    received_on: date | None = None  # None: not given, the import date applies
    previously_exempt: bool = False
    duty_station: str = ""  # ISO 3166-1 alpha-2, for an international plan (optional column)
    leave_date: date | None = None
    leave_reason: CoverEndReason | None = None
    portability_until: date | None = None


# --- Reading the file ----------------------------------------------------------------------


def read_text(file: IO[bytes], report: ImportReport) -> str | None:
    data = file.read(MAX_BYTES + 1)
    if isinstance(data, str):
        data = data.encode()
    if len(data) > MAX_BYTES:
        report.problems.append(
            RowProblem(
                FILE_LEVEL,
                "",
                _("The file is larger than %(size)d MB.") % {"size": MAX_BYTES // (1024 * 1024)},
                "too_large",
            )
        )
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        report.problems.append(
            RowProblem(
                FILE_LEVEL,
                "",
                _("The file is not UTF-8 text. Save it as “CSV UTF-8” and send it again."),
                "not_utf8",
            )
        )
        return None
    if "\x00" in text:
        report.problems.append(
            RowProblem(FILE_LEVEL, "", _("The file is not a CSV text file."), "not_text"),
        )
        return None
    if not text.strip():
        report.problems.append(RowProblem(FILE_LEVEL, "", _("The file is empty."), "empty"))
        return None
    return text


def _delimiter(text: str) -> str:
    """``;`` or ``,``: whichever the header row holds more of (``,`` on a tie)."""
    header = text.splitlines()[0]
    return ";" if header.count(";") > header.count(",") else ","


def _header(record: list[str], report: ImportReport) -> list[str]:
    names = [name.strip().lower() for name in record]
    for index, name in enumerate(names):
        if name not in COLUMNS:
            report.problems.append(
                RowProblem(
                    HEADER_ROW,
                    name or str(index + 1),
                    _("Unknown column. The columns are: %(columns)s.") % {"columns": ", ".join(COLUMNS)},
                    "unknown_column",
                )
            )
        elif name in names[:index]:
            report.problems.append(RowProblem(HEADER_ROW, name, _("This column appears twice."), "duplicate_column"))
    for name in IDENTITY_COLUMNS:
        if name not in names:
            report.problems.append(RowProblem(HEADER_ROW, name, _("This column is missing."), "missing_column"))
    return names


def records(text: str, report: ImportReport) -> list[tuple[int, dict[str, str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        header = _header(next(reader), report)
        if not report.accepted:
            return []
        records = []
        for values in reader:
            if not any(value.strip() for value in values):
                continue
            if len(values) != len(header):
                report.problems.append(
                    RowProblem(
                        reader.line_num,
                        "",
                        _("This row has %(found)d columns; the header has %(expected)d.")
                        % {"found": len(values), "expected": len(header)},
                        "column_count",
                    )
                )
                continue
            records.append((reader.line_num, {name: value.strip() for name, value in zip(header, values, strict=True)}))
    except csv.Error as error:
        report.problems.append(
            RowProblem(reader.line_num, "", _("The CSV cannot be read here (%(error)s).") % {"error": error}, "csv")
        )
        return []
    if not records and report.accepted:
        report.problems.append(RowProblem(FILE_LEVEL, "", _("The file has no rows after the header."), "empty"))
    return records


# --- Checking each row alone ---------------------------------------------------------------


class RowChecker:
    """Reads one row's values into a ``FileRow``, noting every problem found on the way."""

    def __init__(self, row: int, values: dict[str, str], report: ImportReport, today: date) -> None:
        self.values, self.report, self.today = values, report, today
        self.parsed = FileRow(row=row)

    def problem(self, column: str, message: str, code: str) -> None:
        self.report.problems.append(RowProblem(self.parsed.row, column, message, code))

    def text(self, column: str, *, required: bool, max_length: int) -> str:
        value = self.values.get(column, "")
        if required and not value:
            self.problem(column, _("This value is required."), "required")
        elif len(value) > max_length:
            self.problem(column, _("At most %(max)d characters.") % {"max": max_length}, "too_long")
        return value

    def iso_date(self, column: str, *, required: bool) -> date | None:
        value = self.values.get(column, "")
        if not value:
            if required:
                self.problem(column, _("This date is required."), "required")
            return None
        try:
            if not ISO_DATE.fullmatch(value):
                raise ValueError(value)
            return date.fromisoformat(value)
        except ValueError:
            self.problem(column, _("Not a date: write it as YYYY-MM-DD (for example 2025-03-31)."), "date")
            return None

    def converted(self, column: str, convert: Callable[[str], Any], code: str) -> Any:
        value = self.values.get(column, "")
        if not value:
            return None
        try:
            return convert(value)
        except ValidationError as error:
            self.problem(column, " ".join(error.messages), code)
            return None

    def must_be_empty(self, columns: tuple[str, ...], message: str) -> None:
        for column in columns:
            if self.values.get(column, ""):
                self.problem(column, message, "not_applicable")

    def check(self) -> FileRow:
        row = self.parsed
        action = self.text("action", required=True, max_length=10).lower()
        if action and action not in (HIRE, LEAVE):
            self.problem("action", _("Write “hire” or “leave”."), "action")
        row.action = action
        number = self.text("member_number", required=True, max_length=40)
        row.member_number = normalize_member_number(number)
        if number and not row.member_number:
            self.problem("member_number", _("A member number must contain letters or digits."), "member_number")
        elif len(row.member_number) > Member._meta.get_field("member_number").max_length:
            self.problem("member_number", _("This member number is too long."), "member_number")
        row.last_name = self.text("last_name", required=True, max_length=100)
        row.first_name = self.text("first_name", required=True, max_length=100)
        row.birth_date = self.iso_date("birth_date", required=True)
        if row.birth_date and row.birth_date >= self.today:
            self.problem("birth_date", _("The birth date must be in the past."), "birth_date")
        if action == HIRE:
            self._check_hire()
        elif action == LEAVE:
            self._check_leave()
        return row

    def _check_hire(self) -> None:
        row = self.parsed
        row.email = self.text("email", required=True, max_length=254)
        if row.email:
            try:
                validate_email(row.email)
            except ValidationError:
                self.problem("email", _("This e-mail address is not valid."), "email")
        row.nir = self.converted("nir", nir_clean, "nir") or ""
        row.hire_date = self.iso_date("hire_date", required=True)
        if row.hire_date and row.birth_date and row.hire_date <= row.birth_date:
            self.problem("hire_date", _("The hiring date must be after the birth date."), "hire_date")
        row.received_on = self.iso_date("received_on", required=False)
        if row.received_on and row.received_on > self.today:
            self.problem("received_on", _("The date of receipt cannot be in the future."), "received_on")
        exempt = self.values.get("previously_exempt", "").lower()
        if exempt and exempt not in YES | NO:
            self.problem("previously_exempt", _("Write “yes” or “no”, or leave it empty."), "yes_no")
        row.previously_exempt = exempt in YES
        row.duty_station = self.converted("duty_station", country_code_clean, "duty_station") or ""
        self.must_be_empty(LEAVE_COLUMNS, _("Leave this column empty for a hire."))

    def _check_leave(self) -> None:
        row = self.parsed
        row.leave_date = self.iso_date("leave_date", required=True)
        reason = self.text("leave_reason", required=True, max_length=30).lower()
        if reason and reason not in LEAVE_REASONS:
            self.problem(
                "leave_reason",
                _("Write one of: %(reasons)s.") % {"reasons": ", ".join(LEAVE_REASONS)},
                "leave_reason",
            )
        row.leave_reason = LEAVE_REASONS.get(reason)
        row.portability_until = self.iso_date("portability_until", required=False)
        if row.portability_until:
            if reason and reason != "left_category":
                self.problem(
                    "portability_until",
                    _("Portability applies only when the person leaves the insured category (left_category)."),
                    "not_applicable",
                )
            elif row.leave_date and row.portability_until < row.leave_date:
                self.problem(
                    "portability_until", _("The end of portability must be after the leaving date."), "portability"
                )
        self.must_be_empty(HIRE_COLUMNS, _("Leave this column empty for a leave."))
