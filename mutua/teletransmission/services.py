"""Writes for teletransmission: receive an AM statement file, pay its lines, handle exceptions.

A file is checked whole before anything is kept of it, then cut into chunks that never split
an insured's consecutive lines. Each chunk is processed in one transaction that also marks it
done, under row locks on the households it touches (taken in one order, so workers never wait
on each other in a cycle): a worker killed in the middle of a chunk leaves it untouched for
the next worker, and a chunk once done is never processed again.
"""

import hashlib
import io
import itertools
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import NoReturn

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mutua.accounts.models import User
from mutua.contracts.models import TELETRANSMISSION_WORKFLOW, Beneficiary, Member
from mutua.contracts.selectors import normalize_member_number
from mutua.core.bulk import insert_many
from mutua.core.crypto import decrypt_bytes, encrypt_bytes
from mutua.core.workflow import status_change, status_change_many
from mutua.teletransmission import fileformat
from mutua.teletransmission.fileformat import ActLine, Problem
from mutua.teletransmission.models import AmChunk, AmException, AmFile
from mutua.teletransmission.paying import HouseholdsBusy, acts_pay
from mutua.teletransmission.tasks import drain_am_file, load_am_file, send_am_file_digests

ZERO = Decimal("0.00")
logger = logging.getLogger(__name__)


class AmFileRefused(Exception):
    """The file was refused whole; ``am_file`` holds the report (its problems)."""

    def __init__(self, am_file: AmFile) -> None:
        super().__init__(f"AM file refused: {am_file.problem_count} problem(s)")
        self.am_file = am_file


# ---------------------------------------------------------------------------------------------
# Receiving a file


