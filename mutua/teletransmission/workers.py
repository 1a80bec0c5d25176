"""Local worker processes sharing a file's chunks (the command line and the benchmark).

Queue workers do the same through ``tasks.drain_am_file``; both take chunks with
``SKIP LOCKED``, so local processes and queue workers can work on one file together.
"""

import gc
import multiprocessing
import time
from collections.abc import Callable
from dataclasses import dataclass

from django import db

from mutua.teletransmission.models import AmChunk, AmFile
from mutua.teletransmission.services import am_file_drain


@dataclass(frozen=True)
class Drained:
    am_file: AmFile
    # (worker number, exit code) of each local process that did not end normally; a negative
    # code is the signal that killed it. Its chunk was rolled back and taken by another worker.
    stopped: tuple[tuple[int, int], ...]


def _drain(am_file_id: int) -> None:
    # What the forked worker inherits lives as long as it does: left out of the garbage collector's
    # full passes, which would otherwise walk it after every few thousand objects a chunk makes.
    gc.freeze()
    am_file_drain(am_file_id=am_file_id)
    db.connections.close_all()


def drain_in_processes(
    *, am_file_id: int, workers: int, progress: Callable[[int, int], None] | None = None, every: float = 1.0
) -> Drained:
    """Run ``workers`` processes until no chunk is left, then take any chunk left over.

    A worker that dies does not decide the file's fate: the others (and the last pass here) go on,
    and the caller reads the file's final state.
    """
    db.connections.close_all()  # a forked child must not share the parent's connection
    context = multiprocessing.get_context("fork")
    processes = [context.Process(target=_drain, args=(am_file_id,), daemon=True) for _ in range(workers)]
    for process in processes:
        process.start()
    total = AmChunk.objects.filter(file_id=am_file_id).count()
    while any(process.is_alive() for process in processes):
        time.sleep(every)
        if progress is not None:
            progress(AmChunk.objects.filter(file_id=am_file_id, status=AmChunk.Status.DONE).count(), total)
    stopped = tuple((number, process.exitcode) for number, process in enumerate(processes, start=1) if process.exitcode)
    am_file_drain(am_file_id=am_file_id)  # closes the file (and takes any chunk left)
    return Drained(am_file=AmFile.objects.get(pk=am_file_id), stopped=stopped)
