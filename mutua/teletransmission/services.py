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
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, NoReturn

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from engine import AdjudicationError, Counters, get_plan
from mutua.accounts.models import User
from mutua.benefits import adapter, reasons
from mutua.benefits.pipeline import ACCEPTED, IN_REVIEW, Decision, Earlier, Line, decide_lines
from mutua.benefits.same_care import SameCare
from mutua.claims.closing import statement_number
from mutua.claims.decisions import Received, decisions_write
from mutua.claims.models import Claim, ClaimItem, Statement
from mutua.claims.selectors import am_file_of, sent_care
from mutua.claims.services import claim_item_am_correct
from mutua.contracts.models import TELETRANSMISSION_WORKFLOW, Beneficiary, Member, Teletransmission
from mutua.contracts.selectors import Coverage, beneficiary_coverage_on, normalize_member_number, subscriber_coverage_on
from mutua.core.bulk import insert_many, insert_rows
from mutua.core.crypto import decrypt_bytes, encrypt_bytes, search_digest
from mutua.core.workflow import status_change, status_change_many, status_history_record
from mutua.payments.services import Owed, payables_owed
from mutua.teletransmission import fileformat
from mutua.teletransmission.digests import am_file_digests_queue
from mutua.teletransmission.fileformat import ActLine, Problem
from mutua.teletransmission.mappings import MappingTable
from mutua.teletransmission.models import ActMapping, AmChunk, AmException, AmFile, ExceptionReason
from mutua.teletransmission.tasks import drain_am_file, load_am_file

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


@dataclass
class _Person:
    member: Member
    beneficiary: Beneficiary | None

    @property
    def key(self) -> str:
        return adapter.person_key(
            member_id=self.member.pk, beneficiary_id=self.beneficiary.pk if self.beneficiary else None
        )

    @property
    def birth_date(self) -> date:
        return (self.beneficiary or self.member).birth_date


@dataclass
class _Outcome:
    accepted: int = 0
    review: int = 0
    rejected: int = 0
    paid: Decimal = ZERO
    item_ids: list[int] = field(default_factory=list)
    held: list[ActLine] = field(default_factory=list)  # households another worker held: not processed
    unpaid: list[AmException] = field(default_factory=list)  # not saved: the caller decides how

    @property
    def exceptions(self) -> int:
        return len(self.unpaid)

    def as_dict(self) -> dict[str, Any]:
        return {
            "accepted": self.accepted,
            "review": self.review,
            "rejected": self.rejected,
            "exceptions": self.exceptions,
            "paid": f"{self.paid:.2f}",
        }


@dataclass
class _Line:
    """An act on its way to a claim item: where it stands after matching and the engine."""

    act: ActLine
    person: _Person
    benefit_code: str
    attributes: dict[str, str]
    flags: frozenset[str]
    plan_code: str
    tiers: tuple[str, ...]

    @property
    def am_rate(self) -> Decimal | None:
        # Outside the care pathway the file gives the reduced rate: the engine applies it to doctors
        # itself, from the normal rate, so that the difference is never paid as a ticket modérateur.
        return None if "outside_pathway" in self.flags else Decimal(self.act.rate) / 100


CHUNK_ATTEMPTS = 3
# Chunks written per INSERT while a file is cut.
CHUNKS_PER_INSERT = 20
# How long a worker waits before trying again chunks whose households another worker holds.
BUSY_PAUSE_SECONDS = 0.05