def am_file_upload(*, upload: UploadedFile, by: User) -> AmFile:
    """An upload from the back office: kept encrypted until a worker checks it and cuts it."""
    if upload.size > settings.TELETRANSMISSION_MAX_FILE_BYTES:
        raise ValidationError(
            _("This file is larger than %(size)s MB."),
            params={"size": settings.TELETRANSMISSION_MAX_FILE_BYTES // 2**20},
            code="too_large",
        )
    content = b"".join(upload.chunks())
    if b"\0" in content[:65536]:
        raise ValidationError(_("This is not an AM statement file (text expected)."), code="not_text")
    with transaction.atomic():
        am_file = AmFile.objects.create(
            name=Path(upload.name or "am-file").name[:200], sha256=hashlib.sha256(content).hexdigest(), received_by=by
        )
        am_file.staged.save(f"{am_file.pk}.enc", ContentFile(encrypt_bytes(content)), save=True)
        transaction.on_commit(lambda: load_am_file.enqueue(am_file_id=am_file.pk))
    return am_file


def am_file_import(*, path: Path, by: User | None = None, chunk_lines: int | None = None) -> AmFile:
    """A file on disk (command line): checked and cut at once. Raises ``AmFileRefused``."""
    digest = hashlib.sha256()
    with path.open("rb") as source:
        for block in iter(lambda: source.read(2**20), b""):
            digest.update(block)
    am_file = AmFile.objects.create(name=path.name[:200], sha256=digest.hexdigest(), received_by=by)
    return _load(am_file, lambda: path.open("rb"), chunk_lines=chunk_lines)


def am_file_load(*, am_file_id: int) -> AmFile:
    """Check and cut an uploaded file (worker side); a refused file keeps only its report.

    The encrypted copy is removed once the file is accepted or refused, not before: a worker that
    dies meanwhile leaves it for the next attempt.
    """
    am_file = AmFile.objects.get(pk=am_file_id)
    if am_file.status != AmFile.Status.RECEIVED:
        return am_file  # a repeated task changes nothing
    content = decrypt_bytes(am_file.staged.read())
    am_file.staged.close()
    try:
        loaded = _load(am_file, lambda: io.BytesIO(content))
    except AmFileRefused as refused:
        loaded = refused.am_file
    except Exception:
        logger.exception("AM file %s could not be read", am_file.pk)  # the content is never logged
        try:
            _refuse(am_file, [Problem(0, "unreadable")], 1)
        except AmFileRefused as refused:
            loaded = refused.am_file
    am_file.staged.delete(save=False)
    AmFile.objects.filter(pk=am_file.pk).update(staged="")  # only this field: ``am_file`` is stale
    return loaded


def _load(am_file: AmFile, open_file: Callable[[], io.BufferedIOBase], *, chunk_lines: int | None = None) -> AmFile:
    with open_file() as source:
        checked = fileformat.check_file(source)
    if checked.ok:
        problem = _already_received(am_file, checked.header.file_id)
        if problem is not None:
            checked.add(problem)
    if not checked.ok:
        _refuse(am_file, checked.problems, checked.problem_count)
    header, totals = checked.header, checked.totals
    try:
        with transaction.atomic():
            am_file.file_id, am_file.sender = header.file_id, header.sender
            am_file.created_at = timezone.make_aware(header.created_at)
            am_file.line_count = totals.lines
            am_file.total_charged, am_file.total_br, am_file.total_mr = totals.charged, totals.br, totals.mr
            am_file.save()
            # Streamed: a file of a million lines is never held in memory whole.
            with open_file() as source:
                numbered = enumerate(_cut(source, chunk_lines or settings.TELETRANSMISSION_CHUNK_LINES), start=1)
                while batch := list(itertools.islice(numbered, CHUNKS_PER_INSERT)):
                    AmChunk.objects.bulk_create(
                        AmChunk(file=am_file, number=number, first_seq=first, line_count=count, records=records)
                        for number, (first, count, records) in batch
                    )
                    am_file.chunk_count = batch[-1][0]
            am_file.save(update_fields=["chunk_count"])
            am_file = status_change(
                instance=am_file, workflow=AmFile.WORKFLOW, to_status=AmFile.Status.PROCESSING, by=am_file.received_by
            )
    except IntegrityError:  # the same file id accepted by someone else at the same moment
        _refuse(am_file, [_already_problem(header.file_id)], 1)
    return am_file


def am_file_enqueue_workers(*, am_file: AmFile, workers: int | None = None) -> None:
    """Ask the background workers to share the file's chunks."""
    for _worker in range(workers or settings.TELETRANSMISSION_WORKERS):
        transaction.on_commit(lambda: drain_am_file.enqueue(am_file_id=am_file.pk))


def _already_problem(file_id: str) -> Problem:
    return Problem(1, "already_imported", {"file_id": file_id})


def _already_received(am_file: AmFile, file_id: str) -> Problem | None:
    earlier = AmFile.objects.exclude(pk=am_file.pk).exclude(status=AmFile.Status.REFUSED)
    if earlier.filter(file_id=file_id).exists():
        return _already_problem(file_id)
    return None


def _refuse(am_file: AmFile, problems: list[Problem], count: int) -> NoReturn:
    with transaction.atomic():
        am_file.problems = [problem.as_dict() for problem in problems]
        am_file.problem_count = count
        am_file.save(update_fields=["problems", "problem_count"])
        am_file = status_change(
            instance=am_file, workflow=AmFile.WORKFLOW, to_status=AmFile.Status.REFUSED, by=am_file.received_by
        )
    raise AmFileRefused(am_file)


def _cut(source: Iterable[bytes], chunk_lines: int) -> Iterator[tuple[int, int, str]]:
    """(first line number, line count, records) of each chunk; an insured's lines stay together."""
    records: list[str] = []
    first, last_nir = 1, ""
    for raw in source:
        text = raw.decode("utf-8").rstrip("\r\n")
        if not text.startswith(fileformat.ACT + fileformat.SEPARATOR):
            continue
        nir = text.split(fileformat.SEPARATOR, 3)[2]
        if len(records) >= chunk_lines and nir != last_nir:
            yield first, len(records), "\n".join(records)
            first += len(records)
            records = []
        records.append(text)
        last_nir = nir
    if records:
        yield first, len(records), "\n".join(records)


# ---------------------------------------------------------------------------------------------
# Paying the lines
CHUNK_ATTEMPTS = 3
# Chunks written per INSERT while a file is cut.
CHUNKS_PER_INSERT = 20
# How long a worker waits before trying again chunks whose households another worker holds.
BUSY_PAUSE_SECONDS = 0.05


def am_chunk_process_next(*, am_file_id: int, skip: frozenset[int] = frozenset()) -> tuple[int, bool] | None:
    """Take the next chunk no other worker holds (leaving out ``skip``) and process it.

    Returns the chunk's number and whether it was processed (False: all of its households were
    held by another worker, so nothing was done and the chunk stays pending); None when no chunk
    is free. The lines of the households another worker holds go to a chunk of their own.
    A chunk that fails is tried again, then set aside after ``CHUNK_ATTEMPTS`` errors
    with the last one recorded: one bad chunk (or a bad mapping row) never stops the file.
    """
    with transaction.atomic():
        chunk = (
            AmChunk.objects.select_for_update(skip_locked=True)
            .filter(file_id=am_file_id, status=AmChunk.Status.PENDING)
            .exclude(number__in=skip)
            .order_by("number")
            .first()
        )
        if chunk is None:
            return None
        try:
            with transaction.atomic():
                am_file = AmFile.objects.get(pk=am_file_id)
                outcome = acts_pay(am_file, list(fileformat.read_acts(chunk.records)), wait=False)
                insert_many(AmException, outcome.unpaid)
        except HouseholdsBusy:
            return chunk.number, False
        except Exception as error:
            logger.exception("chunk %s of AM file %s failed", chunk.number, am_file_id)
            chunk.attempts += 1
            chunk.last_error = f"{type(error).__name__}: {error}"[:500]
            chunk.save(update_fields=["attempts", "last_error"])
            if chunk.attempts >= CHUNK_ATTEMPTS:
                status_change(
                    instance=chunk,
                    workflow=AmChunk.WORKFLOW,
                    to_status=AmChunk.Status.FAILED,
                    by=None,
                    reason=chunk.last_error,
                )
            return chunk.number, True
        if outcome.held:
            _set_held_aside(chunk, am_file, outcome.held)
        chunk.processed_at, chunk.outcome = timezone.now(), outcome.as_dict()
        chunk.save(update_fields=["processed_at", "outcome", "line_count"])
        status_change(instance=chunk, workflow=AmChunk.WORKFLOW, to_status=AmChunk.Status.DONE, by=None)
    return chunk.number, True


def _set_held_aside(chunk: AmChunk, am_file: AmFile, held: list[ActLine]) -> None:
    """The lines of households another worker held go to a chunk of their own, taken after the file's
    others, in the transaction that marks this one done: every line is still processed exactly once.
    Its number follows the file's chunks (``number + chunk_count``), so no two chunks ever share one."""
    chunk.line_count -= len(held)
    AmChunk.objects.create(
        file_id=chunk.file_id,
        number=chunk.number + am_file.chunk_count,
        first_seq=held[0].seq,
        line_count=len(held),
        records="\n".join(fileformat.act_record(act) for act in held),
    )


@transaction.atomic
def am_file_retry_failed(*, am_file: AmFile, by: User) -> int:
    """Put chunks set aside back in the queue, once their cause is fixed."""
    moved = status_change_many(
        queryset=am_file.chunks.filter(status=AmChunk.Status.FAILED),
        workflow=AmChunk.WORKFLOW,
        to_status=AmChunk.Status.PENDING,
        by=by,
        reason=_("cause fixed, back in the queue"),
        values={"attempts": 0, "last_error": ""},
    )
    if moved:
        am_file_enqueue_workers(am_file=am_file)
    return len(moved)


def am_file_drain(*, am_file_id: int) -> int:
    """Process chunks until none is left, then close the file if every chunk is done."""
    processed = 0
    busy: set[int] = set()
    while True:
        taken = am_chunk_process_next(am_file_id=am_file_id, skip=frozenset(busy))
        if taken is None:
            if not busy:
                break
            # Only chunks sharing a household with another worker's are left: wait for it to commit.
            busy.clear()
            time.sleep(BUSY_PAUSE_SECONDS)
            continue
        number, done = taken
        if done:
            processed += 1
        else:
            busy.add(number)
    with transaction.atomic():
        am_file = AmFile.objects.select_for_update().get(pk=am_file_id)
        unfinished = am_file.chunks.exclude(status=AmChunk.Status.DONE).exists()
        if am_file.status == AmFile.Status.PROCESSING and not unfinished:
            am_file = status_change(instance=am_file, workflow=AmFile.WORKFLOW, to_status=AmFile.Status.DONE, by=None)
            am_file.finished_at = timezone.now()
            am_file.save(update_fields=["finished_at"])
            # Once, as the status changes once: each household hears what this file paid.
            transaction.on_commit(lambda: send_am_file_digests.enqueue(am_file_id=am_file_id))
    return processed


# ---------------------------------------------------------------------------------------------
# The exception queue


def _locked_open(exception: AmException) -> AmException:
    locked = AmException.objects.select_for_update().select_related("file").get(pk=exception.pk)
    if locked.status != AmException.Status.OPEN:
        raise ValidationError(_("This line is already handled."), code="not_open")
    return locked


def _retry(exception: AmException, by: User, person: tuple[int, int | None] | None, note: str) -> AmException:
    """Pay the line now, or keep it open with the reason it still fails (shown to the handler)."""
    exception = _locked_open(exception)
    outcome = acts_pay(exception.file, list(fileformat.read_acts(exception.record)), person=person)
    if outcome.unpaid:
        still = outcome.unpaid[0]
        exception.reason, exception.detail, exception.member_id = still.reason, still.detail, still.member_id
        exception.save(update_fields=["reason", "detail", "member"])
        return exception
    exception.claim_item_id, exception.note = outcome.item_ids[0], note.strip()
    exception.save(update_fields=["claim_item", "note"])
    return status_change(
        instance=exception, workflow=AmException.WORKFLOW, to_status=AmException.Status.RESOLVED, by=by, reason=note
    )


@transaction.atomic
def am_exception_retry(*, exception: AmException, by: User, note: str = "") -> AmException:
    """Try a line again once its cause is fixed (affiliation recorded, mapping added…)."""
    return _retry(exception, by, None, note)


@transaction.atomic
def am_exception_assign(*, exception: AmException, by: User, member_number: str, rank: int, note: str) -> AmException:
    """Pay a line to a person the handler identified (NIR not on file, rank unknown to us…)."""
    if not note.strip():
        raise ValidationError(_("Say how you identified the person."), code="note")
    member = Member.objects.filter(member_number=normalize_member_number(member_number)).first()
    if member is None:
        raise ValidationError(_("No member has this number."), code="member")
    beneficiary = None
    if rank > 1:  # 0 or 1: the subscriber, as in the household's numbering
        beneficiary = member.beneficiaries.filter(rank=rank).first()
        if beneficiary is None:
            raise ValidationError(
                _("This household has no beneficiary of rank %(rank)s."), params={"rank": rank}, code="rank"
            )
    return _retry(exception, by, (member.pk, beneficiary.pk if beneficiary else None), note)


@transaction.atomic
def am_exception_dismiss(*, exception: AmException, by: User, note: str) -> AmException:
    if not note.strip():
        raise ValidationError(_("Say why this line is not paid."), code="note")
    exception = _locked_open(exception)
    exception.note = note.strip()
    exception.save(update_fields=["note"])
    return status_change(
        instance=exception, workflow=AmException.WORKFLOW, to_status=AmException.Status.DISMISSED, by=by, reason=note
    )


# ---------------------------------------------------------------------------------------------
# Teletransmission status of a person


@transaction.atomic
def teletransmission_status_set(
    *, person: Member | Beneficiary, status: str, by: User, reason: str
) -> Member | Beneficiary:
    if not reason.strip():
        raise ValidationError(_("Give the reason for the change."), code="reason")
    return status_change(
        instance=person, workflow=TELETRANSMISSION_WORKFLOW, to_status=status, by=by, reason=reason.strip()
    )
