"""Death and disability capital (seed 000): who the member designates, and the claims that pay it.

The amounts come from the engine (``engine.capital``) and the plan's ``capital`` section, never from
a person; the medical facts they rest on are recorded by the medical advisor alone.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mutua.core.fields import EncryptedTextField
from mutua.core.workflow import Workflow


class CapitalDesignation(models.Model):
    """One version of who the member designated to receive the death capital.

    A change is a new version, never an edit: the version in force on the day of the death is the
    one that counts, and the earlier ones stay as history. A version without designees means the
    member chose the legal order (``mutua.capital.legal_order``).
    """

    member = models.ForeignKey("contracts.Member", on_delete=models.CASCADE, related_name="capital_designations")
    created_at = models.DateTimeField(_("recorded on"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("designation of beneficiaries")
        verbose_name_plural = _("designations of beneficiaries")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.member_id} {self.created_at:%Y-%m-%d}"


class Relationship(models.TextChoices):
    SELF = "self", _("the member")  # a disability capital, paid to the member
    SPOUSE = "spouse", _("spouse or partner")
    CHILD = "child", _("child")
    PARENT = "parent", _("parent")
    SIBLING = "sibling", _("brother or sister")
    OTHER = "other", _("other person")


class Designee(models.Model):
    """A person designated to receive a share of the death capital, with how to reach and pay them."""

    designation = models.ForeignKey(CapitalDesignation, on_delete=models.CASCADE, related_name="designees")
    position = models.PositiveSmallIntegerField()
    full_name = models.CharField(_("full name"), max_length=140)
    relationship = models.CharField(_("relationship"), max_length=20, choices=Relationship.choices)
    birth_date = models.DateField(_("birth date"))
    contact = models.CharField(_("address, e-mail or phone"), max_length=300)
    share = models.DecimalField(_("share (%)"), max_digits=5, decimal_places=2)
    iban = EncryptedTextField(_("IBAN"), blank=True)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)

    class Meta:
        verbose_name = _("designated beneficiary")
        verbose_name_plural = _("designated beneficiaries")
        ordering = ["position"]

    def __str__(self) -> str:
        return self.full_name


class CapitalClaim(models.Model):
    class Kind(models.TextChoices):
        DEATH = "death", _("Death")
        DISABILITY = "disability", _("Disability")

    class Status(models.TextChoices):
        RECEIVED = "received", pgettext_lazy("status of a claim", "Received")
        DOCUMENTS_COMPLETE = "documents_complete", _("Documents complete")
        MEDICAL_DECIDED = "medical_decided", _("Medical decision recorded")
        COMPUTED = "computed", _("Amounts computed")
        APPROVED = "approved", _("Approved, payment in progress")
        PAID = "paid", _("Paid")
        REFUSED = "refused", _("Refused")

    WORKFLOW = Workflow(
        transitions={
            Status.RECEIVED: frozenset({Status.DOCUMENTS_COMPLETE, Status.REFUSED}),
            Status.DOCUMENTS_COMPLETE: frozenset({Status.MEDICAL_DECIDED, Status.REFUSED}),
            Status.MEDICAL_DECIDED: frozenset({Status.COMPUTED, Status.REFUSED}),
            # The handler may compute again (a repatriation invoice corrected) before approving.
            Status.COMPUTED: frozenset({Status.COMPUTED, Status.APPROVED, Status.REFUSED}),
            Status.APPROVED: frozenset({Status.PAID}),
        }
    )

    class Cause(models.TextChoices):
        NATURAL = "natural", _("Natural causes")
        ACCIDENTAL = "accidental", _("Accident")

    member = models.ForeignKey("contracts.Member", on_delete=models.PROTECT, related_name="capital_claims")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    plan_code = models.CharField(_("plan"), max_length=60)
    event_date = models.DateField(_("date of the death or of the disability"))
    # Who declares: a relative or beneficiary (a death), or the member (a disability).
    declarant_name = models.CharField(_("declared by"), max_length=140)
    declarant_relationship = models.CharField(_("relationship to the member"), max_length=100, blank=True)
    declarant_contact = models.CharField(_("how to reach them"), max_length=300)
    # Where the declarant is told how the claim moves: the e-mail address their contact gave, if any, and
    # the language they declared in (the page's, or the one the handler chose for a letter).
    declarant_email = models.EmailField(_("declarant's e-mail"), blank=True)
    declarant_language = models.CharField(_("declarant's language"), max_length=8, blank=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    # The medical advisor's decision.
    cause = models.CharField(_("cause of death"), max_length=20, choices=Cause.choices, blank=True)
    death_date = models.DateField(_("date of death"), null=True, blank=True)
    disability_degree = models.DecimalField(
        _("degree of disability (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    medical_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    # The engine's amounts, in the plan's currency, and its explanation (message keys and parameters).
    repatriation_cost = models.DecimalField(
        _("repatriation costs incurred"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    capital = models.DecimalField(_("capital"), max_digits=12, decimal_places=2, null=True, blank=True)
    repatriation = models.DecimalField(_("repatriation"), max_digits=12, decimal_places=2, null=True, blank=True)
    total = models.DecimalField(_("total"), max_digits=12, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    explanation = models.JSONField(default=list, blank=True)
    refusal_reason = models.TextField(_("reason for the refusal"), blank=True)

    class Meta:
        verbose_name = _("capital claim")
        verbose_name_plural = _("capital claims")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.member_id} ({self.pk})"


class ClaimDocument(models.Model):
    """A document of a capital claim, stored through the document pipeline (``mutua.documents``).

    Medical ones (the certificate stating the cause, the medical report) are stored as medical
    documents: only the medical advisor reads them.
    """

    class Role(models.TextChoices):
        DEATH_CERTIFICATE = "death_certificate", _("Death certificate")
        CAUSE_CERTIFICATE = "cause_certificate", _("Medical certificate stating the cause of death")
        MEDICAL_REPORT = "medical_report", _("Medical report on the disability")
        REPATRIATION_INVOICE = "repatriation_invoice", _("Invoice for the repatriation of the body")
        OTHER = "other", _("Other document")

    claim = models.ForeignKey(CapitalClaim, on_delete=models.CASCADE, related_name="documents")
    document = models.OneToOneField("documents.Document", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("document"), max_length=30, choices=Role.choices)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.get_role_display()


class ClaimShare(models.Model):
    """What one beneficiary receives of an approved claim, and the payable that pays it."""

    claim = models.ForeignKey(CapitalClaim, on_delete=models.CASCADE, related_name="shares")
    position = models.PositiveSmallIntegerField()
    full_name = models.CharField(_("full name"), max_length=140)
    relationship = models.CharField(_("relationship"), max_length=20, choices=Relationship.choices)
    share = models.DecimalField(_("share (%)"), max_digits=5, decimal_places=2)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    iban = EncryptedTextField(_("IBAN"), blank=True)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    payable = models.OneToOneField(
        "payments.Payable", on_delete=models.PROTECT, null=True, blank=True, related_name="capital_share"
    )

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.full_name} {self.share} %"


class ClaimHeir(models.Model):
    """An heir of a death claim keyed in by a handler from the succession documents, when the member
    designated nobody and the household file names nobody in the legal order. The claim's shares are
    made from them as from designated beneficiaries."""

    claim = models.ForeignKey(CapitalClaim, on_delete=models.CASCADE, related_name="heirs")
    position = models.PositiveSmallIntegerField()
    full_name = models.CharField(_("full name"), max_length=140)
    share = models.DecimalField(_("share (%)"), max_digits=5, decimal_places=2)
    iban = EncryptedTextField(_("IBAN"), blank=True)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    recorded_at = models.DateTimeField(_("recorded on"), auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("heir")
        verbose_name_plural = _("heirs")
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.full_name} {self.share} %"
