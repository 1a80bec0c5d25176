"""The same care sent twice: one rule for every channel, so that nothing is ever paid twice.

Two lines are the same care when they are for the same person, benefit, date and amount; an AM file's
own lines are distinct acts, and two AM files' lines are the same care only from the same provider
(the AM sent it again). Already paid through another channel, or by the AM before, the care is
refused; otherwise (two online claims of it, one not decided yet) a handler compares the two.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from mutua.benefits.pipeline import Earlier
from mutua.benefits.reasons import TELETRANSMISSION


@dataclass(frozen=True, slots=True)
class SentCare:
    """A care item already sent (not refused, not in a draft), as the rule reads it."""

    item_id: int
    member_id: int
    beneficiary_id: int | None
    benefit_code: str
    care_date: date
    amount: Decimal  # in the plan's currency
    channel: str
    provider: str
    source: str  # its claim's source: the AM file it came from; empty for other channels
    accepted: bool
    source_ref: str  # the item's own: the AM file's line
    claim_name: str

    @property
    def text(self) -> str:
        """Where it was reimbursed, in the member's words (read only for the care found)."""
        if self.channel == TELETRANSMISSION:
            return _("reimbursed from the Assurance Maladie statement (%(source)s)") % {"source": self.source_ref}
        return _("reimbursed from the online claim “%(name)s”") % {"name": self.claim_name}


class SameCare:
    """The care already sent by a batch's households, indexed for its lines."""

    def __init__(self, sent: Iterable[SentCare]) -> None:
        self._by_key: dict[tuple, list[SentCare]] = defaultdict(list)
        for care in sorted(sent, key=lambda care: care.item_id):
            key = (care.member_id, care.beneficiary_id, care.benefit_code, care.care_date, care.amount)
            self._by_key[key].append(care)

    def find(
        self,
        *,
        member_id: int,
        beneficiary_id: int | None,
        benefit_code: str,
        care_date: date,
        amount: Decimal,
        channel: str,
        provider: str = "",
        source: str = "",
        item_id: int | None = None,
    ) -> Earlier | None:
        """The same care sent before this line (``item_id``: the line's own item, never its own double)."""
        found = [
            care
            for care in self._by_key.get((member_id, beneficiary_id, benefit_code, care_date, amount), ())
            if care.item_id != item_id and _same_act(care, channel=channel, provider=provider, source=source)
        ]
        paid = next((care for care in found if care.accepted and _never_twice(care, channel)), None)
        if paid is not None:
            return Earlier(paid.item_id, paid=True, text=paid.text)
        return Earlier(found[0].item_id, paid=False, text=found[0].text) if found else None


def _same_act(care: SentCare, *, channel: str, provider: str, source: str) -> bool:
    if care.channel == TELETRANSMISSION and channel == TELETRANSMISSION:
        return care.provider == provider and care.source != source
    return True


def _never_twice(care: SentCare, channel: str) -> bool:
    """Paid through another channel, or by the AM: two online claims of the same care may be two visits."""
    return care.channel != channel or channel == TELETRANSMISSION
