"""What each household is told once an AM statement file is paid: one e-mail per household per file.

It names the totals and the statements, never the care (no medical detail in an e-mail): the
details are in the member area. Sent by a background task once the file is done, in batches of
households, each batch in its own transaction with how far it went: a file of a million lines
never holds its households in memory or in one transaction, and nobody is told twice.
"""

from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import Count
from django.urls import reverse

from mutua.benefits.models import Claim, ClaimItem, Statement
from mutua.contracts.models import Member
from mutua.notifications.services import notification_send
from mutua.teletransmission.models import AmFile
from mutua.teletransmission.paying import claim_source

HOUSEHOLDS_PER_BATCH = 500


def am_file_digests_send(*, am_file_id: int) -> int:
    """Tell the households of a done file what it paid, batch by batch; returns how many were told.

    A household whose every line was refused (already reimbursed, say) has nothing new to hear.
    """
    told = 0
    while True:
        with transaction.atomic():
            am_file = AmFile.objects.select_for_update().get(pk=am_file_id)
            if am_file.status != AmFile.Status.DONE or am_file.digests_up_to is None:
                return told
            claims = Claim.objects.filter(source=claim_source(am_file))
            batch = list(
                claims.filter(member_id__gt=am_file.digests_up_to)
                .order_by("member_id")
                .values_list("member_id", flat=True)
                .distinct()[:HOUSEHOLDS_PER_BATCH]
            )
            # The batch's claims as ids: each query below then goes by its own index.
            told += _digests_queue(am_file, list(claims.filter(member_id__in=batch).values_list("pk", flat=True)))
            am_file.digests_up_to = batch[-1] if batch else None
            am_file.save(update_fields=["digests_up_to"])


def _digests_queue(am_file: AmFile, claims: list[int]) -> int:
    paid: dict[int, Decimal] = defaultdict(Decimal)
    numbers: dict[int, list[str]] = defaultdict(list)
    statements = Statement.objects.filter(claim_id__in=claims).order_by("number")
    for member_id, number, total in statements.values_list("member_id", "number", "total_paid"):
        paid[member_id] += total
        numbers[member_id].append(number)
    waiting = dict(
        ClaimItem.objects.filter(claim_id__in=claims, status=ClaimItem.Status.IN_REVIEW)
        .values_list("claim__member_id")
        .annotate(count=Count("pk"))
    )
    told = {member_id for member_id, total in paid.items() if total > 0} | set(waiting)
    sent = am_file.created_at.strftime("%d/%m/%Y") if am_file.created_at else ""
    statements = reverse("claims:statements")
    for member in Member.objects.filter(pk__in=told).only("email", "first_name", "preferred_language"):
        notification_send(
            to=member.email,
            member=member,
            link=statements,
            template="teletransmission/email/statement_digest",
            context={
                "first_name": member.first_name,
                "sent": sent,
                "total": f"{paid.get(member.pk, Decimal('0.00')):.2f}",
                "statements": ", ".join(numbers[member.pk]),
                "waiting": waiting.get(member.pk, 0),
            },
            language=member.preferred_language,
        )
    return len(told)
