"""Two workers on one file share its chunks: every line is paid once, whoever takes it."""

import os
import threading
from collections import Counter

import pytest
from django.db import connections

from mutua.claims.models import ClaimItem
from mutua.contracts.tests.factories import GroupContractFactory
from mutua.payments.models import Payable
from mutua.teletransmission import fakes
from mutua.teletransmission.models import AmChunk, AmException, AmFile
from mutua.teletransmission.services import am_file_drain, am_file_import

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
