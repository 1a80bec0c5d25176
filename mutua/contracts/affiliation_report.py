"""What an affiliation file import answers: each problem where it is, each row's outcome.

``RowProblem`` numbers rows as a spreadsheet does (the header is row 1, problems about the file
as a whole are row ``FILE_LEVEL``); ``ImportReport`` says the whole in the employer's words.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

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
