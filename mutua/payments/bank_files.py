"""Reading what the bank sends back about a payment run, in its standard ISO 20022 files:

- a status report, pain.002 (version 03 and later): the bank's status for the whole file, and for
  each transfer (RJCT with its reason, or accepted, or pending);
- a debit/credit notification, camt.054, or a statement, camt.053 (version 02 and later): a booked
  credit that carries return information is a transfer that came back, with its reason.

The format is told by the XML namespace. Reading only, no database: the service checks what the file
says against the runs. The XML is parsed by defusedxml with any DTD refused: a bank file never has
one, and a DTD is what entity expansion ("billion laughs") and external entities need.
"""

import enum
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

NAMESPACE = re.compile(
    r"\{urn:iso:std:iso:20022:tech:xsd:(?P<message>pain\.002|camt\.053|camt\.054)\.001\.(?P<version>\d\d)\}"
)
# The first version of each message laid out as read here (the versions before it are built otherwise).
FIRST_VERSION = {"pain.002": 3, "camt.053": 2, "camt.054": 2}
BODY = {"pain.002": "CstmrPmtStsRpt", "camt.053": "BkToCstmrStmt", "camt.054": "BkToCstmrDbtCdtNtfctn"}
ACCOUNT_REPORT = {"camt.053": "Stmt", "camt.054": "Ntfctn"}

ACCEPTED = frozenset({"ACCP", "ACSC", "ACSP", "ACTC", "ACWC", "ACWP", "ACCC", "ACFC", "ACIS", "ACPD", "PART"})
PENDING = frozenset({"PDNG", "RCVD"})
REJECTED = "RJCT"


class Outcome(enum.Enum):
    REFUSED = "refused"  # rejected before payment (pain.002) or returned after it (camt)
    ACCEPTED = "accepted"
    PENDING = "pending"  # not final yet: a later report tells
    UNKNOWN = "unknown"  # a status Mutua does not know: shown as a problem, never guessed


@dataclass(frozen=True)
class Reason:
    code: str  # the ISO external code (AC04…), or the bank's own when it has no ISO one
    details: str = ""  # the bank's additional information, as sent


@dataclass(frozen=True)
class Entry:
    position: int  # from 1, in the file's order: how finance finds it in the bank's file
    end_to_end_id: str
    outcome: Outcome
    status: str  # the bank's status code, for the messages
    reason: Reason | None = None
    amount: Decimal | None = None  # None: the bank did not give it
    amount_text: str = ""  # as written, for a message when it is not a number
    currency: str = ""


@dataclass(frozen=True)
class BankFile:
    message: str  # as named by its namespace: "pain.002.001.03"
    entries: tuple[Entry, ...]
    original_message_id: str = ""  # pain.002: the file it answers, MUTUA-RUN-<run>
    file_status: str = ""  # pain.002: the status of the whole file
    file_rejection: Reason | None = None  # pain.002: the whole file was refused, and why
    accounts: tuple[str, ...] = ()  # camt: the IBANs of the accounts the file reports on
    other_entries: int = 0  # camt: movements that are not returns (the run's own debit, other credits)

    @property
    def is_status_report(self) -> bool:
        return self.message.startswith("pain.002")


def bank_file_read(*, content: bytes) -> BankFile:
    """The file, read; ``ValidationError`` with a message finance can act on when it cannot be."""
    try:
        root = fromstring(content, forbid_dtd=True)
    except DefusedXmlException as error:
        raise ValidationError(
            _("The file declares a DTD or entities, which a bank file never does: it was not read."), code="dtd"
        ) from error
    except ParseError as error:
        raise ValidationError(
            _("The file is not well-formed XML (line %(line)s): upload the file exactly as the bank sent it."),
            params={"line": error.position[0]},
            code="xml",
        ) from error
    namespace, _brace, local = root.tag.rpartition("}")
    match = NAMESPACE.fullmatch(namespace + "}") if local == "Document" else None
    if match is None or int(match["version"]) < FIRST_VERSION[match["message"]]:
        raise ValidationError(
            _(
                "This is not a file Mutua reads (%(kind)s). Upload the bank's status report (pain.002), "
                "debit/credit notification (camt.054) or statement (camt.053)."
            ),
            params={"kind": namespace.removeprefix("{urn:iso:std:iso:20022:tech:xsd:").lstrip("{") or local},
            code="format",
        )
    message = match["message"]
    reader = _Reader(namespace=namespace + "}")
    body = reader.child(root, BODY[message])
    if body is None:
        raise ValidationError(
            _("This %(message)s file has no %(element)s element: is it complete?"),
            params={"message": message, "element": BODY[message]},
            code="format",
        )
    name = f"{message}.001.{match['version']}"
    if message == "pain.002":
        return reader.status_report(body, name=name)
    return reader.account_entries(body, name=name, report=ACCOUNT_REPORT[message])


