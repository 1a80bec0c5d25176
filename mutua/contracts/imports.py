"""The employer's affiliation file: new hires and leavers of a group contract, as CSV.

The format is described in ``docs/affiliation-file.md``. The whole file is checked
before anything is written: a file with one bad row imports nothing, and the report says
row by row and column by column what is wrong. A good file is applied in one transaction
through the contract services (``member_affiliate``, ``member_cover_end``), so the cover
dates follow the same rules as everywhere else. Importing the same file again changes
nothing: a row that the members' files already say is counted as unchanged.

Nothing of the file itself is stored.
"""

import csv
import io
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mutua.contracts.models import CoverEndReason, GroupContract, Member
from mutua.contracts.rules import subscriber_cover_start
from mutua.contracts.selectors import normalize_member_number
from mutua.contracts.services import cover_end_for, member_affiliate, member_cover_end, nir_clean
from mutua.core.countries import country_code_clean
from mutua.core.crypto import search_digest

logger = logging.getLogger(__name__)

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
FILE_LEVEL = 0  # row number of problems about the file as a whole
HEADER_ROW = 1


@dataclass(frozen=True)
class RowProblem:
    """What is wrong, where: ``row`` as a spreadsheet numbers it (the header is row 1)."""

    row: int
    column: str
    message: str
    code: str


@dataclass(frozen=True)
class RowOutcome:
    row: int
    action: str
    member_number: str
    outcome: str  # "created", "ended" or "unchanged"

    @property
    def label(self) -> str:
        labels = {"created": _("affiliated"), "ended": _("cover ended"), "unchanged": _("already up to date")}
        return labels[self.outcome]


@dataclass
class ImportReport:
    filename: str
    problems: list[RowProblem] = field(default_factory=list)
    outcomes: list[RowOutcome] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        return not self.problems

    def _count(self, outcome: str) -> int:
        return sum(1 for line in self.outcomes if line.outcome == outcome)

    @property
    def created(self) -> int:
        return self._count("created")

    @property
    def ended(self) -> int:
        return self._count("ended")

    @property
    def unchanged(self) -> int:
        return self._count("unchanged")

    def summary(self) -> str:
        if not self.accepted:
            return _("The file was refused: nothing was imported. Correct the rows below and send it again.")
        return _("%(created)d created, %(ended)d ended, %(unchanged)d already up to date.") % {
            "created": self.created,
            "ended": self.ended,
            "unchanged": self.unchanged,
        }

    def problem_lines(self) -> list[str]:
        lines = []
        for problem in self.problems:
            if problem.row == FILE_LEVEL:
                lines.append(problem.message)
            elif problem.column:
                lines.append(
                    _("Row %(row)d, column %(column)s: %(message)s")
                    % {"row": problem.row, "column": problem.column, "message": problem.message}
                )
            else:
                lines.append(_("Row %(row)d: %(message)s") % {"row": problem.row, "message": problem.message})
        return lines


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


def _read_text(file: IO[bytes], report: ImportReport) -> str | None:
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


def _records(text: str, report: ImportReport) -> list[tuple[int, dict[str, str]]]:
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


class _RowChecker:
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


# --- Checking the rows together and against the members' files -------------------------------


def _same_person(member: Member | FileRow, row: FileRow) -> bool:
    def key(person: Member | FileRow) -> tuple[str, str, date | None]:
        return person.last_name.strip().casefold(), person.first_name.strip().casefold(), person.birth_date

    return key(member) == key(row)