class _HouseholdsBusy(Exception):
    """Another worker holds one of the chunk's households: take another chunk meanwhile."""


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
                outcome = _pay(am_file, list(fileformat.read_acts(chunk.records)), wait=False)
                insert_many(AmException, outcome.unpaid)
        except _HouseholdsBusy:
            return chunk.number, False
        except Exception as error:
            logger.exception("chunk %s of AM file %s failed", chunk.number, am_file_id)
            chunk.attempts += 1
            chunk.last_error = f"{type(error).__name__}: {error}"[:500]
            if chunk.attempts >= CHUNK_ATTEMPTS:
                chunk.status = AmChunk.Status.FAILED
            chunk.save(update_fields=["attempts", "last_error", "status"])
            return chunk.number, True
        if outcome.held:
            _set_held_aside(chunk, am_file, outcome.held)
        chunk.status, chunk.processed_at, chunk.outcome = AmChunk.Status.DONE, timezone.now(), outcome.as_dict()
        chunk.save(update_fields=["status", "processed_at", "outcome", "line_count"])
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
def am_file_retry_failed(*, am_file: AmFile) -> int:
    """Put chunks set aside back in the queue, once their cause is fixed."""
    count = am_file.chunks.filter(status=AmChunk.Status.FAILED).update(
        status=AmChunk.Status.PENDING, attempts=0, last_error=""
    )
    if count:
        am_file_enqueue_workers(am_file=am_file)
    return count


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
            am_file_digests_queue(am_file=am_file, source_prefix=_source_prefix(am_file))
    return processed


def _source_prefix(am_file: AmFile) -> str:
    return f"AM {am_file.file_id} #"


def _source_ref(am_file: AmFile, seq: int) -> str:
    return f"{_source_prefix(am_file)}{seq}"


def _households(digests: set[str], *, wait: bool) -> tuple[list[Member], dict[str, set[int]]]:
    """The households these NIRs belong to, locked (in primary-key order) and loaded whole, and the
    households of each NIR. ``wait=False``: the households another worker holds are left out."""
    of_digest: dict[str, set[int]] = defaultdict(set)
    for digest, member_id in Member.objects.filter(nir_digest__in=digests).values_list("nir_digest", "pk"):
        of_digest[digest].add(member_id)
    for digest, member_id in Beneficiary.objects.filter(nir_digest__in=digests).values_list("nir_digest", "member_id"):
        of_digest[digest].add(member_id)
    return _lock_households(set().union(*of_digest.values()), wait=wait), of_digest


def _lock_households(ids: set[int], *, wait: bool = True) -> list[Member]:
    """``wait=False``: skip the households another transaction holds rather than wait for them (two
    workers sharing a household would otherwise take turns); ``_HouseholdsBusy`` when it holds them all."""
    locked = set(Member.objects.select_for_update(skip_locked=not wait).filter(pk__in=ids).values_list("pk", flat=True))
    if ids and not locked:
        raise _HouseholdsBusy
    # The NIR and IBAN are not needed (matching uses their digests): not decrypting them saves most of the time.
    beneficiaries = Beneficiary.objects.defer("nir").prefetch_related("situations")
    return list(
        Member.objects.filter(pk__in=locked)
        .defer("nir", "iban")
        .select_related("contract")
        .prefetch_related("contract__plans", Prefetch("beneficiaries", queryset=beneficiaries))
        .order_by("pk")
    )


class _Unmatched(Exception):
    def __init__(self, reason: ExceptionReason, detail: str = "", member: Member | None = None) -> None:
        self.reason, self.detail, self.member = reason, detail, member


def _owners(households: list[Member]) -> dict[str, list[_Person]]:
    owners: dict[str, list[_Person]] = defaultdict(list)
    for member in households:
        if member.nir_digest:
            owners[member.nir_digest].append(_Person(member, None))
        for beneficiary in member.beneficiaries.all():
            if beneficiary.nir_digest:
                owners[beneficiary.nir_digest].append(_Person(member, beneficiary))
    return owners


def _match(act: ActLine, digest: str, owners: dict[str, list[_Person]]) -> _Person:
    """Rank 0 is the insured (the owner of the NIR), as is rank 1 when that is the subscriber (the
    household's rank 1); otherwise the beneficiary of that rank in the household."""
    found = owners.get(digest, [])
    if not found:
        raise _Unmatched(ExceptionReason.UNKNOWN_INSURED)
    if len(found) > 1:
        raise _Unmatched(ExceptionReason.SEVERAL_PERSONS)
    owner = found[0]
    if act.rank == 0 or (act.rank == 1 and owner.beneficiary is None):
        person = owner
    else:
        beneficiary = next((b for b in owner.member.beneficiaries.all() if b.rank == act.rank), None)
        person = _Person(owner.member, beneficiary)
        if beneficiary is None:
            raise _Unmatched(ExceptionReason.NO_SUCH_PERSON, member=owner.member)
    if person.birth_date != act.birth_date:
        raise _Unmatched(ExceptionReason.NO_SUCH_PERSON, member=owner.member)
    return person


