"""Reads for teletransmission: files and their progress, the exception queue."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet

from mutua.teletransmission.fileformat import Problem
from mutua.teletransmission.models import AmChunk, AmException, AmFile

OUTCOME_KEYS = ("accepted", "review", "rejected", "exceptions")


def am_file_summary(*, am_file: AmFile) -> dict[str, object]:
    """What the file's processed chunks gave, added up."""
    summary: dict[str, object] = dict.fromkeys(OUTCOME_KEYS, 0)
    paid = Decimal("0.00")
    for outcome in am_file.chunks.filter(status=AmChunk.Status.DONE).values_list("outcome", flat=True):
        for key in OUTCOME_KEYS:
            summary[key] = int(summary[key]) + int(outcome.get(key, 0))
        paid += Decimal(outcome.get("paid", "0"))
    summary["paid"] = paid
    return summary


@dataclass(frozen=True)
class Progress:
    chunks_done: int
    chunks: int
    lines_done: int
    lines: int

    @property
    def percent(self) -> int:
        return 100 if not self.chunks else round(100 * self.chunks_done / self.chunks)


def am_file_progress(*, am_file: AmFile) -> Progress:
    done = am_file.chunks.filter(status=AmChunk.Status.DONE)
    lines_done = sum(done.values_list("line_count", flat=True))
    # Counted, not the number cut: lines of households another worker held wait in chunks of their own.
    return Progress(done.count(), am_file.chunks.count(), lines_done, am_file.line_count)


def am_file_failed_chunks(*, am_file: AmFile) -> QuerySet[AmChunk]:
    return am_file.chunks.filter(status=AmChunk.Status.FAILED).only("number", "first_seq", "line_count", "last_error")


def am_file_problems(*, am_file: AmFile) -> list[Problem]:
    return [Problem.from_dict(problem) for problem in am_file.problems]


def am_file_list() -> QuerySet[AmFile]:
    return AmFile.objects.select_related("received_by").annotate(
        open_exceptions=Count("exceptions", filter=Q(exceptions__status=AmException.Status.OPEN))
    )


def am_exception_queue(*, reason: str = "") -> QuerySet[AmException]:
    """Open exceptions, oldest first: the AM paid its part long ago, the member waits for ours."""
    queue = AmException.objects.filter(status=AmException.Status.OPEN).select_related("file", "member")
    if reason:
        queue = queue.filter(reason=reason)
    return queue.order_by("created_at", "pk")


def am_exception_get(*, exception_id: int) -> AmException | None:
    return AmException.objects.select_related("file", "member", "claim_item__claim").filter(pk=exception_id).first()
