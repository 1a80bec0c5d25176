"""Importing AM statement files: refused whole or paid line by line, never twice, with exceptions for the rest."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from mutua.benefits.models import Claim, ClaimItem, CounterUsage, RejectionReason, Statement
from mutua.claims.review import claim_item_decide
from mutua.claims.tests.helpers import submitted_claim
from mutua.contracts.models import Teletransmission
from mutua.core.crypto import search_digest
from mutua.core.selectors import status_history
from mutua.payments.models import Payable
from mutua.teletransmission import services
from mutua.teletransmission.models import ActMapping, AmChunk, AmException, AmFile, ExceptionReason
from mutua.teletransmission.tests.helpers import (
    CHILD_BIRTH,
    SPOUSE_BIRTH,
    SPOUSE_NIR,
    SUBSCRIBER_NIR,
    UNKNOWN_NIR,
    act,
    file_text,
    import_and_pay,
    write,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_fixture_nirs_are_valid():
    from mutua.teletransmission.fileformat import nir_valid

    assert all(nir_valid(nir) for nir in (SUBSCRIBER_NIR, SPOUSE_NIR, UNKNOWN_NIR))


def nothing_written():
    return not any(
        model.objects.exists() for model in (AmChunk, AmException, Claim, ClaimItem, Statement, Payable, CounterUsage)
    )


# --- refused whole ----------------------------------------------------------------------------


def test_a_broken_file_is_refused_whole_with_a_report_and_nothing_written(tmp_path, household):
    text = file_text([act(1, SUBSCRIBER_NIR), act(2, SUBSCRIBER_NIR)]).replace("|19.00|", "|31.00|", 1)
    with pytest.raises(services.AmFileRefused) as refused:
        services.am_file_import(path=write(tmp_path, text))
    am_file = refused.value.am_file
    assert am_file.status == AmFile.Status.REFUSED
    assert [(p["line"], p["code"]) for p in am_file.problems][:1] == [(2, "mr_over_charged")]
    assert am_file.problem_count == 1  # the totals it throws off are not reported as well
    assert nothing_written()
    assert [change.to_status for change in status_history(instance=am_file)] == [AmFile.Status.REFUSED]


def test_the_command_prints_the_report_and_exits_non_zero(tmp_path, household, capsys):
    path = write(tmp_path, file_text([act(1, SUBSCRIBER_NIR)]).replace("|G|", "|G1X|"))
    with pytest.raises(CommandError, match="nothing imported"):
        call_command("import_am", str(path))
    assert "line 2:" in capsys.readouterr().err
    assert nothing_written()


def test_a_file_already_imported_is_refused_by_its_id_but_a_refused_one_may_come_again(tmp_path, household):
    broken = file_text([act(1, SUBSCRIBER_NIR)], file_id="F7").replace("|30.00|30.00|", "|30.00|31.00|", 1)
    with pytest.raises(services.AmFileRefused):
        services.am_file_import(path=write(tmp_path, broken, "broken.txt"))
    first = import_and_pay(tmp_path, [act(1, SUBSCRIBER_NIR)], file_id="F7")  # corrected: accepted
    assert first.status == AmFile.Status.DONE
    again = [act(1, SUBSCRIBER_NIR, care_date=date(2026, 11, 3))]  # other content, same id
    with pytest.raises(services.AmFileRefused) as refused:
        services.am_file_import(path=write(tmp_path, file_text(again, file_id="F7"), "again.txt"))
    assert [p["code"] for p in refused.value.am_file.problems] == ["already_imported"]
    assert ClaimItem.objects.count() == 1


# --- matched and paid -------------------------------------------------------------------------


def test_matched_lines_are_paid_as_online_claims_are(tmp_path, household):
    user, spouse, child = household
    am_file = import_and_pay(
        tmp_path,
        [
            act(1, SUBSCRIBER_NIR),  # GP, sector 1
            act(2, SUBSCRIBER_NIR, code="CS", charged="60.00", br="30.00"),  # specialist, OPTAM, overrun 30
            act(3, SUBSCRIBER_NIR, rank=2, birth_date=CHILD_BIRTH, mr="21.00"),  # the child: no participation under 18
            act(4, SPOUSE_NIR, birth_date=SPOUSE_BIRTH),  # the spouse, insured in her own name
        ],
    )
    assert am_file.status == AmFile.Status.DONE
    claims = Claim.objects.filter(member=user.member)
    assert {claim.channel for claim in claims} == {Claim.Channel.TELETRANSMISSION}
    assert {claim.beneficiary for claim in claims} == {None, spouse, child}
    assert {claim.status for claim in claims} == {Claim.Status.VALIDATED}
    gp, specialist = ClaimItem.objects.filter(claim__beneficiary=None).order_by("source_ref")
    # Worked like example 1 of the guide: the AM paid 19.00 (70 % of 30.00, less the 2.00 participation),
    # the plan pays the ticket modérateur within what was charged; the participation remains.
    assert (gp.am_paid, gp.paid_total, gp.out_of_pocket) == (Decimal("19.00"), Decimal("9.00"), Decimal("2.00"))
    assert gp.tiers_paid == {"base": "9.00", "surco": "0.00"}
    assert (specialist.paid_total, specialist.out_of_pocket) == (Decimal("39.00"), Decimal("2.00"))
    assert gp.source_ref == "AM F2026-0001 #1"
    assert gp.explanation["fr"] and gp.explanation["en"]
    statements = Statement.objects.filter(member=user.member)
    assert statements.count() == 3
    assert sum(s.total_paid for s in statements) == sum(i.paid_total for i in ClaimItem.objects.all())
    payables = Payable.objects.filter(payee__member=user.member)
    assert sorted(p.amount for p in payables) == sorted(i.paid_total for i in ClaimItem.objects.all())
    assert all(p.statement_id and p.claim_item_id for p in payables)
    assert summary_of(am_file) == {
        "accepted": 4,
        "review": 0,
        "rejected": 0,
        "exceptions": 0,
        "paid": Decimal("66.00"),
    }
    for claim in claims:
        history = [(c.from_status, c.to_status) for c in status_history(instance=claim)]
        assert history == [("draft", "in_progress"), ("in_progress", "validated")]
        for item in claim.items.all():  # every item too, as the transition table allows
            assert [(c.from_status, c.to_status) for c in status_history(instance=item)] == [("pending", "accepted")]


def summary_of(am_file):
    from mutua.teletransmission.selectors import am_file_summary

    return am_file_summary(am_file=am_file)


def test_rank_1_is_the_subscriber_as_in_the_household_numbering(tmp_path, household):
    user, _spouse, _child = household
    import_and_pay(tmp_path, [act(1, SUBSCRIBER_NIR, rank=1)])
    item = ClaimItem.objects.get()
    assert item.claim.member == user.member and item.claim.beneficiary is None


def test_lines_spend_the_household_counters_as_online_claims_do(tmp_path, household):
    import_and_pay(
        tmp_path,
        [
            act(
                1,
                SUBSCRIBER_NIR,
                system="CCAM",
                code="HBJD001",
                charged="43.38",
                br="43.38",
                rate=60,
                mr="26.03",
                qualifiers=(),
            )
        ],
    )
    scaling = ClaimItem.objects.get()
    assert scaling.benefit_code == "prevention.scaling"
    assert CounterUsage.objects.filter(line_id=scaling.line_id).exists()


def test_teletransmission_becomes_active_for_the_people_whose_lines_arrive(tmp_path, household):
    user, spouse, child = household
    import_and_pay(tmp_path, [act(1, SPOUSE_NIR, birth_date=SPOUSE_BIRTH)])
    user.member.refresh_from_db(), spouse.refresh_from_db(), child.refresh_from_db()
    assert spouse.teletransmission == Teletransmission.ACTIVE
    assert user.member.teletransmission == child.teletransmission == Teletransmission.PENDING
    assert [c.to_status for c in status_history(instance=spouse)] == [Teletransmission.ACTIVE]


def test_an_insured_lines_are_never_split_between_chunks(tmp_path, household):
    acts = [act(n, SUBSCRIBER_NIR) for n in range(1, 5)] + [
        act(n, SPOUSE_NIR, birth_date=SPOUSE_BIRTH) for n in range(5, 8)
    ]
    am_file = import_and_pay(tmp_path, acts, chunk_lines=2)
    chunks = list(am_file.chunks.order_by("number").values_list("first_seq", "line_count"))
    assert chunks == [(1, 4), (5, 3)]
    assert ClaimItem.objects.filter(status=ClaimItem.Status.ACCEPTED).count() == 7


# --- exceptions -------------------------------------------------------------------------------


def test_unmatched_and_uncovered_lines_go_to_the_exception_queue_with_the_reason(tmp_path, household):
    user, _spouse, _child = household
    am_file = import_and_pay(
        tmp_path,
        [
            act(1, UNKNOWN_NIR),
            act(2, SUBSCRIBER_NIR, rank=2, birth_date=date(2016, 5, 5)),  # rank right, birth date wrong
            act(3, SUBSCRIBER_NIR, rank=7, birth_date=CHILD_BIRTH),  # no beneficiary of rank 7
            act(4, SUBSCRIBER_NIR, care_date=date(2019, 12, 31)),  # before the cover
            act(5, SUBSCRIBER_NIR, system="CCAM", code="ABCD123", qualifiers=()),  # act not mapped
            act(6, SUBSCRIBER_NIR),  # this one is paid
        ],
    )
    reasons = dict(AmException.objects.values_list("seq", "reason"))
    assert reasons == {
        1: ExceptionReason.UNKNOWN_INSURED,
        2: ExceptionReason.NO_SUCH_PERSON,
        3: ExceptionReason.NO_SUCH_PERSON,
        4: ExceptionReason.NOT_COVERED,
        5: ExceptionReason.UNMAPPED_ACT,
    }
    assert AmException.objects.get(seq=1).member is None
    assert AmException.objects.get(seq=4).member == user.member
    assert "CCAM ABCD123" in AmException.objects.get(seq=5).detail
    assert ClaimItem.objects.count() == 1
    assert am_file.status == AmFile.Status.DONE
    # The NIR is kept encrypted, and found again through its keyed hash.
    exception = AmException.objects.get(seq=1)
    assert exception.nir_digest == search_digest(UNKNOWN_NIR)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT record FROM teletransmission_amexception WHERE id = %s", [exception.pk])
        assert UNKNOWN_NIR not in cursor.fetchone()[0]


def test_a_mapping_added_then_retried_pays_the_line(tmp_path, household, handler):
    import_and_pay(tmp_path, [act(1, SUBSCRIBER_NIR, system="CCAM", code="ABCD123", qualifiers=())])
    exception = AmException.objects.get()
    still = services.am_exception_retry(exception=exception, by=handler)
    assert still.status == AmException.Status.OPEN and still.reason == ExceptionReason.UNMAPPED_ACT
    ActMapping.objects.create(system="CCAM", code="ABCD*", benefit_code="care.technical_acts")
    resolved = services.am_exception_retry(exception=exception, by=handler, note="mapping added")
    assert resolved.status == AmException.Status.RESOLVED
    assert resolved.claim_item.benefit_code == "care.technical_acts"
    assert resolved.claim_item.status == ClaimItem.Status.ACCEPTED
    assert Payable.objects.filter(claim_item=resolved.claim_item).exists()
    with pytest.raises(ValidationError, match="already handled"):
        services.am_exception_retry(exception=exception, by=handler)


def test_a_handler_pays_a_line_to_the_person_they_identified(tmp_path, household, handler):
    user, _spouse, child = household
    import_and_pay(tmp_path, [act(1, UNKNOWN_NIR, birth_date=CHILD_BIRTH)])
    exception = AmException.objects.get()
    with pytest.raises(ValidationError, match="identified"):
        services.am_exception_assign(
            exception=exception, by=handler, member_number=user.member.member_number, rank=2, note=" "
        )
    with pytest.raises(ValidationError, match="rank 9"):
        services.am_exception_assign(
            exception=exception, by=handler, member_number=user.member.member_number, rank=9, note="x"
        )
    resolved = services.am_exception_assign(
        exception=exception,
        by=handler,
        member_number=user.member.member_number.lower(),
        rank=2,
        note="NIR on the paper statement",
    )
    assert resolved.claim_item.claim.beneficiary == child
    assert [c.changed_by for c in status_history(instance=resolved)] == [handler]


def test_a_dismissed_line_needs_a_reason_and_is_recorded(tmp_path, household, handler):
    import_and_pay(tmp_path, [act(1, UNKNOWN_NIR)])
    exception = AmException.objects.get()
    with pytest.raises(ValidationError, match="why"):
        services.am_exception_dismiss(exception=exception, by=handler, note="")
    dismissed = services.am_exception_dismiss(exception=exception, by=handler, note="Not one of our members")
    assert dismissed.status == AmException.Status.DISMISSED
    assert status_history(instance=dismissed)[0].reason == "Not one of our members"


# --- no double reimbursement ------------------------------------------------------------------

GP = {
    "benefit_code": "care.gp",
    "care_date": date(2026, 11, 2),
    "amount": Decimal("30.00"),
    "mr": Decimal("19.00"),
    "doctor_fees": "optam",
}


def test_care_paid_from_an_online_claim_is_not_paid_again_from_the_am_line(tmp_path, household, run_tasks):
    user, _spouse, _child = household
    online = run_tasks(submitted_claim, user, [GP | {"mr": Decimal("19.00"), "br": Decimal("30.00")}])
    online_item = online.items.get()
    online_item.refresh_from_db()
    assert online_item.status == ClaimItem.Status.ACCEPTED
    import_and_pay(tmp_path, [act(1, SUBSCRIBER_NIR)])
    am_item = ClaimItem.objects.get(claim__channel=Claim.Channel.TELETRANSMISSION)
    assert am_item.status == ClaimItem.Status.REJECTED
    assert am_item.rejection_reason == RejectionReason.DUPLICATE
    assert am_item.duplicate_of == online_item
    assert not Payable.objects.filter(claim_item=am_item).exists()
    assert Payable.objects.filter(claim_item=online_item).count() == 1


def test_care_paid_from_the_am_line_is_not_paid_again_from_an_online_claim(tmp_path, household, run_tasks):
    user, _spouse, _child = household
    import_and_pay(tmp_path, [act(1, SUBSCRIBER_NIR)])
    am_item = ClaimItem.objects.get()
    online = run_tasks(submitted_claim, user, [GP])
    online_item = online.items.get()
    assert online_item.status == ClaimItem.Status.REJECTED
    assert online_item.rejection_reason == RejectionReason.DUPLICATE
    assert online_item.duplicate_of == am_item
    assert "F2026-0001" in online_item.rejection_text
    assert Payable.objects.filter(claim_item__claim__member=user.member).count() == 1


def test_care_waiting_for_a_handler_online_sends_the_am_line_to_the_handler_who_sees_the_link(
    tmp_path, household, run_tasks, handler, settings
):
    user, _spouse, _child = household
    settings.CLAIMS_AUTO_MAX_EUR = 10  # the online item waits for a handler
    online = run_tasks(submitted_claim, user, [GP])
    online_item = online.items.get()
    assert online_item.status == ClaimItem.Status.IN_REVIEW
    import_and_pay(tmp_path, [act(1, SUBSCRIBER_NIR)])
    am_item = ClaimItem.objects.get(claim__channel=Claim.Channel.TELETRANSMISSION)
    assert am_item.status == ClaimItem.Status.IN_REVIEW
    assert am_item.review_reasons == ["same_care_claimed"]
    assert am_item.duplicate_of_id == online_item.pk
    # The handler accepts the AM line (its amounts come from the AM); the online one can then only be refused.
    claim_item_decide(item=am_item, by=handler, accept=True)
    online_item.refresh_from_db()
    with pytest.raises(ValidationError, match="already reimbursed"):
        claim_item_decide(item=online_item, by=handler, accept=True)
    claim_item_decide(item=online_item, by=handler, accept=False, reason=RejectionReason.DUPLICATE)
    assert Payable.objects.filter(claim_item__claim__member=user.member).count() == 1


def test_equipment_lines_wait_for_a_handler_like_online_ones(tmp_path, household, handler):
    import_and_pay(
        tmp_path,
        [
            act(
                1,
                SUBSCRIBER_NIR,
                system="LPP",
                code="2223342",
                charged="150.00",
                br="0.05",
                rate=60,
                mr="0.03",
                qualifiers=(),
            )
        ],
    )
    item = ClaimItem.objects.get()
    assert item.status == ClaimItem.Status.IN_REVIEW
    assert item.review_reasons == ["review_section"]
    assert item.attributes == {"lens_class": "simple"}
    assert item.claim.status == Claim.Status.IN_PROGRESS
    assert not Statement.objects.exists()
    claim_item_decide(item=item, by=handler, accept=True)
    item.claim.refresh_from_db()
    assert item.claim.status == Claim.Status.VALIDATED
    assert Statement.objects.filter(claim=item.claim).exists()
    assert Payable.objects.filter(claim_item=item).exists()


# --- after review: rates, resent lines, failures ----------------------------------------------


def test_outside_the_pathway_a_non_doctor_act_waits_for_a_handler(tmp_path, household):
    import_and_pay(
        tmp_path,
        [
            act(
                1,
                SUBSCRIBER_NIR,
                system="CCAM",
                code="ZBQK002",
                charged="100.00",
                br="100.00",
                rate=30,
                mr="28.00",
                qualifiers=("HP",),
            )
        ],
    )
    item = ClaimItem.objects.get()
    assert item.status == ClaimItem.Status.IN_REVIEW
    assert item.review_reasons == ["outside_pathway"]
    assert not Payable.objects.exists()


def test_outside_the_pathway_a_doctor_is_paid_without_the_surcharge(tmp_path, household):
    import_and_pay(
        tmp_path,
        [act(1, SUBSCRIBER_NIR, code="CS", charged="30.00", br="30.00", rate=30, mr="7.00", qualifiers=("HP",))],
    )
    item = ClaimItem.objects.get()
    assert item.status == ClaimItem.Status.ACCEPTED
    assert item.am_rate is None  # the engine applies the reduced rate itself, from the normal one
    assert item.paid_total == Decimal("9.00")  # the ticket modérateur of 70 %, not the 12.00 surcharge


def test_the_same_line_sent_again_in_another_file_is_not_paid_twice(tmp_path, household):
    import_and_pay(tmp_path, [act(1, SUBSCRIBER_NIR), act(2, SUBSCRIBER_NIR)], file_id="F1")  # two visits: both paid
    assert ClaimItem.objects.filter(status=ClaimItem.Status.ACCEPTED).count() == 2
    import_and_pay(tmp_path, [act(1, SUBSCRIBER_NIR)], file_id="F2")
    resent = ClaimItem.objects.get(source_ref="AM F2 #1")
    assert resent.status == ClaimItem.Status.REJECTED
    assert resent.duplicate_of.source_ref.startswith("AM F1 #")
    assert Payable.objects.count() == 2


def test_a_handler_cannot_accept_a_line_already_paid_from_another_file(tmp_path, household, handler):
    import_and_pay(tmp_path, [act(1, SUBSCRIBER_NIR)], file_id="F1")
    ClaimItem.objects.update(status=ClaimItem.Status.IN_REVIEW)  # as if held: both files reach a handler
    import_and_pay(tmp_path, [act(1, SUBSCRIBER_NIR)], file_id="F2")
    first = ClaimItem.objects.get(source_ref="AM F1 #1")
    ClaimItem.objects.filter(pk=first.pk).update(status=ClaimItem.Status.ACCEPTED)
    second = ClaimItem.objects.get(source_ref="AM F2 #1")
    assert second.duplicate_of == first
    with pytest.raises(ValidationError, match="already reimbursed"):
        claim_item_decide(item=second, by=handler, accept=True)


def test_a_handler_decides_an_am_line_with_the_rate_of_the_file(tmp_path, household, handler, monkeypatch):
    # This medicine waits for a handler (as if the plan had its section checked).
    monkeypatch.setattr(
        "mutua.benefits.reasons.reviewed_section", lambda *, plan_code, section: section == "soins_courants"
    )
    import_and_pay(
        tmp_path,
        [act(1, SUBSCRIBER_NIR, code="PH4", charged="10.00", br="10.00", rate=30, mr="2.00", qualifiers=())],
    )
    item = ClaimItem.objects.get()
    assert item.status == ClaimItem.Status.IN_REVIEW and item.am_rate == Decimal("0.3000")
    claim_item_decide(item=item, by=handler, accept=True)
    item.refresh_from_db()
    # At the file's 30 %: the ticket modérateur is 7.00 (3.50 at the 65 % the plan assumes for medicines).
    assert item.paid_total == Decimal("7.00")


def test_decided_lines_are_paid_at_once_while_equipment_waits_in_its_own_claim(tmp_path, household):
    import_and_pay(
        tmp_path,
        [
            act(1, SUBSCRIBER_NIR),
            act(
                2,
                SUBSCRIBER_NIR,
                system="LPP",
                code="2223342",
                charged="150.00",
                br="0.05",
                rate=60,
                mr="0.03",
                qualifiers=(),
            ),
        ],
    )
    gp, lenses = ClaimItem.objects.order_by("source_ref")
    assert gp.claim != lenses.claim
    assert gp.claim.status == Claim.Status.VALIDATED and Statement.objects.filter(claim=gp.claim).exists()
    assert lenses.claim.status == Claim.Status.IN_PROGRESS
    assert Payable.objects.filter(claim_item=gp).exists()


def test_a_failing_chunk_is_set_aside_and_the_rest_of_the_file_goes_on(tmp_path, household, handler, monkeypatch):
    acts = [act(1, SUBSCRIBER_NIR)] + [act(n, SPOUSE_NIR, birth_date=SPOUSE_BIRTH) for n in range(2, 5)]
    original = services.acts_pay
    broken = {"on": True}

    def pay(am_file, chunk_acts, **kwargs):
        if broken["on"] and chunk_acts[0].seq == 1:
            raise RuntimeError("a bug in one chunk")
        return original(am_file, chunk_acts, **kwargs)

    monkeypatch.setattr(services, "acts_pay", pay)
    am_file = import_and_pay(tmp_path, acts, chunk_lines=1)
    chunks = {chunk.first_seq: chunk for chunk in am_file.chunks.all()}
    assert chunks[1].status == AmChunk.Status.FAILED and chunks[1].attempts == services.CHUNK_ATTEMPTS
    assert chunks[1].last_error == "RuntimeError: a bug in one chunk"
    assert chunks[2].status == AmChunk.Status.DONE
    assert am_file.status == AmFile.Status.PROCESSING  # not done while a chunk is set aside
    assert ClaimItem.objects.count() == 3
    broken["on"] = False
    assert services.am_file_retry_failed(am_file=am_file, by=handler) == 1
    services.am_file_drain(am_file_id=am_file.pk)
    am_file.refresh_from_db()
    assert am_file.status == AmFile.Status.DONE
    assert ClaimItem.objects.count() == 4


def test_a_mapping_row_of_the_wrong_shape_is_refused():
    from mutua.teletransmission.mappings import mapping_problems

    assert (
        mapping_problems(system="CCAM", code="HBLD*", benefit_code="dental.crown_bridge", attributes={}, flags=[]) == []
    )
    assert mapping_problems(system="CCAM", code="*", benefit_code="dental.care", attributes={}, flags=[])
    assert mapping_problems(system="NGAP", code="G", benefit_code="care.gp", attributes=["basket"], flags=[])
    assert mapping_problems(system="NGAP", code="G", benefit_code="care.gp", attributes={}, flags="dptm")
    assert mapping_problems(system="NGAP", code="G", benefit_code="care.none", attributes={"colour": "x"}, flags=["y"])


def test_an_upload_that_cannot_be_read_is_refused_not_left_waiting(tmp_path, household, handler, monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from mutua.teletransmission import fileformat

    am_file = services.am_file_upload(
        upload=SimpleUploadedFile("a.txt", file_text([act(1, SUBSCRIBER_NIR)]).encode()), by=handler
    )
    monkeypatch.setattr(fileformat, "check_file", lambda source: 1 / 0)
    loaded = services.am_file_load(am_file_id=am_file.pk)
    assert loaded.status == AmFile.Status.REFUSED
    assert [p["code"] for p in loaded.problems] == ["unreadable"]
    am_file.refresh_from_db()
    assert not am_file.staged
