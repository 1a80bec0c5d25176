"""Bank files as banks send them, built for the tests from a run's own pain.001 file.

Element names and their order follow the ISO 20022 schemas of each version: pain.002.001.03
(CustomerPaymentStatusReportV03) and .10 (V10), camt.054.001.02 and .08, camt.053.001.02.
"""

from dataclasses import dataclass
from decimal import Decimal
from xml.etree import ElementTree

from django.conf import settings

from mutua.payments.models import PaymentRun

PAIN_001 = "{urn:iso:std:iso:20022:tech:xsd:pain.001.001.03}"
BANK_BIC = "AGRIFRPP"


@dataclass(frozen=True)
class Status:
    """One transaction of a status report."""

    end_to_end_id: str
    status: str  # RJCT, ACSC, PDNG…
    code: str = ""
    details: str = ""
    amount: Decimal | None = None
    currency: str = "EUR"


@dataclass(frozen=True)
class Movement:
    """One transaction of a notification or statement: a return when it has a reason code."""

    end_to_end_id: str
    amount: Decimal
    code: str = ""
    details: str = ""
    credit: bool = True
    booked: bool = True
    currency: str = "EUR"


def _run_file(run: PaymentRun) -> dict[str, str]:
    root = ElementTree.fromstring(run.file)
    return {
        name: root.findtext(f".//{PAIN_001}{name}")
        for name in ("MsgId", "CreDtTm", "NbOfTxs", "CtrlSum", "PmtInfId", "ReqdExctnDt")
    }


def _reason(element: str, code: str, details: str, *, bic: str) -> str:
    if not code and not details:
        return ""
    originator = f"<Orgtr><Id><OrgId>{bic}</OrgId></Id></Orgtr>"
    return (
        f"<{element}>{originator}"
        + (f"<Rsn><Cd>{code}</Cd></Rsn>" if code else "")
        + (f"<AddtlInf>{details}</AddtlInf>" if details else "")
        + f"</{element}>"
    )


def pain_002(
    run: PaymentRun,
    statuses: list[Status],
    *,
    version: str = "03",
    group_status: str = "PART",
    group_code: str = "",
    group_details: str = "",
    message_id: str = "",
) -> bytes:
    """The bank's status report on the run's file."""
    sent = _run_file(run)
    later = version >= "04"  # from V04 on: AnyBIC, and the execution date is a choice of date or time
    bic = f"<AnyBIC>{BANK_BIC}</AnyBIC>" if later else f"<BICOrBEI>{BANK_BIC}</BICOrBEI>"
    execution = (
        f"<ReqdExctnDt><Dt>{sent['ReqdExctnDt']}</Dt></ReqdExctnDt>"
        if later
        else (f"<ReqdExctnDt>{sent['ReqdExctnDt']}</ReqdExctnDt>")
    )
    transactions = "".join(
        "<TxInfAndSts>"
        f"<StsId>STS-{n:05d}</StsId><OrgnlEndToEndId>{s.end_to_end_id}</OrgnlEndToEndId><TxSts>{s.status}</TxSts>"
        + _reason("StsRsnInf", s.code, s.details, bic=bic)
        + (
            f'<OrgnlTxRef><Amt><InstdAmt Ccy="{s.currency}">{s.amount}</InstdAmt></Amt>{execution}</OrgnlTxRef>'
            if s.amount is not None
            else ""
        )
        + "</TxInfAndSts>"
        for n, s in enumerate(statuses, start=1)
    )
    block = (
        f"<OrgnlPmtInfAndSts><OrgnlPmtInfId>{sent['PmtInfId']}</OrgnlPmtInfId>{transactions}</OrgnlPmtInfAndSts>"
        if statuses
        else ""
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.{version}" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        "<CstmrPmtStsRpt>"
        f"<GrpHdr><MsgId>STS-{run.pk}-{version}</MsgId><CreDtTm>2026-04-02T08:15:02</CreDtTm>"
        f"<InitgPty><Id><OrgId>{bic}</OrgId></Id></InitgPty></GrpHdr>"
        f"<OrgnlGrpInfAndSts><OrgnlMsgId>{message_id or sent['MsgId']}</OrgnlMsgId>"
        f"<OrgnlMsgNmId>pain.001.001.03</OrgnlMsgNmId><OrgnlCreDtTm>{sent['CreDtTm']}</OrgnlCreDtTm>"
        f"<OrgnlNbOfTxs>{sent['NbOfTxs']}</OrgnlNbOfTxs><OrgnlCtrlSum>{sent['CtrlSum']}</OrgnlCtrlSum>"
        f"<GrpSts>{group_status}</GrpSts>"
        + _reason("StsRsnInf", group_code, group_details, bic=bic)
        + "</OrgnlGrpInfAndSts>"
        + block
        + "</CstmrPmtStsRpt>\n</Document>\n"
    ).encode()


