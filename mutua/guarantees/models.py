"""Hospital guarantees of payment ("prises en charge", seeds 000 and 001): the member never
advances hospital costs; the hospital is paid directly within the guarantee."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mutua.core.workflow import Workflow
from mutua.quotes.models import EstimatedLine


class Guarantee(models.Model):
    class Kind(models.TextChoices):
        PLANNED = "planned", _("Planned stay")
        EMERGENCY = "emergency", _("Emergency admission")

    class StayKind(models.TextChoices):
        SURGICAL = "surgical", _("Surgical")
        MEDICAL = "medical", _("Medical")
        PSYCHIATRIC = "psychiatric", _("Psychiatric")
        MATERNITY = "maternity", _("Maternity")

    class Form(models.TextChoices):
        """What the hospital holds (seed 000)."""

        CARD = "card", _("Member card: the first 2 days")
        TEMPORARY_LETTER = "temporary_letter", _("Temporary letter of guarantee")
        GUARANTEE_OF_PAYMENT = "guarantee_of_payment", _("Guarantee of payment")

    class Channel(models.TextChoices):
        PORTAL = "portal", _("member space")
        API = "api", _("member application")
        PROVIDER = "provider", _("hospital space")
        BACKOFFICE = "backoffice", _("management unit, by telephone or e-mail")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        NEGOTIATING = "negotiating", _("Being arranged with the hospital")
        ISSUED = "issued", _("Issued")
        EXTENSION_REQUESTED = "extension_requested", _("Extension requested")
        REFUSED = "refused", _("Refused")
        SETTLED = "settled", _("Invoice received")
        EXPIRED = "expired", _("Closed without invoice")

    WORKFLOW = Workflow(
        transitions={
            Status.REQUESTED: frozenset({Status.ISSUED, Status.NEGOTIATING, Status.REFUSED}),
            Status.NEGOTIATING: frozenset({Status.ISSUED, Status.REFUSED}),
            Status.ISSUED: frozenset({Status.EXTENSION_REQUESTED, Status.SETTLED, Status.EXPIRED}),
            # The medical advisor's answer, granted or not, brings the guarantee back to "issued".
            Status.EXTENSION_REQUESTED: frozenset({Status.ISSUED}),
        }
    )
    OPEN = frozenset({Status.REQUESTED, Status.NEGOTIATING})  # waiting for the management unit

    reference = models.CharField(_("reference"), max_length=20, unique=True, null=True, blank=True)
    member = models.ForeignKey("contracts.Member", on_delete=models.PROTECT, related_name="guarantees")
    # Empty: the subscriber themself; otherwise one of the household's beneficiaries.
    beneficiary = models.ForeignKey(
        "contracts.Beneficiary", on_delete=models.PROTECT, null=True, blank=True, related_name="guarantees"
    )
    # Empty while the hospital named by the member is not on file yet (the handler attaches it).
    provider = models.ForeignKey(
        "providers.Provider", on_delete=models.PROTECT, null=True, blank=True, related_name="guarantees"
    )
    hospital_name = models.CharField(_("hospital"), max_length=200, blank=True)
    hospital_phone = models.CharField(_("hospital's telephone"), max_length=30, blank=True)
    kind = models.CharField(_("kind of request"), max_length=20, choices=Kind.choices)
    stay_kind = models.CharField(_("kind of stay"), max_length=20, choices=StayKind.choices)
    form = models.CharField(_("guarantee given"), max_length=30, choices=Form.choices)
    channel = models.CharField(_("asked through"), max_length=20, choices=Channel.choices)
    card_shown = models.BooleanField(_("member card shown at admission"), default=False)
    admission_date = models.DateField(_("admission date"))
    expected_discharge = models.DateField(_("expected discharge date"), null=True, blank=True)
    planned_acts = models.TextField(_("planned acts"), blank=True)
    # Someone who notified the emergency on the patient's behalf.
    notifier_name = models.CharField(_("notified by"), max_length=100, blank=True)
    notifier_phone = models.CharField(_("their telephone"), max_length=30, blank=True)

    status = models.CharField(_("status"), max_length=30, choices=Status.choices, default=Status.REQUESTED)
    requested_at = models.DateTimeField(_("requested at"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    deadline = models.DateTimeField(_("answer due by"))
    review_reasons = models.JSONField(default=list, blank=True)  # why it was not issued at once (codes)
    overdue_alerted_at = models.DateTimeField(null=True, blank=True)

    # The card guarantees the first days with no prior agreement, whatever happens to the request.
    card_cover_until = models.DateField(_("covered by the card until"), null=True, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    issued_by = models.ForeignKey(  # empty: issued automatically
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    refusal_reason = models.TextField(_("reason for the refusal"), blank=True)

    # The engine's estimate for the plan and the stay, as stated on the guarantee, in the plan's currency.
    estimated_at = models.DateTimeField(null=True, blank=True)
    plan_code = models.CharField(max_length=60, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    plan_version_from = models.DateField(null=True, blank=True)
    tiers = models.JSONField(default=list, blank=True)
    total_amount = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    total_am = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    total_plan = models.DecimalField(_("amount guaranteed"), max_digits=10, decimal_places=2, default=0)
    total_out_of_pocket = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    # The most the plan pays per day for the stay's per-day costs: [{"benefit_code", "per_day"}].
    day_limits = models.JSONField(default=list, blank=True)

    # Direct settlement: the hospital's invoice, adjudicated into a claim paid to the hospital.
    claim = models.OneToOneField(
        "benefits.Claim", on_delete=models.PROTECT, null=True, blank=True, related_name="guarantee"
    )
    invoice_number = models.CharField(_("invoice number"), max_length=40, blank=True)
    invoice = models.ForeignKey("documents.Document", on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("hospital guarantee")
        verbose_name_plural = _("hospital guarantees")
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self) -> str:
        return self.reference or f"guarantee {self.pk}"

    @property
    def was_issued(self) -> bool:
        """Issued once, whatever came next (extension, invoice, closing): there is a guarantee to download."""
        return self.issued_at is not None

    @property
    def hospital(self) -> str:
        return str(self.provider) if self.provider_id else self.hospital_name


class GuaranteeLine(EstimatedLine):
    """A cost of the stay (stay costs, fees, private room per day…) with what the plan guarantees."""

    guarantee = models.ForeignKey(Guarantee, on_delete=models.CASCADE, related_name="lines")

    class Meta(EstimatedLine.Meta):
        verbose_name = _("guaranteed cost")
        verbose_name_plural = _("guaranteed costs")


class Negotiation(models.Model):
    """A contact with a hospital outside the network to arrange direct settlement (seed 000)."""

    class Outcome(models.TextChoices):
        AGREED = "agreed", _("Agrees to direct settlement")
        PENDING = "pending", _("To be called back")
        DECLINED = "declined", _("Declines direct settlement")

    guarantee = models.ForeignKey(Guarantee, on_delete=models.CASCADE, related_name="negotiations")
    contact = models.CharField(_("person contacted and how"), max_length=200)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    terms = models.TextField(_("terms agreed"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("negotiation with the hospital")
        verbose_name_plural = _("negotiations with the hospital")
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.guarantee} {self.outcome}"


class MedicalReport(models.Model):
    """A medical report sent by the hospital: encrypted at rest, read by the medical advisor only."""

    guarantee = models.ForeignKey(Guarantee, on_delete=models.CASCADE, related_name="medical_reports")
    content = models.BinaryField()  # encrypted (core.crypto.encrypt_bytes)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("medical report")
        verbose_name_plural = _("medical reports")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return f"report {self.pk}"


class Extension(models.Model):
    """The hospital's request to guarantee days beyond the period, decided by the medical advisor."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Waiting for the medical advisor")
        GRANTED = "granted", _("Granted")
        REFUSED = "refused", _("Refused")

    guarantee = models.ForeignKey(Guarantee, on_delete=models.CASCADE, related_name="extensions")
    report = models.ForeignKey(MedicalReport, on_delete=models.PROTECT, related_name="+")
    requested_until = models.DateField(_("days asked until"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices, default=Decision.PENDING)
    granted_until = models.DateField(_("granted until"), null=True, blank=True)
    # Shown to the hospital and the member: never medical details.
    answer = models.TextField(_("answer to the hospital"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        ordering = ["requested_at", "pk"]

    def __str__(self) -> str:
        return f"{self.guarantee} → {self.requested_until}"
