"""The payment ledger: every decided amount becomes a payable, paid once through a SEPA run.

Amounts are never edited: a correction is a new entry (adjustment or reversal) with its reason.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mutua.core.fields import EncryptedTextField
from mutua.core.workflow import Workflow


class Payee(models.Model):
    """Who receives the money: a member or a hospital paid directly, to the account on their file."""

    class Kind(models.TextChoices):
        MEMBER = "member", _("member")
        PROVIDER = "provider", _("provider")
        # Someone paid who has no file of their own (a designated beneficiary of a death capital).
        BENEFICIARY = "beneficiary", _("beneficiary")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    member = models.OneToOneField(
        "contracts.Member", on_delete=models.PROTECT, null=True, blank=True, related_name="payee"
    )
    provider = models.OneToOneField(
        "providers.Provider", on_delete=models.PROTECT, null=True, blank=True, related_name="payee"
    )
    # A beneficiary's name and account, kept on the payee itself and encrypted as a member's.
    beneficiary_name = models.CharField(_("name"), max_length=140, blank=True)
    beneficiary_iban = EncryptedTextField(_("IBAN"), blank=True)
    beneficiary_bic = models.CharField(_("BIC"), max_length=11, blank=True)
    # The keyed hash of an IBAN the bank refused: payments stay blocked while it is the one on file.
    blocked_iban_digest = models.CharField(max_length=64, blank=True)
    blocked_reason = models.CharField(_("reason for the block"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("payee")
        verbose_name_plural = _("payees")

    def __str__(self) -> str:
        return str(self.member or self.provider or self.beneficiary_name or f"payee {self.pk}")

    @property
    def holder(self) -> models.Model:
        """The member or hospital whose file holds the account: name, IBAN and BIC."""
        return self.member if self.member_id else self.provider

    @property
    def account_name(self) -> str:
        if self.kind == self.Kind.BENEFICIARY:
            return self.beneficiary_name
        return self.member.full_name if self.member_id else self.provider.name

    @property
    def iban(self) -> str:
        return self.beneficiary_iban if self.kind == self.Kind.BENEFICIARY else self.holder.iban

    @property
    def bic(self) -> str:
        return self.beneficiary_bic if self.kind == self.Kind.BENEFICIARY else self.holder.bic


class PaymentRun(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")
        EXPORTED = "exported", _("File produced")
        SETTLED = "settled", _("Paid")
        CANCELLED = "cancelled", _("Cancelled")
        REFUSED = "refused", _("Refused by the bank")

    WORKFLOW = Workflow(
        transitions={
            Status.DRAFT: frozenset({Status.APPROVED, Status.CANCELLED}),
            # Approved is final: its file may be at the bank already, so it is never cancelled.
            Status.APPROVED: frozenset({Status.EXPORTED}),
            # The bank executed the file, or refused it whole (its payables are then due again).
            Status.EXPORTED: frozenset({Status.SETTLED, Status.REFUSED}),
        }
    )

    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    execution_date = models.DateField(_("execution date"))
    # One file per currency: a run pays its payables of one currency (pain.001: SEPA for the euro).
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    total = models.DecimalField(_("total"), max_digits=14, decimal_places=2, default=0)
    transfers = models.PositiveIntegerField(_("transfers"), default=0)
    file = models.TextField(blank=True)  # the pain.001 XML, produced once and kept
    file_sha256 = models.CharField(max_length=64, blank=True)
    paid_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("payment run")
        verbose_name_plural = _("payment runs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"run {self.pk}"


class Payable(models.Model):
    class Kind(models.TextChoices):
        DECISION = "decision", _("decision")
        ADJUSTMENT = "adjustment", _("adjustment")
        REVERSAL = "reversal", _("reversal")

    class Status(models.TextChoices):
        DUE = "due", _("due")
        IN_RUN = "in_run", _("in a payment run")
        PAID = "paid", _("paid")

    WORKFLOW = Workflow(
        transitions={
            Status.DUE: frozenset({Status.IN_RUN}),
            Status.IN_RUN: frozenset({Status.DUE, Status.PAID}),  # released by a cancelled run, or paid
            Status.PAID: frozenset({Status.DUE}),  # returned by the bank
        }
    )

    payee = models.ForeignKey(Payee, on_delete=models.PROTECT, related_name="payables")
    claim_item = models.ForeignKey(
        "benefits.ClaimItem", on_delete=models.PROTECT, null=True, blank=True, related_name="payables"
    )
    statement = models.ForeignKey(
        "benefits.Statement", on_delete=models.PROTECT, null=True, blank=True, related_name="payables"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.DECISION)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3, default="EUR")  # of ``amount``: what is paid (the account's)
    # What the plan owes, in its own currency, when the account is held in another one: converted once,
    # when the payable is created, at ``rate`` (one unit of the plan's currency in ``currency``) of ``rate_on``.
    plan_amount = models.DecimalField(_("amount in the plan's currency"), max_digits=12, decimal_places=2, null=True)
    plan_currency = models.CharField(max_length=3, blank=True)
    rate = models.DecimalField(_("exchange rate"), max_digits=24, decimal_places=12, null=True)
    rate_on = models.DateField(_("date of the exchange rate"), null=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DUE)
    run = models.ForeignKey(PaymentRun, on_delete=models.PROTECT, null=True, blank=True, related_name="payables")
    paid_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("payable")
        verbose_name_plural = _("payables")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["status", "currency"])]

    def __str__(self) -> str:
        return f"{self.amount} {self.currency} → {self.payee}"


class PaymentTransfer(models.Model):
    """One transfer of a run, as prepared: the account is copied when the run is prepared, so what
    is approved is what is paid, whatever changes on the member's file afterwards."""

    run = models.ForeignKey(PaymentRun, on_delete=models.PROTECT, related_name="transfers_made")
    payee = models.ForeignKey(Payee, on_delete=models.PROTECT, related_name="transfers")
    name = models.CharField(max_length=140)
    iban = EncryptedTextField()
    bic = models.CharField(max_length=11, blank=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    end_to_end_id = models.CharField(max_length=35, unique=True)
    remittance = models.CharField(max_length=140)
    returned_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["payee_id"]

    def __str__(self) -> str:
        return self.end_to_end_id
