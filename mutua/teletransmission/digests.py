"""What each household is told once an AM statement file is paid: one e-mail per household per file.

It names the totals and the statements, never the care (no medical detail in an e-mail): the
details are in the member area. Sent once, when the file is done (its status changes once).
"""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count

from mutua.benefits.models import Claim, ClaimItem, Statement
from mutua.contracts.models import Member
from mutua.core.emails import email_queue
from mutua.teletransmission.models import AmFile


def am_file_digests_queue(*, am_file: AmFile, source_prefix: str) -> int:
    """Queue the households' digests of a file that is done (within its closing transaction).

    A household whose every line was refused (already reimbursed, say) has nothing new to hear.
    Returns how many e-mails are queued.
    """
    claims = Claim.objects.filter(
        channel=Claim.Channel.TELETRANSMISSION, items__source_ref__startswith=source_prefix
    ).distinct()
    paid: dict[int, Decimal] = defaultdict(Decimal)
    numbers: dict[int, list[str]] = defaultdict(list)
    statements = Statement.objects.filter(claim__in=claims).order_by("number")
    for member_id, number, total in statements.values_list("member_id", "number", "total_paid"):
        paid[member_id] += total
        numbers[member_id].append(number)
    waiting = dict(
        ClaimItem.objects.filter(claim__in=claims, status=ClaimItem.Status.IN_REVIEW)
        .values_list("claim__member_id")
        .annotate(count=Count("pk"))
    )
    told = {member_id for member_id, total in paid.items() if total > 0} | set(waiting)
    sent = am_file.created_at.strftime("%d/%m/%Y") if am_file.created_at else ""
    for member in Member.objects.filter(pk__in=told).only("email", "first_name", "preferred_language"):
        email_queue(
            to=member.email,
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