def _prepare(act: ActLine, person: _Person, mappings: MappingTable, coverages: dict[tuple, Coverage]) -> _Line:
    """Cover on the care date and the benefit the act is paid under, or why not."""
    coverage = coverages.get((person.key, act.care_date))
    if coverage is None:
        if person.beneficiary is None:
            coverage = subscriber_coverage_on(member=person.member, day=act.care_date)
        else:
            coverage = beneficiary_coverage_on(beneficiary=person.beneficiary, day=act.care_date)
        coverages[(person.key, act.care_date)] = coverage
    if not coverage.covered:
        raise _Unmatched(ExceptionReason.NOT_COVERED, str(coverage.explanation), person.member)
    mapping = mappings.find(act.system, act.code)
    if mapping is None:
        raise _Unmatched(ExceptionReason.UNMAPPED_ACT, f"{act.system} {act.code}", person.member)
    if get_plan(coverage.plan_code).benefit(mapping.benefit_code) is None:
        raise _Unmatched(
            ExceptionReason.NOT_IN_PLAN, f"{act.system} {act.code} → {mapping.benefit_code}", person.member
        )
    return _Line(
        act=act,
        person=person,
        benefit_code=mapping.benefit_code,
        attributes=mapping.attributes,
        flags=act.flags | frozenset(mapping.flags),
        plan_code=coverage.plan_code,
        tiers=coverage.tiers,
    )


def _mapping_table() -> MappingTable:
    return MappingTable(list(ActMapping.objects.values_list("system", "code", "benefit_code", "attributes", "flags")))


def _pay(am_file: AmFile, acts: list[ActLine], *, person: _Person | None = None, wait: bool = True) -> _Outcome:
    """Match, check and pay acts, in one transaction with the households locked; the lines that
    cannot be paid are returned as exceptions, unsaved.

    ``person`` is a handler's choice for a line whose person could not be found by its NIR.
    """
    digests = {act.nir: search_digest(act.nir) for act in acts}
    outcome = _Outcome()
    if person is None:
        households, of_digest = _households(set(digests.values()), wait=wait)
        held = set().union(*of_digest.values()) - {member.pk for member in households}
        if held:  # another worker holds them: these lines wait in a chunk of their own
            outcome.held = [act for act in acts if of_digest.get(digests[act.nir], set()) & held]
            acts = [act for act in acts if not of_digest.get(digests[act.nir], set()) & held]
    else:
        households = _lock_households({person.member.pk})
        member = households[0]
        chosen = person.beneficiary.pk if person.beneficiary else None
        person = _Person(member, next((b for b in member.beneficiaries.all() if b.pk == chosen), None))
    owners = _owners(households)
    mappings = _mapping_table()
    lines: list[_Line] = []
    coverages: dict[tuple, Coverage] = {}
    for act in acts:
        try:
            line = _prepare(act, person or _match(act, digests[act.nir], owners), mappings, coverages)
        except _Unmatched as unmatched:
            outcome.unpaid.append(_exception(am_file, act, digests[act.nir], unmatched))
            continue
        lines.append(line)
    if lines:
        _decide(am_file, lines, outcome)
        _activate_teletransmission([line.person for line in lines])
    return outcome


def _exception(am_file: AmFile, act: ActLine, digest: str, unmatched: _Unmatched) -> AmException:
    return AmException(
        file=am_file,
        seq=act.seq,
        reason=unmatched.reason,
        detail=unmatched.detail,
        record=fileformat.act_record(act),
        nir_digest=digest,
        care_date=act.care_date,
        act=f"{act.system} {act.code}",
        charged=act.charged,
        mr=act.mr,
        member=unmatched.member,
    )


