"""Each household hears once what an AM statement file paid: totals and statements, no medical detail."""

from decimal import Decimal

import pytest

from mutua.benefits.models import ClaimItem, Statement
from mutua.teletransmission import services
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
    assert f"{total:.2f} €" in digest.body
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
