"""``mutua import-am`` tells the truth about the file: it looks at the file's final state, not at
how its own worker processes ended.

The worker processes are forked for real; what each one does is replaced, so that a worker can be
killed at a known moment without racing the others (the command's own final pass pays the rest).
"""

import os
import signal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from mutua.contracts.tests.factories import GroupContractFactory
from mutua.teletransmission import fakes, paying, services, workers
from mutua.teletransmission.models import AmChunk, AmFile

# The workers are other processes: they may only see committed rows.
pytestmark = pytest.mark.django_db(transaction=True)

LINES = 40


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def am_path(tmp_path):
    households = fakes.households_create(contract=GroupContractFactory(), count=6, seed=3)
    records = fakes.file_records(households=households, lines=LINES, file_id="CMD-1", seed=3, unknown_share=0.1)
    path = tmp_path / "am.txt"
    path.write_text("\n".join(records) + "\n")
    return path


def killed(am_file_id: int) -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def test_a_killed_worker_does_not_fail_a_file_the_other_workers_finished(am_path, monkeypatch, capsys):
    monkeypatch.setattr(workers, "_drain", killed)
    call_command("import_am", str(am_path), "--workers", "1", "--chunk-lines", "10")

    am_file = AmFile.objects.get()
    assert am_file.status == AmFile.Status.DONE
    out, err = capsys.readouterr()
    exceptions = am_file.exceptions.count()
    assert 0 < exceptions < LINES
    assert f"File CMD-1 is finished all the same: {LINES} lines, {exceptions} exception(s)." in out
    assert "Worker 1 stopped before the end: killed by SIGKILL." in err
    assert "Traceback" not in out + err


def test_a_file_left_unfinished_is_said_so_with_a_non_zero_exit(am_path, monkeypatch, capsys):
    monkeypatch.setattr(workers, "_drain", lambda am_file_id: None)  # the command's last pass does it all
    original = services.acts_pay

    def pay(am_file, acts, **kwargs):
        if acts[0].seq == 1:
            raise ValueError("a bug in the first chunk")
        return original(am_file, acts, **kwargs)

    monkeypatch.setattr(services, "acts_pay", pay)
    with pytest.raises(CommandError) as error:
        call_command("import_am", str(am_path), "--workers", "1", "--chunk-lines", "10")

    assert AmFile.objects.get().status == AmFile.Status.PROCESSING
    assert AmChunk.objects.filter(status=AmChunk.Status.FAILED).count() == 1
    assert str(error.value) == (
        "File CMD-1 is not finished: 1 chunk(s) set aside after errors (ValueError: a bug in the first chunk). "
        "Fix the cause, put them back in the queue from the file's page, then run mutua import-am --resume."
    )


def test_a_done_file_whose_lines_do_not_add_up_is_not_reported_as_done(am_path, monkeypatch):
    monkeypatch.setattr(workers, "_drain", lambda am_file_id: None)
    original = paying.Outcome.as_dict
    monkeypatch.setattr(paying.Outcome, "as_dict", lambda outcome: original(outcome) | {"exceptions": 0})
    with pytest.raises(CommandError, match=r"File CMD-1 is done but its outcomes add up to \d+ lines instead of 40"):
        call_command("import_am", str(am_path), "--workers", "1", "--chunk-lines", "10")
