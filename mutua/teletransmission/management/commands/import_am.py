"""``mutua import-am FILE``: check an AM statement file, then pay its lines (docs/teletransmission.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from mutua.teletransmission.fileformat import Problem
from mutua.teletransmission.models import AmFile
from mutua.teletransmission.selectors import am_file_summary
from mutua.teletransmission.services import AmFileRefused, am_file_enqueue_workers, am_file_import
from mutua.teletransmission.workers import drain_in_processes


class Command(BaseCommand):
    help = (
        "Check an AM statement file whole and pay its lines with local worker processes (or, with --background, "
        "with the queue's workers). --resume finishes files that workers left unfinished. Exits non-zero when "
        "the file is refused."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, nargs="?")
        parser.add_argument("--workers", type=int, default=2, help="local worker processes (default 2)")
        parser.add_argument("--chunk-lines", type=int, default=None, help="lines per chunk")
        parser.add_argument("--background", action="store_true", help="leave the lines to the queue's workers")
        parser.add_argument("--resume", action="store_true", help="finish every file still being processed")

    def handle(self, *args: object, **options: object) -> None:
        path, workers = options["file"], int(options["workers"])
        if options["resume"]:
            for am_file in AmFile.objects.filter(status=AmFile.Status.PROCESSING).order_by("pk"):
                self._drain(am_file, workers)
            return
        if not isinstance(path, Path):
            raise CommandError(_("Give the file to import, or --resume."))
        if workers < 1:
            raise CommandError(_("At least one worker is needed."))
        try:
            am_file = am_file_import(path=path, chunk_lines=options["chunk_lines"])
        except OSError as error:
            raise CommandError(_("The file cannot be read: %(error)s") % {"error": error.strerror}) from error
        except AmFileRefused as refused:
            for problem in refused.am_file.problems:
                text = Problem.from_dict(problem).text
                self.stderr.write(_("line %(line)s: %(problem)s") % {"line": problem["line"], "problem": text})
            raise CommandError(
                _("File refused, nothing imported: %(count)s problem(s).") % {"count": refused.am_file.problem_count}
            ) from None
        self.stdout.write(
            _("File %(file_id)s accepted: %(lines)s lines in %(chunks)s chunks.")
            % {"file_id": am_file.file_id, "lines": am_file.line_count, "chunks": am_file.chunk_count}
        )
        if options["background"]:
            am_file_enqueue_workers(am_file=am_file)
            self.stdout.write(_("The queue's workers will pay the lines."))
            return
        self._drain(am_file, workers)

    def _drain(self, am_file: AmFile, workers: int) -> None:
        def progress(done: int, total: int) -> None:
            self.stderr.write(_("%(done)s/%(total)s chunks done") % {"done": done, "total": total})

        am_file = drain_in_processes(am_file_id=am_file.pk, workers=workers, progress=progress)
        summary = am_file_summary(am_file=am_file)
        self.stdout.write(
            _(
                "File %(file_id)s: %(accepted)s lines paid (%(paid)s €), %(review)s sent to a handler, "
                "%(rejected)s refused, %(exceptions)s in the exception queue."
            )
            % {"file_id": am_file.file_id, **summary}
        )
