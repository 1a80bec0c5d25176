"""Claims and their care items, as every channel makes them (online, AM file, hospital invoice), their
statements, and what decided care consumed of the plan's counters."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mutua.core.fields import CountryField
from mutua.core.workflow import Workflow


class CounterUsage(models.Model):
    """What decided care consumed of the plan's caps and counts (the engine's ``Usage`` rows)."""

    member = models.ForeignKey("contracts.Member", on_delete=models.CASCADE, related_name="counter_usages")
    counter = models.CharField(max_length=60)
    scope = models.CharField(max_length=30)
    slot = models.CharField(max_length=30, blank=True)
    on = models.DateField()
    amount = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    count = models.IntegerField(default=0)
    line_id = models.CharField(max_length=40, db_index=True)

    class Meta:
        db_table = "claims_counterusage"  # created by the claims app, before this layer existed
        indexes = [models.Index(fields=["member", "on"], name="claims_coun_member__632bc0_idx")]

    def __str__(self) -> str:
        return f"{self.counter} {self.scope} {self.on}"


class Claim(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_PROGRESS = "in_progress", _("In progress")
        VALIDATED = "validated", _("Validated")
        REJECTED = "rejected", _("Rejected")

    WORKFLOW = Workflow(
        transitions={
            Status.DRAFT: frozenset({Status.IN_PROGRESS}),
            Status.IN_PROGRESS: frozenset({Status.VALIDATED, Status.REJECTED}),
            # A person's review of an automatic decision (benefits.review) pays a claim refused whole, or refuses
            # the only item it paid.
            Status.VALIDATED: frozenset({Status.REJECTED}),
            Status.REJECTED: frozenset({Status.VALIDATED}),
        }
    )

    class Channel(models.TextChoices):
        ONLINE = "online", _("online claim")
        TELETRANSMISSION = "teletransmission", _("sent by the Assurance Maladie")
        HOSPITAL = "hospital", _("hospital invoice paid directly")

    member = models.ForeignKey("contracts.Member", on_delete=models.PROTECT, related_name="claims")
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, default=Channel.ONLINE)
    # Empty: the subscriber themself; otherwise one of the household's beneficiaries.
    beneficiary = models.ForeignKey(
        "contracts.Beneficiary", on_delete=models.PROTECT, null=True, blank=True, related_name="claims"
    )
    name = models.CharField(_("name of the request"), max_length=100)
    # What the claim came in with when it is not the member's own request: the AM file ("AM <file id>").
    source = models.CharField(_("source"), max_length=80, blank=True, db_index=True)
    # Direct settlement ("tiers payant"): the plan's share goes to this hospital, not to the member.
    paid_to = models.ForeignKey(
        "providers.Provider",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claims_paid",
        verbose_name=_("paid directly to"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    # The most the claim pays without a handler's written reason (a hospital invoice: what its
    # guarantee states); empty: no such limit.
    ceiling = models.DecimalField(
        _("paid without a handler's reason up to"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    terms_version = models.CharField(_("terms version"), max_length=20, blank=True)
    terms_accepted_at = models.DateTimeField(_("terms accepted at"), null=True, blank=True)
    terms_accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        db_table = "claims_claim"  # created by the claims app, before this layer existed
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.pk} {self.name}"

    @property
    def partly(self) -> bool:
        """Validated, but with some items refused ("Validated" wholly or partly, seed 002)."""
        return self.status == self.Status.VALIDATED and any(
            item.status == ClaimItem.Status.REJECTED for item in self.items.all()
        )

    @property
    def nothing_paid(self) -> bool:
        """Validated, and yet the plan pays nothing on it (care outside the zones covered, a limit reached)."""
        return self.status == self.Status.VALIDATED and not any(item.paid_total for item in self.items.all())


class RejectionReason(models.TextChoices):
    MISSING_DOCUMENT = "missing_document", _("a supporting document is missing")
    ILLEGIBLE = "illegible", _("the supporting document is illegible")
    ALTERED = "altered", _("the supporting document appears to have been altered")
    INAPPROPRIATE = "inappropriate", _("the supporting document does not match the care")
    RIGHTS_EXPIRED = "rights_expired", _("the person was not covered on the date of the care")
    DUPLICATE = "duplicate", _("this care has already been claimed")
    NOT_COVERED = "not_covered", _("this care is not covered by the plan")
    SUSPENDED = "suspended", _("online claims are suspended for this account")
    TIME_BARRED = "time_barred", _("the care is more than two years old: the claim is time-barred")
    OTHER = "other", _("other reason")


class ClaimItem(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("care item", "In progress")
        IN_REVIEW = "in_review", pgettext_lazy("care item", "In progress")  # the member sees the same word
        ACCEPTED = "accepted", pgettext_lazy("care item", "Validated")
        REJECTED = "rejected", pgettext_lazy("care item", "Rejected")

    WORKFLOW = Workflow(
        transitions={
            Status.PENDING: frozenset({Status.ACCEPTED, Status.REJECTED, Status.IN_REVIEW}),
            Status.IN_REVIEW: frozenset({Status.ACCEPTED, Status.REJECTED}),
            # A person reviews a decision the rules made alone, at the member's request (benefits.review).
            Status.ACCEPTED: frozenset({Status.REJECTED}),
            Status.REJECTED: frozenset({Status.ACCEPTED}),
        }
    )

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="items")
    benefit_code = models.CharField(_("care"), max_length=60)
    care_date = models.DateField(_("date of the care"))
    provider = models.CharField(_("health professional or establishment"), max_length=200)
    amount = models.DecimalField(_("amount paid"), max_digits=10, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    # Converted once into the plan's currency (mutua.benefits.money). Empty while no rate is known for the
    # currency paid: a handler enters one.
    plan_rate = models.DecimalField(
        _("exchange rate"), max_digits=24, decimal_places=12, default=1, null=True, blank=True
    )
    plan_amount = models.DecimalField(
        _("amount in the plan's currency"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    rate_on = models.DateField(_("date of the exchange rate"), null=True, blank=True)
    rate_source = models.CharField(_("source of the exchange rate"), max_length=120, blank=True)
    br = models.DecimalField(_("reimbursement base (BR)"), max_digits=10, decimal_places=2, null=True, blank=True)
    mr = models.DecimalField(_("paid by the Assurance Maladie"), max_digits=10, decimal_places=2, null=True, blank=True)
    # Already paid by another complementary insurer (its statement is among the documents).
    other_paid = models.DecimalField(
        _("paid by another complementary insurer"), max_digits=10, decimal_places=2, default=Decimal("0.00")
    )
    # The AM's rate when it is known (a teletransmitted line): the engine then uses it, not the plan's.
    am_rate = models.DecimalField(_("AM rate"), max_digits=5, decimal_places=4, null=True, blank=True)
    quantity = models.PositiveSmallIntegerField(_("quantity"), default=1)
    flags = models.JSONField(default=list, blank=True)
    attributes = models.JSONField(default=dict, blank=True)
    # Where the care was given and, there, what a plan's zone rules ask (seed 000): asked only under a
    # plan with restricted zones; "" when not asked.
    care_country = CountryField(_("country of the care"), blank=True)
    care_urgent = models.BooleanField(_("urgent, not planned care"), default=False)
    duty_travel = models.BooleanField(_("on duty travel"), default=False)
    documents = models.ManyToManyField("documents.Document", blank=True, related_name="claim_items")
    # Where a teletransmitted item comes from ("AM file F, line 12"); empty for an online claim.
    source_ref = models.CharField(_("source"), max_length=80, blank=True)
    # The same care reimbursed through another channel: never paid twice, shown to the handler.
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("same care as"),
    )

    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    review_reasons = models.JSONField(default=list, blank=True)  # why a handler must look (codes)
    rejection_reason = models.CharField(max_length=30, choices=RejectionReason.choices, blank=True)
    rejection_text = models.TextField(blank=True)

    # The engine's result for the decided amounts (euros).
    am_paid = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    tiers_paid = models.JSONField(default=dict, blank=True)  # {"base": "7.50", "surco": "0.00"}
    paid_total = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    out_of_pocket = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    explanation = models.JSONField(default=dict, blank=True)  # {"fr": [...], "en": [...]}
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        db_table = "claims_claimitem"
        verbose_name = _("care item")
        verbose_name_plural = _("care items")
        ordering = ["care_date", "pk"]

    def __str__(self) -> str:
        return f"{self.benefit_code} {self.care_date}"

    @property
    def nothing_paid(self) -> bool:
        """Accepted, and yet the plan pays nothing on it: the explanation says why."""
        return self.status == self.Status.ACCEPTED and not self.paid_total

    @property
    def converted(self) -> bool:
        """Paid in another currency than the plan's: the page shows both amounts and the rate."""
        return bool(self.rate_source)

    @property
    def awaiting_rate(self) -> bool:
        """Paid in a currency without a known rate: a handler converts it before anything is paid."""
        return self.plan_rate is None

    @property
    def line_id(self) -> str:
        return self.line_id_of(self.pk)

    @property
    def rejection_words(self) -> str:
        """Why it was refused, as the member reads it: for "other reason" the handler's own words alone
        (never "other reason — …"), otherwise the reason followed by what the handler added."""
        if self.rejection_reason == RejectionReason.OTHER and self.rejection_text:
            return self.rejection_text
        reason = str(self.get_rejection_reason_display()) if self.rejection_reason else ""
        if self.rejection_text:
            return f"{reason} — {self.rejection_text}" if reason else self.rejection_text
        return reason

    @staticmethod
    def line_id_of(pk: int) -> str:
        """The item's id for the engine, as its counter usages name it."""
        return f"item-{pk}"


class Statement(models.Model):
    """The reimbursement statement ("décompte") of a decided claim."""

    claim = models.OneToOneField(Claim, on_delete=models.PROTECT, related_name="statement")
    member = models.ForeignKey("contracts.Member", on_delete=models.PROTECT, related_name="statements")
    number = models.CharField(_("number"), max_length=30, unique=True)
    issued_at = models.DateTimeField(_("issued at"))
    total_paid = models.DecimalField(_("total reimbursed"), max_digits=12, decimal_places=2)
    # A person decided an item again (a review, the AM's own figures): the statement says so and adds up anew.
    revised_at = models.DateTimeField(_("revised at"), null=True, blank=True)

    class Meta:
        db_table = "claims_statement"
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return self.number