class _FileChecker:
    def __init__(self, *, contract: GroupContract, rows: list[FileRow], report: ImportReport, today: date) -> None:
        self.contract, self.rows, self.report, self.today = contract, rows, report, today
        numbers = {row.member_number for row in rows}
        self.members = {
            member.member_number: member
            for member in Member.objects.select_for_update(of=("self",))
            .select_related("contract")
            .filter(member_number__in=numbers)
        }
        self.hires = {row.member_number: row for row in rows if row.action == HIRE}
        self.pending: list[tuple[str, FileRow]] = []  # (what to do, row), in the order to apply

    def problem(self, row: FileRow, column: str, message: str, code: str) -> None:
        self.report.problems.append(RowProblem(row.row, column, message, code))

    def check(self) -> None:
        self._check_duplicates()
        for row in self.rows:
            if row.action == HIRE:
                self._check_hire(row)
        for row in self.rows:
            if row.action == LEAVE:
                self._check_leave(row)

    def _check_duplicates(self) -> None:
        seen: dict[tuple[str, str], int] = {}
        nirs: dict[str, FileRow] = {}
        for row in self.rows:
            key = (row.action, row.member_number)
            if key in seen:
                self.problem(
                    row,
                    "member_number",
                    _("This member number already has a row of the same action (row %(row)d).") % {"row": seen[key]},
                    "duplicate",
                )
            else:
                seen[key] = row.row
            if row.nir:
                other = nirs.setdefault(row.nir, row)
                if other is not row and other.member_number != row.member_number:
                    self.problem(
                        row,
                        "nir",
                        _("This social security number is already in row %(row)d for another member number.")
                        % {"row": other.row},
                        "duplicate_nir",
                    )

    def _check_hire(self, row: FileRow) -> None:
        contract = self.contract
        if contract.termination_date and row.hire_date and row.hire_date >= contract.termination_date:
            self.problem(
                row,
                "hire_date",
                _("The contract ends on %(date)s.") % {"date": contract.termination_date.isoformat()},
                "contract_ended",
            )
        if row.nir:
            holder = Member.objects.filter(nir_digest=search_digest(row.nir)).exclude(member_number=row.member_number)
            if holder.exists():
                self.problem(row, "nir", _("This social security number is on file for another member."), "nir_in_use")
        member = self.members.get(row.member_number)
        if member is None:
            self.pending.append(("create", row))
            return
        if not _same_person(member, row):
            self.problem(
                row,
                "member_number",
                _("This member number is already used by another person."),
                "number_in_use",
            )
            return
        self._check_same_affiliation(member, row)

    def _check_same_affiliation(self, member: Member, row: FileRow) -> None:
        """A hire already on file is "up to date" when every value the row gives matches the file."""
        differences = []
        if member.contract_id != self.contract.pk:
            other = member.contract.number if member.contract else "—"
            differences.append(("member_number", other, "other_contract"))
        if member.hire_date != row.hire_date:
            differences.append(("hire_date", member.hire_date.isoformat() if member.hire_date else "—", "differs"))
        if member.email.casefold() != row.email.casefold():
            differences.append(("email", member.email, "differs"))
        if row.nir and member.nir != row.nir:
            differences.append(("nir", _("another number"), "differs"))
        if member.previously_exempt != row.previously_exempt:
            differences.append(("previously_exempt", _("yes") if member.previously_exempt else _("no"), "differs"))
        if row.received_on and member.affiliation_received_on != row.received_on:
            on_file = member.affiliation_received_on.isoformat() if member.affiliation_received_on else "—"
            differences.append(("received_on", on_file, "differs"))
        for column, on_file, code in differences:
            if code == "other_contract":
                message = _("This member is already affiliated under contract %(contract)s.") % {"contract": on_file}
            else:
                message = _(
                    "This member is already affiliated with another value (on file: %(value)s). "
                    "Changes to a member's file are made in the back office."
                ) % {"value": on_file}
            self.problem(row, column, message, code)
        if not differences:
            self.pending.append(("unchanged", row))

    def _cover_start(self, row: FileRow, member: Member | None) -> date | None:
        if member is not None:
            return member.cover_start
        hire = self.hires.get(row.member_number)
        if hire is None or hire.hire_date is None:
            return None
        return subscriber_cover_start(
            contract_start=self.contract.start_date,
            hire_date=hire.hire_date,
            received=hire.received_on or self.today,
            previously_exempt=hire.previously_exempt,
        )

    def _check_leave(self, row: FileRow) -> None:
        member = self.members.get(row.member_number)
        hire = self.hires.get(row.member_number)
        if member is None and hire is None:
            self.problem(row, "member_number", _("No member has this number."), "unknown_member")
            return
        if not _same_person(member or hire, row):
            self.problem(row, "member_number", _("This member number belongs to another person."), "number_in_use")
            return
        if member is not None and member.contract_id != self.contract.pk:
            self.problem(
                row, "member_number", _("This member is not affiliated under this contract."), "other_contract"
            )
            return
        start = self._cover_start(row, member)
        if start is None:
            if member is not None:
                self.problem(row, "leave_date", _("This member's cover has no start date."), "no_cover")
            return
        if row.leave_date is None or row.leave_reason is None:
            return
        if row.leave_date < start:
            self.problem(
                row,
                "leave_date",
                _("The leaving date is before the cover start (%(date)s).") % {"date": start.isoformat()},
                "end_before_start",
            )
            return
        if member is not None and member.cover_end is not None:
            self._check_same_end(member, row)
            return
        self.pending.append(("end", row))

    def _check_same_end(self, member: Member, row: FileRow) -> None:
        assert row.leave_reason is not None and row.leave_date is not None and member.cover_end is not None
        expected = cover_end_for(
            reason=row.leave_reason, event_date=row.leave_date, portability_until=row.portability_until
        )
        if (member.cover_end, member.cover_end_reason) == expected:
            self.pending.append(("unchanged", row))
            return
        self.problem(
            row,
            "leave_date",
            _(
                "This member's cover already ends on %(date)s (%(reason)s). "
                "Changes to a member's file are made in the back office."
            )
            % {"date": member.cover_end.isoformat(), "reason": member.get_cover_end_reason_display()},
            "already_ended",
        )


