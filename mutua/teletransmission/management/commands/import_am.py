"""``mutua import-am FILE``: check an AM statement file, then pay its lines (docs/teletransmission.md)."""

import signal
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from mutua.core.formatting import money_format
from mutua.teletransmission.fileformat import Problem
from mutua.teletransmission.models import AmFile
from mutua.teletransmission.selectors import (
    OUTCOME_KEYS,
    am_file_failed_chunks,
    am_file_progress,
    am_file_summary,
)
from mutua.teletransmission.services import AmFileRefused, am_file_enqueue_workers, am_file_import
from mutua.teletransmission.workers import drain_in_processes


class Command(BaseCommand):
    help = (
        "Check an AM statement file whole and pay its lines with local worker processes (or, with --background, "
        "with the queue's workers). --resume finishes files that workers left unfinished. Exits non-zero when "
        "the file is refused or left unfinished."
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
            # Every file gets its turn; those that stay unfinished are told together at the end.
            problems = [
                self._drain(am_file, workers)
                for am_file in AmFile.objects.filter(status=AmFile.Status.PROCESSING).order_by("pk")
            ]
            if any(problems):
                raise CommandError("\n".join(problem for problem in problems if problem))
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
        problem = self._drain(am_file, workers)
        if problem:
            raise CommandError(problem)

    def _drain(self, am_file: AmFile, workers: int) -> str:
        """Pay the file's lines, say what became of them; the problem if the file is not done."""

        def progress(done: int, total: int) -> None:
            self.stderr.write(_("%(done)s/%(total)s chunks done") % {"done": done, "total": total})

        drained = drain_in_processes(am_file_id=am_file.pk, workers=workers, progress=progress)
        for number, code in drained.stopped:
            self.stderr.write(_stopped_text(number, code))
        am_file = drained.am_file
        summary = am_file_summary(am_file=am_file)
        self.stdout.write(
            _(
                "File %(file_id)s: %(accepted)s lines paid (%(paid)s), %(review)s sent to a handler, "
                "%(rejected)s refused, %(exceptions)s in the exception queue."
            )
            % {"file_id": am_file.file_id, **summary, "paid": money_format(summary["paid"])}
        )
        problem = _unfinished_text(am_file, summary)
        if not problem and drained.stopped:
            self.stdout.write(
                _("File %(file_id)s is finished all the same: %(lines)s lines, %(exceptions)s exception(s).")
                % {"file_id": am_file.file_id, "lines": am_file.line_count, "exceptions": summary["exceptions"]}
            )
        return problem


def _stopped_text(number: int, code: int) -> str:
    if code < 0:
        return _("Worker %(number)s stopped before the end: killed by %(signal)s.") % {
            "number": number,
            "signal": signal.Signals(-code).name,
        }
    return _("Worker %(number)s stopped before the end: exit code %(code)s.") % {"number": number, "code": code}


def _unfinished_text(am_file: AmFile, summary: dict[str, object]) -> str:
    """Why the file is not done and reconciled (every line accounted for once), or "" when it is."""
    failed = list(am_file_failed_chunks(am_file=am_file))
    if failed:
        return _(
            "File %(file_id)s is not finished: %(count)s chunk(s) set aside after errors (%(error)s). "
            "Fix the cause, put them back in the queue from the file's page, then run mutua import-am --resume."
        ) % {"file_id": am_file.file_id, "count": len(failed), "error": failed[0].last_error}
    if am_file.status != AmFile.Status.DONE:
        progress = am_file_progress(am_file=am_file)
        return _(
            "File %(file_id)s is not finished: %(done)s of %(chunks)s chunks done, the others are held by "
            "other workers. mutua import-am --resume finishes them if those workers stop."
        ) % {"file_id": am_file.file_id, "done": progress.chunks_done, "chunks": progress.chunks}
    counted = sum(int(summary[key]) for key in OUTCOME_KEYS)
    if counted != am_file.line_count:
        return _("File %(file_id)s is done but its outcomes add up to %(counted)s lines instead of %(lines)s.") % {
            "file_id": am_file.file_id,
            "counted": counted,
            "lines": am_file.line_count,
        }
    return ""
