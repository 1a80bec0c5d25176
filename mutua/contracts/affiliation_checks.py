"""Checking an affiliation file's rows together and against the members' files: duplicates, numbers
used by another person, hires already on file, leaves before the cover starts or already applied.

``FileChecker`` locks the members the file names and lists, in order, what applying the file does.
"""

from datetime import date

from django.utils.translation import gettext as _

from mutua.contracts.affiliation_csv import HIRE, LEAVE, FileRow
from mutua.contracts.affiliation_report import ImportReport, RowProblem
from mutua.contracts.models import GroupContract, Member
from mutua.contracts.rules import subscriber_cover_start
from mutua.contracts.services import cover_end_for
from mutua.core.crypto import search_digest


def _same_person(member: Member | FileRow, row: FileRow) -> bool:
    def key(person: Member | FileRow) -> tuple[str, str, date | None]:
        return person.last_name.strip().casefold(), person.first_name.strip().casefold(), person.birth_date

    return key(member) == key(row)


class FileChecker:
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