def _decide(am_file: AmFile, lines: list[_Line], outcome: _Outcome) -> None:
    """The chunk's lines through the one pipeline, then its one writer."""
    now = timezone.now()
    member_ids = {line.person.member.pk for line in lines}
    first, last = min(line.act.care_date for line in lines), max(line.act.care_date for line in lines)
    same_care = SameCare(sent_care(member_ids=member_ids, first=first, last=last))
    counters = adapter.counters_of(member_ids, since=first)
    limits = reasons.limits_today()
    decided = []
    for line in lines:
        act, person = line.act, line.person
        source_ref = _source_ref(am_file, act.seq)
        earlier = same_care.find(
            member_id=person.member.pk,
            beneficiary_id=person.beneficiary.pk if person.beneficiary else None,
            benefit_code=line.benefit_code,
            care_date=act.care_date,
            amount=act.charged,
            channel=reasons.TELETRANSMISSION,
            provider=act.provider,
            source=am_file_of(source_ref),
        )
        if earlier is not None and earlier.paid:
            earlier = _correct_on_the_am_figures(earlier, line, counters, source=source_ref)
        plan = get_plan(line.plan_code)
        benefit = plan.benefit(line.benefit_code)
        decided.append(
            Line(
                care=adapter.care_line_of(
                    line_id=source_ref,
                    person=person.key,
                    on=act.care_date,
                    benefit_code=line.benefit_code,
                    amount=act.charged,
                    br=act.br,
                    mr=act.mr,
                    am_rate=line.am_rate,
                    quantity=act.quantity,
                    flags=line.flags,
                    attributes=line.attributes,
                ),
                household=person.member.pk,
                plan_code=line.plan_code,
                tiers=line.tiers,
                facts=reasons.LineFacts(
                    channel=reasons.TELETRANSMISSION,
                    care_date=act.care_date,
                    amount=act.charged,
                    converted=False,
                    section=benefit.section,
                    benefit_am=benefit.am,
                    plan_has_am=bool(plan.am),
                    flags=line.flags,
                    mr=act.mr,
                    same_care=earlier is not None,
                ),
                earlier=earlier,
            )
        )
    decisions = decide_lines(decided, households=adapter.households_of(member_ids), counters=counters, limits=limits)
    for decision in decisions:
        if decision.status == ACCEPTED:
            outcome.accepted += 1
            outcome.paid += decision.paid
        elif decision.status == IN_REVIEW:
            outcome.review += 1
        else:
            outcome.rejected += 1
    outcome.item_ids = _write(am_file, lines, decisions, now)


def _correct_on_the_am_figures(earlier: Earlier, line: _Line, counters: dict[int, Counters], *, source: str) -> Earlier:
    """Care paid on typed figures (online, a hospital's invoice) is computed again on the AM's; the
    household's counters of this chunk follow the new amounts. The AM's line is then the same care,
    already paid; when the rules cannot compute the care on the AM's figures, a handler compares them."""
    act, member_id = line.act, line.person.member.pk
    history = counters.get(member_id, Counters())
    same = ClaimItem.objects.select_related("claim").get(pk=earlier.item_id)
    try:
        usages = claim_item_am_correct(
            item=same, br=act.br, mr=act.mr, am_rate=line.am_rate, source=source, history=history
        )
    except AdjudicationError:
        return replace(earlier, paid=False)
    if usages is not None:
        counters[member_id] = history.without_lines({same.line_id}).plus(tuple(usages))
    return earlier


