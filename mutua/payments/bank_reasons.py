"""The banks' reason codes (ISO 20022 external status and return reason codes) in plain words, and
what each one means for the payee: whose side the problem is on decides whether the account is blocked.
"""

import enum
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Effect(enum.Enum):
    BLOCK_ACCOUNT = "block_account"  # the payee's account or details: paid again only to another account
    PAY_AGAIN = "pay_again"  # our side or our file: due again and paid by the next run, same account
    NOTHING = "nothing"  # a second sending of the same transfer refused: the first one stands


@dataclass(frozen=True)
class ReasonCode:
    words: Promise
    effect: Effect


_ACCOUNT, _OURS, _DUPLICATE = Effect.BLOCK_ACCOUNT, Effect.PAY_AGAIN, Effect.NOTHING

REASON_CODES: dict[str, ReasonCode] = {
    "AC01": ReasonCode(_("incorrect account number"), _ACCOUNT),
    "AC03": ReasonCode(_("invalid payee account number"), _ACCOUNT),
    "AC04": ReasonCode(_("closed account"), _ACCOUNT),
    "AC06": ReasonCode(_("blocked account"), _ACCOUNT),
    "AG01": ReasonCode(_("transaction forbidden on this account"), _ACCOUNT),
    "AG02": ReasonCode(_("invalid bank operation code"), _OURS),
    "AM04": ReasonCode(_("insufficient funds on the paying account"), _OURS),
    "AM05": ReasonCode(_("duplication"), _DUPLICATE),
    "BE04": ReasonCode(_("missing payee address"), _ACCOUNT),
    "BE05": ReasonCode(_("unrecognised initiating party"), _OURS),
    "CNOR": ReasonCode(_("payee's bank not reachable"), _ACCOUNT),
    "DNOR": ReasonCode(_("paying bank not reachable"), _OURS),
    "DT01": ReasonCode(_("invalid date"), _OURS),
    "DU01": ReasonCode(_("duplicate message"), _DUPLICATE),
    "DU02": ReasonCode(_("duplicate payment block"), _DUPLICATE),
    "DU03": ReasonCode(_("duplicate transaction"), _DUPLICATE),
    "DU04": ReasonCode(_("duplicate end-to-end id"), _DUPLICATE),
    "DU05": ReasonCode(_("duplicate instruction id"), _DUPLICATE),
    "ED05": ReasonCode(_("settlement failed"), _OURS),
    "FF01": ReasonCode(_("invalid file format"), _OURS),
    "FOCR": ReasonCode(_("returned after a cancellation request"), _OURS),
    "MD07": ReasonCode(_("end customer deceased"), _ACCOUNT),
    "MS02": ReasonCode(_("reason not specified, refused by the payee"), _ACCOUNT),
    "MS03": ReasonCode(_("reason not specified, refused by a bank"), _ACCOUNT),
    "NARR": ReasonCode(_("reason given in the bank's text"), _ACCOUNT),
    "RC01": ReasonCode(_("bank identifier (BIC) incorrect"), _ACCOUNT),
    "RR01": ReasonCode(_("regulatory reason: paying account or identification missing"), _OURS),
    "RR02": ReasonCode(_("regulatory reason: paying party's name or address missing"), _OURS),
    "RR03": ReasonCode(_("regulatory reason: payee's name or address missing"), _ACCOUNT),
    "RR04": ReasonCode(_("regulatory reason"), _ACCOUNT),
    "TM01": ReasonCode(_("received after the bank's cut-off time"), _OURS),
}


def reason_effect(code: str) -> Effect:
    """An unknown code blocks the account: nobody pays again, automatically, an account that failed for
    a reason nobody read."""
    known = REASON_CODES.get(code)
    return known.effect if known else Effect.BLOCK_ACCOUNT


def reason_label(code: str, details: str = "") -> str:
    """The code and its words, then the bank's own text: "AC04 closed account – Compte clos"."""
    if not code:
        label = str(_("no reason given"))
    elif known := REASON_CODES.get(code):
        label = f"{code} {known.words}"
    else:
        label = code  # the bank's own code, or one not in the table: shown as sent
    return f"{label} – {details}" if details else label