@dataclass(frozen=True)
class _Reader:
    namespace: str  # "{urn:…}", the file's own: every element read is in it

    def child(self, element: Element, path: str) -> Element | None:
        return element.find("/".join(self.namespace + step for step in path.split("/")))

    def children(self, element: Element, path: str) -> list[Element]:
        return element.findall("/".join(self.namespace + step for step in path.split("/")))

    def text(self, element: Element, path: str) -> str:
        found = self.child(element, path)
        return (found.text or "").strip() if found is not None else ""

    def reason(self, element: Element, path: str) -> Reason | None:
        """The first reason given (a status reason or return information), code or the bank's own."""
        for info in self.children(element, path):
            code = self.text(info, "Rsn/Cd") or self.text(info, "Rsn/Prtry")
            details = " ".join(filter(None, ((line.text or "").strip() for line in self.children(info, "AddtlInf"))))
            if code or details:
                return Reason(code=code, details=details)
        return None

    def amount(self, element: Element, paths: tuple[str, ...]) -> tuple[Decimal | None, str, str]:
        for path in paths:
            found = self.child(element, path)
            if found is not None:
                text = (found.text or "").strip()
                return _decimal(text), text, found.get("Ccy", "")
        return None, "", ""

    def status_report(self, body: Element, *, name: str) -> BankFile:
        group = self.child(body, "OrgnlGrpInfAndSts")
        group_status = self.text(group, "GrpSts") if group is not None else ""
        rejection = self.reason(group, "StsRsnInf") if group is not None else None
        entries = []
        for block in self.children(body, "OrgnlPmtInfAndSts"):
            block_status = self.text(block, "PmtInfSts") or group_status
            if block_status == REJECTED and group_status != REJECTED:
                # Mutua's file holds one payment block per run (one execution date): refusing it is
                # refusing the whole file.
                group_status, rejection = REJECTED, self.reason(block, "StsRsnInf") or rejection
            for transaction in self.children(block, "TxInfAndSts"):
                status = self.text(transaction, "TxSts") or block_status  # absent: the block's status holds
                amount, amount_text, currency = self.amount(transaction, ("OrgnlTxRef/Amt/InstdAmt",))
                entries.append(
                    Entry(
                        position=len(entries) + 1,
                        end_to_end_id=self.text(transaction, "OrgnlEndToEndId"),
                        outcome=_status_outcome(status),
                        status=status,
                        reason=self.reason(transaction, "StsRsnInf") if status == REJECTED else None,
                        amount=amount,
                        amount_text=amount_text,
                        currency=currency,
                    )
                )
        return BankFile(
            message=name,
            entries=tuple(entries),
            original_message_id=self.text(group, "OrgnlMsgId") if group is not None else "",
            file_status=group_status,
            file_rejection=(rejection or Reason(code="")) if group_status == REJECTED else None,
        )

    def account_entries(self, body: Element, *, name: str, report: str) -> BankFile:
        """Every movement is numbered in the file's order (a transaction of an entry, or an entry without
        details), returns or not, so that "entry 7" is the seventh movement finance sees in the file."""
        entries, position, accounts = [], 0, set()
        for account_report in self.children(body, report):
            accounts.add(self.text(account_report, "Acct/Id/IBAN"))
            for entry in self.children(account_report, "Ntry"):
                details = self.children(entry, "NtryDtls/TxDtls")
                if not details:
                    position += 1  # an entry without details is one movement
                booked = (self.text(entry, "Sts/Cd") or self.text(entry, "Sts")) == "BOOK"
                for transaction in details:
                    position += 1
                    credit = (self.text(transaction, "CdtDbtInd") or self.text(entry, "CdtDbtInd")) == "CRDT"
                    if not credit or self.child(transaction, "RtrInf") is None:
                        continue
                    # The amount we sent first; the entry's own amount only when it is this one transfer.
                    paths = ("AmtDtls/InstdAmt/Amt", "Amt", "AmtDtls/TxAmt/Amt")
                    amount, amount_text, currency = self.amount(transaction, paths)
                    if not amount_text and len(details) == 1:
                        amount, amount_text, currency = self.amount(entry, ("Amt",))
                    entries.append(
                        Entry(
                            position=position,
                            end_to_end_id=self.text(transaction, "Refs/EndToEndId"),
                            outcome=Outcome.REFUSED if booked else Outcome.PENDING,
                            status=self.text(entry, "Sts/Cd") or self.text(entry, "Sts"),
                            reason=self.reason(transaction, "RtrInf"),
                            amount=amount,
                            amount_text=amount_text,
                            currency=currency,
                        )
                    )
        return BankFile(
            message=name,
            entries=tuple(entries),
            accounts=tuple(sorted(filter(None, accounts))),
            other_entries=position - len(entries),
        )


def _status_outcome(status: str) -> Outcome:
    if status == REJECTED:
        return Outcome.REFUSED
    if status in ACCEPTED:
        return Outcome.ACCEPTED
    if status in PENDING:
        return Outcome.PENDING
    return Outcome.UNKNOWN


def _decimal(text: str) -> Decimal | None:
    try:
        amount = Decimal(text)
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None