def _write(am_file: AmFile, lines: list[_Line], decisions: list[Decision], now: datetime) -> list[int]:
    """Claims, then their items through the one writer, then statements, payables and the claims' history.

    A person's decided items make one claim, paid at once; their items waiting for a handler make
    another, so that a pair of glasses under review never holds back a consultation's payment.
    """
    sent = _("sent by the Assurance Maladie")
    by_claim: dict[tuple[str, bool], list[int]] = defaultdict(list)
    for index, (line, decision) in enumerate(zip(lines, decisions, strict=True)):
        by_claim[(line.person.key, decision.status == IN_REVIEW)].append(index)
    name = f"Assurance Maladie {am_file.created_at:%d/%m/%Y}"
    claim_rows, statuses = [], []
    for (_person, waits), indexes in by_claim.items():
        person = lines[indexes[0]].person
        accepted = any(decisions[index].status == ACCEPTED for index in indexes)
        status = Claim.Status.IN_PROGRESS if waits else (Claim.Status.VALIDATED if accepted else Claim.Status.REJECTED)
        statuses.append(status)
        claim_rows.append(
            (
                person.member.pk,
                person.beneficiary.pk if person.beneficiary else None,
                Claim.Channel.TELETRANSMISSION,
                name,
                status,
                now,
                None if waits else now,
            )
        )
    fields = ("member_id", "beneficiary_id", "channel", "name", "status", "submitted_at", "decided_at")
    claim_ids = insert_rows(Claim, fields, claim_rows)
    claim_of = [0] * len(lines)
    for claim_id, indexes in zip(claim_ids, by_claim.values(), strict=True):
        for index in indexes:
            claim_of[index] = claim_id
    item_ids = decisions_write(
        decisions=decisions,
        items=[Received(provider=line.act.provider, source_ref=_source_ref(am_file, line.act.seq)) for line in lines],
        claims=claim_of,
        by=None,
        now=now,
        reason=sent,
    )
    _statements_write(claim_ids, statuses, by_claim, decisions, item_ids, now)
    # Decided on the way in, written in bulk: each status change still checked against its table, with its row.
    status_history_record(
        model=Claim,
        workflow=Claim.WORKFLOW,
        paths=[
            (
                pk,
                [Claim.Status.DRAFT, Claim.Status.IN_PROGRESS]
                + ([status] if status != Claim.Status.IN_PROGRESS else []),
                sent,
            )
            for pk, status in zip(claim_ids, statuses, strict=True)
        ],
        by=None,
    )
    return item_ids


def _statements_write(claim_ids, statuses, by_claim, decisions, item_ids, now) -> None:
    """The statement of each decided claim, and a payable per accepted item with something to pay."""
    rows, owed = [], []
    decided = [
        (claim_id, indexes)
        for claim_id, status, indexes in zip(claim_ids, statuses, by_claim.values(), strict=True)
        if status != Claim.Status.IN_PROGRESS
    ]
    for claim_id, indexes in decided:
        total = sum((decisions[index].paid for index in indexes if decisions[index].status == ACCEPTED), ZERO)
        rows.append((claim_id, decisions[indexes[0]].line.household, statement_number(claim_id, now), now, total))
    statement_ids = insert_rows(Statement, ("claim_id", "member_id", "number", "issued_at", "total_paid"), rows)
    for statement_id, row, (_claim_id, indexes) in zip(statement_ids, rows, decided, strict=True):
        owed += [
            Owed(statement_id, row[2], row[1], None, item_ids[index], decisions[index].paid)
            for index in indexes
            if decisions[index].status == ACCEPTED
        ]
    payables_owed(owed=owed)


def _activate_teletransmission(people: list[_Person]) -> None:
    """A person whose statements the AM sends us is evidently set up: "being set up" becomes "active"."""
    for model, ids in (
        (Member, {p.member.pk for p in people if p.beneficiary is None}),
        (Beneficiary, {p.beneficiary.pk for p in people if p.beneficiary is not None}),
    ):
        status_change_many(
            queryset=model.objects.filter(pk__in=ids, teletransmission=Teletransmission.PENDING),
            workflow=TELETRANSMISSION_WORKFLOW,
            to_status=Teletransmission.ACTIVE,
            by=None,
            reason=_("statements received from the Assurance Maladie"),
        )


# ---------------------------------------------------------------------------------------------
# The exception queue


def _locked_open(exception: AmException) -> AmException:
    locked = AmException.objects.select_for_update().select_related("file").get(pk=exception.pk)
    if locked.status != AmException.Status.OPEN:
        raise ValidationError(_("This line is already handled."), code="not_open")
    return locked


def _retry(exception: AmException, by: User, person: _Person | None, note: str) -> AmException:
    """Pay the line now, or keep it open with the reason it still fails (shown to the handler)."""
    exception = _locked_open(exception)
    outcome = _pay(exception.file, list(fileformat.read_acts(exception.record)), person=person)
    if outcome.unpaid:
        still = outcome.unpaid[0]
        exception.reason, exception.detail, exception.member = still.reason, still.detail, still.member
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
    return _retry(exception, by, _Person(member, beneficiary), note)


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
