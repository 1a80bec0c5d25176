"""Import an employer's affiliation file from the command line: ``mutua import_affiliations GC-001 hires.csv``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from mutua.contracts.imports import affiliation_file_import
from mutua.contracts.models import GroupContract


class Command(BaseCommand):
    help = "Check an affiliation CSV file for a group contract and import it; exits non-zero when it is refused."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("contract_number")
        parser.add_argument("file", type=Path)

    def handle(self, *args: object, **options: object) -> None:
        number, path = str(options["contract_number"]), options["file"]
        assert isinstance(path, Path)
        contract = GroupContract.objects.filter(number=number).first()
        if contract is None:
            raise CommandError(_("No group contract has the number %(number)s.") % {"number": number})
        try:
            with path.open("rb") as file:
                report = affiliation_file_import(contract=contract, file=file, filename=path.name, by=None)
        except OSError as error:
            raise CommandError(_("The file cannot be read: %(error)s") % {"error": error.strerror}) from error
        if not report.accepted:
            for line in report.problem_lines():
                self.stderr.write(line)
            raise CommandError(report.summary())
        for line in report.outcomes:
            self.stdout.write(f"{line.row}\t{line.action}\t{line.member_number}\t{line.label}")
        self.stdout.write(report.summary())
