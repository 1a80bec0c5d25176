"""The employer's affiliation file: new hires and leavers of a group contract, as CSV.

The format is described in ``docs/affiliation-file.md``. The whole file is checked
before anything is written: a file with one bad row imports nothing, and the report says
row by row and column by column what is wrong. A good file is applied in one transaction
through the contract services (``member_affiliate``, ``member_cover_end``), so the cover
dates follow the same rules as everywhere else. Importing the same file again changes
nothing: a row that the members' files already say is counted as unchanged.

Nothing of the file itself is stored.

This module runs the import and applies a good file; reading the CSV and checking each row alone
is ``affiliation_csv``, checking the rows together and against the members' files is
``affiliation_checks``, and the report they fill is ``affiliation_report``.
"""

import logging
from datetime import date
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mutua.contracts.affiliation_checks import FileChecker
from mutua.contracts.affiliation_csv import COLUMNS, HIRE, LEAVE, FileRow, RowChecker, read_text, records
from mutua.contracts.affiliation_report import FILE_LEVEL, ImportReport, RowOutcome, RowProblem
from mutua.contracts.models import GroupContract
from mutua.contracts.services import member_affiliate, member_cover_end

logger = logging.getLogger(__name__)


def _apply(*, contract: GroupContract, checker: FileChecker, today: date, report: ImportReport) -> None:
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
    text = read_text(file, report)
    rows = (
        [RowChecker(number, values, report, today).check() for number, values in records(text, report)] if text else []
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
            checker = FileChecker(contract=contract, rows=rows, report=report, today=today)
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
