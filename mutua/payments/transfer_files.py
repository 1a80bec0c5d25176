"""A payment run's file for the bank: ISO 20022 credit transfers (pain.001.001.03), built by sepaxml and
validated against the schema it ships, the ISO one, which takes any currency.

A run pays one currency, so one file per currency. A euro run is a SEPA file: service level SEPA, charges
shared as SEPA sets them (SLEV). Any other currency is not SEPA (the EPC's schema takes the euro only): the
same message without the SEPA service level, the charges shared between debtor and creditor (SHAR), the
amount with its currency (``Ccy`` on ``InstdAmt``) and the creditor's BIC, which routes the transfer
outside SEPA and so is required.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from lxml import etree
from sepaxml import SepaTransfer
from sepaxml.validation import try_valid_xml

from mutua.payments.models import PaymentRun

SCHEMA = "pain.001.001.03"
NAMESPACE = {"p": f"urn:iso:std:iso:20022:tech:xsd:{SCHEMA}"}
SEPA_CURRENCY = "EUR"


def run_transfer_file(run: PaymentRun) -> str:
    """The run's pain.001, validated; ``ValidationError`` with what finance can do when it cannot be made."""
    try:
        return _transfer_file(run)
    except ValidationError:
        raise
    except Exception as error:  # sepaxml's own checks and the schema's, whatever they raise
        raise ValidationError(
            _("The payment file cannot be produced (%(problem)s): cancel this run and prepare a new one."),
            params={"problem": error},
            code="sepa",
        ) from error


def _transfer_file(run: PaymentRun) -> str:
    sepa = SepaTransfer(
        {
            "name": settings.PAYMENTS_DEBTOR_NAME,
            "IBAN": settings.PAYMENTS_DEBTOR_IBAN,
            "BIC": settings.PAYMENTS_DEBTOR_BIC,
            "batch": True,
            "currency": run.currency,
        },
        schema=SCHEMA,
        clean=True,
    )
    # sepaxml writes the group header as soon as it is created: the run's message id goes there too, as
    # the bank echoes it in its status report (pain.002) and checks it against a second sending.
    sepa.msg_id = f"MUTUA-RUN-{run.pk}"
    sepa._xml.find("CstmrCdtTrfInitn/GrpHdr/MsgId").text = sepa.msg_id
    outside_sepa = run.currency != SEPA_CURRENCY
    for transfer in run.transfers_made.all():
        if outside_sepa and not transfer.bic:
            raise ValidationError(
                _(
                    "%(name)s has no BIC: a transfer in %(currency)s needs the bank's BIC. Ask for it, then prepare "
                    "the run again."
                ),
                params={"name": transfer.name, "currency": run.currency},
                code="bic",
            )
        sepa.add_payment(
            {
                "name": transfer.name,
                "IBAN": transfer.iban,
                "BIC": transfer.bic or "NOTPROVIDED",
                "amount": int((transfer.amount * 100).to_integral_value()),
                "currency": run.currency,
                "execution_date": run.execution_date,
                "description": transfer.remittance,
                "endtoend_id": transfer.end_to_end_id,
            }
        )
    xml = sepa.export(validate=True)
    if outside_sepa:
        xml = _without_sepa_rules(xml)
        try_valid_xml(xml, SCHEMA)
    return xml.decode()


def _without_sepa_rules(xml: bytes) -> bytes:
    """The SEPA service level taken out and the charges shared: the same pain.001 for a non-euro transfer."""
    root = etree.fromstring(xml, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    for level in root.iterfind(".//p:PmtTpInf/p:SvcLvl", NAMESPACE):
        payment_type = level.getparent()
        payment_type.remove(level)
        if len(payment_type) == 0:
            payment_type.getparent().remove(payment_type)
    for charges in root.iterfind(".//p:ChrgBr", NAMESPACE):
        charges.text = "SHAR"
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")
