"""Each household hears once what an AM statement file paid: totals and statements, no medical detail."""

from decimal import Decimal

import pytest

from mutua.benefits.models import ClaimItem, Statement
from mutua.contracts.models import Member
from mutua.contracts.tests.factories import GroupContractFactory
from mutua.core.formatting import money_format
from mutua.teletransmission import digests, fakes, services
from mutua.teletransmission.models import AmFile
from mutua.teletransmission.tests.helpers import SPOUSE_BIRTH, SPOUSE_NIR, SUBSCRIBER_NIR, act, file_text, write

pytestmark = pytest.mark.django_db


def test_one_digest_per_household_per_file_even_across_chunks(tmp_path, household, mailoutbox, run_tasks):
    user, _spouse, _child = household
    acts = [
        act(1, SUBSCRIBER_NIR),
        act(2, SPOUSE_NIR, birth_date=SPOUSE_BIRTH, code="CS", charged="50.00", br="30.00", mr="21.00"),
    ]
    path = write(tmp_path, file_text(acts, file_id="DIGEST-1"))
    am_file = run_tasks(services.am_file_import, path=path, chunk_lines=1)  # the two people in two chunks
    assert am_file.chunk_count == 2
    run_tasks(services.am_file_drain, am_file_id=am_file.pk)
    run_tasks(services.am_file_drain, am_file_id=am_file.pk)  # a worker that comes late sends nothing more
    [digest] = [message for message in mailoutbox if message.to == [user.member.email]]
    statements = Statement.objects.filter(member=user.member).order_by("number")
    total = sum(statement.total_paid for statement in statements)
    assert total > 0 and statements.count() == 2
    assert money_format(total, language=user.member.preferred_language) in digest.body
    assert all(statement.number in digest.body for statement in statements)
    assert "21/11/2026" in digest.subject or "21/11/2026" in digest.body
    for medical in ("CS", "G ", "généraliste", "spécialiste", "consultation", "Médecin"):
        assert medical not in digest.body  # no care named: the details are in the member area


def test_a_household_with_nothing_new_is_not_told(tmp_path, household, mailoutbox, run_tasks):
    user, _spouse, _child = household
    path = write(tmp_path, file_text([act(1, SUBSCRIBER_NIR)], file_id="DIGEST-2"))
    run_tasks(services.am_file_drain, am_file_id=services.am_file_import(path=path).pk)
    assert len([m for m in mailoutbox if m.to == [user.member.email]]) == 1
    # The same care sent again in another file is refused as already reimbursed: nothing new to say.
    path = write(tmp_path, file_text([act(1, SUBSCRIBER_NIR)], file_id="DIGEST-3"), name="again.txt")
    run_tasks(services.am_file_drain, am_file_id=services.am_file_import(path=path).pk)
    assert ClaimItem.objects.filter(status=ClaimItem.Status.REJECTED).count() == 1
    assert len([m for m in mailoutbox if m.to == [user.member.email]]) == 1


def test_lines_waiting_for_a_handler_are_counted_in_the_members_language(tmp_path, household, mailoutbox, run_tasks):
    user, _spouse, _child = household
    user.member.preferred_language = "en"
    user.member.save(update_fields=["preferred_language"])
    glasses = act(
        1, SUBSCRIBER_NIR, system="LPP", code="2223342", charged="150.00", br="0.05", rate=60, mr="0.03", qualifiers=()
    )
    path = write(tmp_path, file_text([glasses, act(2, SUBSCRIBER_NIR)], file_id="DIGEST-4"))
    run_tasks(services.am_file_drain, am_file_id=services.am_file_import(path=path).pk)
    assert ClaimItem.objects.filter(status=ClaimItem.Status.IN_REVIEW).count() == 1
    [digest] = [message for message in mailoutbox if message.to == [user.member.email]]
    assert "1 care item is being checked by your management unit" in digest.body  # in English, as they chose
    assert Decimal("0.00") < Statement.objects.get(member=user.member).total_paid


def test_households_are_told_in_batches_and_a_stopped_task_resumes_after_the_last_one_told(
    tmp_path, mailoutbox, run_tasks, monkeypatch
):
    """A large file's households are told batch by batch, each batch committed with how far it went: a
    task stopped midway is taken up again after the last household told, and nobody hears twice."""
    households = fakes.households_create(contract=GroupContractFactory(), count=6, seed=8)
    path = tmp_path / "am.txt"
    path.write_text("\n".join(fakes.file_records(households=households, lines=40, file_id="DIGEST-3", seed=8)) + "\n")
    am_file = services.am_file_import(path=path)
    services.am_file_drain(am_file_id=am_file.pk)  # its digests task not run: the worker stopped first
    am_file.refresh_from_db()
    assert am_file.status == AmFile.Status.DONE and am_file.digests_up_to == 0

    monkeypatch.setattr(digests, "HOUSEHOLDS_PER_BATCH", 1)
    real_queue, calls = digests._digests_queue, []

    def stops_at_the_second_batch(*args):
        calls.append(args)
        if len(calls) == 2:
            raise RuntimeError("worker stopped")
        return real_queue(*args)

    monkeypatch.setattr(digests, "_digests_queue", stops_at_the_second_batch)
    with pytest.raises(RuntimeError):
        digests.am_file_digests_send(am_file_id=am_file.pk)
    am_file.refresh_from_db()
    first = am_file.digests_up_to
    assert first and first > 0  # the first batch is recorded as told

    monkeypatch.setattr(digests, "_digests_queue", real_queue)
    told = run_tasks(digests.am_file_digests_send, am_file_id=am_file.pk)
    am_file.refresh_from_db()
    assert am_file.digests_up_to is None
    addresses = [message.to[0] for message in mailoutbox]
    assert told == len(addresses) >= 3 and len(set(addresses)) == len(addresses)
    assert Member.objects.get(pk=first).email not in addresses  # told in the first batch, not again