def _entry(movement: Movement, n: int, *, version: str) -> str:
    """A return is booked as a credit: bank transaction code PMNT / ICDT / RRTN (returned transfer)."""
    later = version >= "04"
    sign = "CRDT" if movement.credit else "DBIT"
    status = ("<Sts><Cd>{}</Cd></Sts>" if later else "<Sts>{}</Sts>").format("BOOK" if movement.booked else "PDNG")
    family = "RRTN" if movement.code else "ESCT"
    code = f"<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>ICDT</Cd><SubFmlyCd>{family}</SubFmlyCd></Fmly></Domn></BkTxCd>"
    amount = f'<Amt Ccy="{movement.currency}">{movement.amount}</Amt>'
    creditor = "<Cdtr><Pty><Nm>Payee</Nm></Pty></Cdtr>" if later else "<Cdtr><Nm>Payee</Nm></Cdtr>"
    details = (
        f"<TxDtls><Refs><EndToEndId>{movement.end_to_end_id}</EndToEndId><TxId>TX-{n:06d}</TxId></Refs>"
        + (f"{amount}<CdtDbtInd>{sign}</CdtDbtInd>" if later else "")
        + f"<AmtDtls><InstdAmt>{amount}</InstdAmt><TxAmt>{amount}</TxAmt></AmtDtls>{code}"
        + f"<RltdPties>{creditor}</RltdPties>"
        + (
            f"<RtrInf><Rsn><Cd>{movement.code}</Cd></Rsn>"
            + (f"<AddtlInf>{movement.details}</AddtlInf>" if movement.details else "")
            + "</RtrInf>"
            if movement.code
            else ""
        )
        + "</TxDtls>"
    )
    return (
        f"<Ntry><NtryRef>{n}</NtryRef>{amount}<CdtDbtInd>{sign}</CdtDbtInd>{status}"
        f"<BookgDt><Dt>2026-04-06</Dt></BookgDt><ValDt><Dt>2026-04-06</Dt></ValDt>"
        f"<AcctSvcrRef>REF-{n:06d}</AcctSvcrRef>{code}<NtryDtls>{details}</NtryDtls>"
        f"<AddtlNtryInf>{'RETOUR VIREMENT SEPA' if movement.code else 'VIREMENT SEPA'}</AddtlNtryInf></Ntry>"
    )


def _batch_debit(n: int, *, total: Decimal, version: str) -> str:
    """The run's own debit, booked as one batch: a movement that is not a return."""
    status = "<Sts><Cd>BOOK</Cd></Sts>" if version >= "04" else "<Sts>BOOK</Sts>"
    return (
        f'<Ntry><NtryRef>{n}</NtryRef><Amt Ccy="EUR">{total}</Amt><CdtDbtInd>DBIT</CdtDbtInd>{status}'
        "<BookgDt><Dt>2026-04-01</Dt></BookgDt><ValDt><Dt>2026-04-01</Dt></ValDt>"
        "<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>ICDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>"
        "<NtryDtls><Btch><NbOfTxs>1</NbOfTxs></Btch></NtryDtls></Ntry>"
    )


def _account(iban: str, *, version: str) -> str:
    bic = f"<BICFI>{BANK_BIC}</BICFI>" if version >= "04" else f"<BIC>{BANK_BIC}</BIC>"
    return f"<Acct><Id><IBAN>{iban}</IBAN></Id><Ccy>EUR</Ccy><Svcr><FinInstnId>{bic}</FinInstnId></Svcr></Acct>"


def camt_054(
    movements: list[Movement], *, version: str = "02", iban: str = "", batch_debit: Decimal | None = None
) -> bytes:
    """The bank's debit/credit notification of the paying account."""
    entries = "".join(_entry(m, n, version=version) for n, m in enumerate(movements, start=1))
    if batch_debit is not None:
        entries += _batch_debit(len(movements) + 1, total=batch_debit, version=version)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.{version}">\n'
        "<BkToCstmrDbtCdtNtfctn>"
        "<GrpHdr><MsgId>NTF-20260406-0001</MsgId><CreDtTm>2026-04-06T19:00:08</CreDtTm></GrpHdr>"
        "<Ntfctn><Id>NTF-20260406-0001-1</Id><CreDtTm>2026-04-06T19:00:08</CreDtTm>"
        f"{_account(iban or settings.PAYMENTS_DEBTOR_IBAN, version=version)}{entries}</Ntfctn>"
        "</BkToCstmrDbtCdtNtfctn>\n</Document>\n"
    ).encode()


def camt_053(movements: list[Movement], *, version: str = "02") -> bytes:
    """The bank's end-of-day statement of the paying account."""
    entries = "".join(_entry(m, n, version=version) for n, m in enumerate(movements, start=1))
    balances = "".join(
        f'<Bal><Tp><CdOrPrtry><Cd>{kind}</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">10000.00</Amt>'
        "<CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-04-06</Dt></Dt></Bal>"
        for kind in ("OPBD", "CLBD")
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.{version}">\n'
        "<BkToCstmrStmt>"
        "<GrpHdr><MsgId>STMT-20260406</MsgId><CreDtTm>2026-04-06T20:02:58</CreDtTm></GrpHdr>"
        "<Stmt><Id>STMT-20260406-1</Id><ElctrncSeqNb>96</ElctrncSeqNb><CreDtTm>2026-04-06T20:02:58</CreDtTm>"
        f"{_account(settings.PAYMENTS_DEBTOR_IBAN, version=version)}{balances}{entries}</Stmt>"
        "</BkToCstmrStmt>\n</Document>\n"
    ).encode()