# --- Applying a good file --------------------------------------------------------------------


def _apply(*, contract: GroupContract, checker: _FileChecker, today: date, report: ImportReport) -> None:
    members = dict(checker.members)
    for what, row in checker.pending:
        assert row.action in (HIRE, LEAVE)
        if what == "unchanged":
            outcome = "unchanged"
        elif what == "create":
            assert row.birth_date and row.hire_date
            members[row.member_number] = member_affiliate(
                contract=contract,
                member_number=row.member_number,
                first_name=row.first_name,
                last_name=row.last_name,
                birth_date=row.birth_date,
                email=row.email,
                hire_date=row.hire_date,
                received_on=row.received_on or today,
                previously_exempt=row.previously_exempt,
                nir=row.nir,
                duty_station=row.duty_station,
            )
            outcome = "created"
        else:
            assert row.leave_reason and row.leave_date
            member_cover_end(
                member=members[row.member_number],
                reason=row.leave_reason,
                event_date=row.leave_date,
                portability_entitled_until=row.portability_until,
            )
            outcome = "ended"
        report.outcomes.append(RowOutcome(row.row, row.action, row.member_number, outcome))
    report.outcomes.sort(key=lambda line: line.row)


def affiliation_file_import(
    *, contract: GroupContract, file: IO[bytes], filename: str, by: Any = None, today: date | None = None
) -> ImportReport:
    """Check the whole file, then apply it in one transaction, or refuse it with the reasons.

    ``by`` is who sends the file (a staff user, or None from the command line); ``today`` is
    the import date (the default date of receipt).
    """
    today = today or timezone.localdate()
    report = ImportReport(filename=filename)
    text = _read_text(file, report)
    rows = (
        [_RowChecker(number, values, report, today).check() for number, values in _records(text, report)]
        if text
        else []
    )
    if report.accepted:
        _check_and_apply(contract=contract, rows=rows, report=report, today=today)
    report.problems.sort(key=_problem_order)
    logger.info(
        "affiliation file %s for contract %s by %s: %s",
        filename,
        contract.number,
        getattr(by, "username", None) or "command line",
        "accepted" if report.accepted else f"refused ({len(report.problems)} problems)",
    )
    return report


def _problem_order(problem: RowProblem) -> tuple[int, int]:
    return problem.row, COLUMNS.index(problem.column) if problem.column in COLUMNS else -1


def _check_and_apply(*, contract: GroupContract, rows: list[FileRow], report: ImportReport, today: date) -> None:
    try:
        with transaction.atomic():
            checker = _FileChecker(contract=contract, rows=rows, report=report, today=today)
            checker.check()
            if report.accepted:
                _apply(contract=contract, checker=checker, today=today, report=report)
    except (IntegrityError, ValidationError) as error:
        # Someone changed the same members in the meantime: nothing was written.
        logger.warning("affiliation file %s refused while applying: %s", report.filename, error)
        report.outcomes.clear()
        report.problems.append(
            RowProblem(
                FILE_LEVEL,
                "",
                _("The members' files changed during the import. Nothing was imported: send the file again."),
                "conflict",
            )
        )
