"""Two workers on one file share its chunks: every line is paid once, whoever takes it."""

import os
import threading
from collections import Counter

import pytest
from django.db import connections, transaction

from mutua.benefits.models import ClaimItem
from mutua.contracts.models import Member
from mutua.contracts.tests.factories import GroupContractFactory
from mutua.core.crypto import search_digest
from mutua.payments.models import Payable
from mutua.teletransmission import fakes, fileformat
from mutua.teletransmission.models import AmChunk, AmException, AmFile
from mutua.teletransmission.services import am_chunk_process_next, am_file_drain, am_file_import

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="SKIP LOCKED between concurrent workers is only exercised on PostgreSQL (set DATABASE_URL)",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_two_workers_share_a_file_and_pay_each_line_once(tmp_path):
    households = fakes.households_create(contract=GroupContractFactory(), count=80, seed=9)
    path = tmp_path / "am.txt"
    path.write_text("\n".join(fakes.file_records(households=households, lines=800, file_id="CONC-1", seed=9)) + "\n")
    am_file = am_file_import(path=path, chunk_lines=25)
    barrier = threading.Barrier(2)
    processed: list[int] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            barrier.wait()
            processed.append(am_file_drain(am_file_id=am_file.pk))
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    am_file.refresh_from_db()
    assert am_file.status == AmFile.Status.DONE
    # Lines of a household the other worker held wait in a chunk of their own: more chunks than were cut.
    done = AmChunk.objects.filter(status="done")
    assert sum(processed) == done.count() >= am_file.chunk_count
    assert not AmChunk.objects.exclude(status="done").exists()
    assert sum(done.values_list("line_count", flat=True)) == 800
    assert all(processed), processed  # both workers took chunks
    sources = Counter(ClaimItem.objects.values_list("source_ref", flat=True))
    assert max(sources.values()) == 1
    assert len(sources) + AmException.objects.count() == 800
    paid = Counter(Payable.objects.values_list("claim_item_id", flat=True))
    assert max(paid.values()) == 1


def test_the_lines_of_a_household_another_worker_holds_wait_in_a_chunk_of_their_own(tmp_path):
    """A worker never waits on, nor gives up, a whole chunk for one household another holds: that
    household's lines move to a chunk of their own, taken once the holder is done, and each line is
    still processed exactly once."""
    households = fakes.households_create(contract=GroupContractFactory(), count=12, seed=4)
    path = tmp_path / "am.txt"
    path.write_text("\n".join(fakes.file_records(households=households, lines=60, file_id="HELD-1", seed=4)) + "\n")
    am_file = am_file_import(path=path, chunk_lines=1000)  # one chunk
    first = AmChunk.objects.get(file=am_file)
    digests = {search_digest(act.nir) for act in fileformat.read_acts(first.records)}
    held = Member.objects.filter(nir_digest__in=digests).order_by("pk").first()
    locked, release = threading.Event(), threading.Event()

    def other_worker() -> None:
        try:
            with transaction.atomic():
                Member.objects.select_for_update().get(pk=held.pk)
                locked.set()
                release.wait(timeout=30)
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_worker)
    thread.start()
    assert locked.wait(timeout=30)
    try:
        assert am_chunk_process_next(am_file_id=am_file.pk) == (1, True)
    finally:
        release.set()
        thread.join()
    first.refresh_from_db()
    aside = AmChunk.objects.get(file=am_file, status=AmChunk.Status.PENDING)
    assert first.status == AmChunk.Status.DONE and aside.number == 1 + am_file.chunk_count
    assert first.line_count + aside.line_count == 60 and aside.line_count > 0
    paid_before = set(ClaimItem.objects.values_list("source_ref", flat=True))
    assert not any(item.startswith("AM HELD-1 #") and int(item.rsplit("#")[1]) in _seqs(aside) for item in paid_before)

    am_file_drain(am_file_id=am_file.pk)
    am_file.refresh_from_db()
    assert am_file.status == AmFile.Status.DONE
    sources = Counter(ClaimItem.objects.values_list("source_ref", flat=True))
    assert max(sources.values()) == 1 and len(sources) + AmException.objects.count() == 60
    assert ClaimItem.objects.filter(claim__member=held).exists()


def _seqs(chunk: AmChunk) -> set[int]:
    return {act.seq for act in fileformat.read_acts(chunk.records)}
