"""Quotes ("devis"): what a member will be reimbursed for planned care, estimated by the engine."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mutua.core.workflow import Workflow


class Quote(models.Model):
    class Kind(models.TextChoices):
        OPTICAL = "optical", _("Optical")
        DENTAL = "dental", _("Dental")
        HEARING = "hearing", _("Hearing aids")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        ESTIMATED = "estimated", _("Estimated")
        REVIEW_REQUESTED = "review_requested", _("Being checked by the management unit")
        REVIEWED = "reviewed", _("Checked by the management unit")
        CLAIMED = "claimed", _("Turned into a claim")

    WORKFLOW = Workflow(
        transitions={
            Status.ESTIMATED: frozenset({Status.REVIEW_REQUESTED, Status.CLAIMED}),
            Status.REVIEW_REQUESTED: frozenset({Status.REVIEWED}),
            Status.REVIEWED: frozenset({Status.REVIEW_REQUESTED, Status.CLAIMED}),
        }
    )

    member = models.ForeignKey("contracts.Member", on_delete=models.PROTECT, related_name="quotes")
    # Empty: the subscriber themself; otherwise one of the household's beneficiaries.
    beneficiary = models.ForeignKey(
        "contracts.Beneficiary", on_delete=models.PROTECT, null=True, blank=True, related_name="quotes"
    )
    name = models.CharField(_("name of the quote"), max_length=100)
    kind = models.CharField(_("kind of quote"), max_length=20, choices=Kind.choices)
    provider = models.CharField(_("health professional or shop"), max_length=200)
    planned_date = models.DateField(_("planned date of the care"))
    document = models.ForeignKey(
        "documents.Document", on_delete=models.SET_NULL, null=True, blank=True, related_name="quotes"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ESTIMATED)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    # The estimate: when, with which plan version and tiers, and the totals (euros).
    estimated_at = models.DateTimeField(_("estimated on"), null=True, blank=True)
    plan_code = models.CharField(max_length=60, blank=True)
    plan_version_from = models.DateField(null=True, blank=True)  # the contract's plan version in force
    tiers = models.JSONField(default=list, blank=True)
    total_amount = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    total_am = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    total_plan = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    total_out_of_pocket = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    # What the member would save, for the same prices, with providers of the partner network.
    network_saving = models.DecimalField(max_digits=10, decimal_places=2, default=0)

    review_question = models.TextField(_("question for the management unit"), blank=True)
    review_requested_at = models.DateTimeField(null=True, blank=True)
    advice = models.TextField(_("advice of the management unit"), blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    claim = models.OneToOneField(
        "benefits.Claim", on_delete=models.SET_NULL, null=True, blank=True, related_name="quote"
    )

    class Meta:
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.pk} {self.name}"


class EstimatedLine(models.Model):
    """A line of planned care with the engine's estimate for it (a quote's, a hospital guarantee's)."""

    position = models.PositiveSmallIntegerField(default=0)
    benefit_code = models.CharField(_("care"), max_length=60)
    label = models.CharField(_("act or equipment as written on the quote"), max_length=200, blank=True)
    amount = models.DecimalField(_("amount quoted"), max_digits=10, decimal_places=2)
    br = models.DecimalField(_("reimbursement base (BR)"), max_digits=10, decimal_places=2, null=True, blank=True)
    quantity = models.PositiveSmallIntegerField(_("quantity"), default=1)
    flags = models.JSONField(default=list, blank=True)
    attributes = models.JSONField(default=dict, blank=True)

    am_paid = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    tiers_paid = models.JSONField(default=dict, blank=True)  # {"base": "7.50", "surco": "0.00"}
    paid_total = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    out_of_pocket = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    explanation = models.JSONField(default=dict, blank=True)  # {"fr": [...], "en": [...]}
    rules = models.JSONField(default=list, blank=True)  # the plan rules applied, e.g. "optical.equipment/base#4"
    network_saving = models.DecimalField(max_digits=10, decimal_places=2, default=0)

    class Meta:
        abstract = True
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.benefit_code} {self.amount}"


class QuoteLine(EstimatedLine):
    """One act or piece of equipment of the quote, with the engine's estimate for it."""

    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="lines")
    # Teeth are numbered (FDI, 11 to 48) on dental quotes; the plan's rules do not depend on it.
    tooth = models.CharField(_("tooth"), max_length=2, blank=True)

    class Meta(EstimatedLine.Meta):
        verbose_name = _("quote line")
        verbose_name_plural = _("quote lines")
