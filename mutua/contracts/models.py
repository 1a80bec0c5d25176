"""Who is covered, under which contract and plan, from when until when.

The rules that decide eligibility and dates are pure functions in ``rules.py``; these
models keep the facts those rules need, dated where they change over time.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from mutua.core.fields import CountryField, EncryptedTextField
from mutua.core.workflow import Workflow


class Insurer(models.Model):
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("insurer")
        verbose_name_plural = _("insurers")

    def __str__(self) -> str:
        return self.name


class ManagementUnit(models.Model):
    """The team ("unité de gestion") that manages members' files and answers them."""

    name = models.CharField(_("name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=40)
    email = models.EmailField(_("e-mail"))
    postal_address = models.TextField(_("postal address"))
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("management unit")
        verbose_name_plural = _("management units")

    def __str__(self) -> str:
        return self.name


class Employer(models.Model):
    name = models.CharField(_("name"), max_length=200)
    siren = models.CharField(_("SIREN"), max_length=9, blank=True)
    hr_email = models.EmailField(_("HR e-mail"), blank=True)

    class Meta:
        verbose_name = _("employer")
        verbose_name_plural = _("employers")

    def __str__(self) -> str:
        return self.name


class GroupContract(models.Model):
    """The contract an employer signed with an insurer for its staff."""

    number = models.CharField(_("contract number"), max_length=40, unique=True)
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="contracts")
    insurer = models.ForeignKey(Insurer, on_delete=models.PROTECT, related_name="contracts")
    management_unit = models.ForeignKey(ManagementUnit, on_delete=models.PROTECT, related_name="contracts")
    start_date = models.DateField(_("effective date"))
    termination_date = models.DateField(_("termination date"), null=True, blank=True)

    class Meta:
        verbose_name = _("group contract")
        verbose_name_plural = _("group contracts")

    def __str__(self) -> str:
        return f"{self.number} — {self.employer}"


class ContractPlan(models.Model):
    """Which plan of the engine (and which of its tiers) the contract gives, over which dates."""

    contract = models.ForeignKey(GroupContract, on_delete=models.CASCADE, related_name="plans")
    plan_code = models.CharField(_("plan"), max_length=60)
    tiers = models.JSONField(_("tiers"), help_text=_("Tier codes of the plan, in the order they pay."))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        verbose_name = _("contract plan version")
        verbose_name_plural = _("contract plan versions")
        ordering = ["valid_from"]

    def __str__(self) -> str:
        return f"{self.plan_code} {self.valid_from}"

    def clean(self) -> None:
        from engine import get_plan

        try:
            plan = get_plan(self.plan_code)
        except KeyError as error:
            raise ValidationError({"plan_code": _("No plan has this code.")}) from error
        known = [tier.code for tier in plan.tiers]
        if not isinstance(self.tiers, list) or not self.tiers or any(tier not in known for tier in self.tiers):
            raise ValidationError({"tiers": _("Choose tiers among: %(tiers)s.") % {"tiers": ", ".join(known)}})
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The end cannot be before the start.")})


class CoverEndReason(models.TextChoices):
    CONTRACT_TERMINATED = "contract_terminated", _("the group contract ended")
    EMPLOYMENT_SUSPENDED = "employment_suspended", _("the employment contract was suspended")
    LEFT_CATEGORY = "left_category", _("left the insured staff category")
    PORTABILITY_ENDED = "portability_ended", _("the portability period ended")
    RETIREMENT = "retirement", _("retirement")


class Teletransmission(models.TextChoices):
    """Whether the AM sends this person's statements to us directly (seed 001, "La télétransmission")."""

    PENDING = "pending", _("being set up")
    ACTIVE = "active", _("active")
    STOPPED = "stopped", _("stopped")


TELETRANSMISSION_WORKFLOW = Workflow(
    transitions={
        Teletransmission.PENDING: frozenset({Teletransmission.ACTIVE, Teletransmission.STOPPED}),
        Teletransmission.ACTIVE: frozenset({Teletransmission.STOPPED}),
        Teletransmission.STOPPED: frozenset({Teletransmission.PENDING, Teletransmission.ACTIVE}),
    },
    field="teletransmission",
)


class Member(models.Model):
    """The affiliation of a subscriber ("affilié"): the household's file.

    The record exists before any online account: the member number is printed on the
    member card, and the birth date and e-mail on file are what the member proves to open
    their account. The household's other people are ``Beneficiary`` rows.
    """

    member_number = models.CharField(_("member number"), max_length=20, unique=True)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    birth_date = models.DateField(_("birth date"))
    nir = EncryptedTextField(_("social security number"), blank=True)
    nir_digest = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    email = models.EmailField(_("e-mail on file"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    postal_address = models.TextField(_("postal address"), blank=True)
    iban = EncryptedTextField(_("IBAN"), blank=True)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    # The currency the bank account is held in (ISO 4217); empty: the plan's. Reimbursements are computed in
    # the plan's currency and converted once into this one when they are owed (mutua.payments).
    account_currency = models.CharField(_("currency of the account"), max_length=3, blank=True)
    management_unit = models.ForeignKey(
        ManagementUnit, on_delete=models.PROTECT, related_name="members", verbose_name=_("management unit")
    )
    preferred_language = models.CharField(_("preferred language"), max_length=8, default="fr")
    # Where an international plan's staff member works: its zone rules read it (the household's
    # beneficiaries share it).
    duty_station = CountryField(_("duty station"), blank=True)
    teletransmission = models.CharField(
        _("teletransmission"), max_length=10, choices=Teletransmission.choices, default=Teletransmission.PENDING
    )

    contract = models.ForeignKey(GroupContract, on_delete=models.PROTECT, related_name="members", null=True, blank=True)
    hire_date = models.DateField(_("hiring date"), null=True, blank=True)
    affiliation_received_on = models.DateField(_("affiliation request received on"), null=True, blank=True)
    previously_exempt = models.BooleanField(_("previously exempt from affiliation"), default=False)
    cover_start = models.DateField(_("cover start"), null=True, blank=True)
    cover_end = models.DateField(_("cover end"), null=True, blank=True)
    cover_end_reason = models.CharField(
        _("reason the cover ends"), max_length=30, choices=CoverEndReason.choices, blank=True
    )

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")

    def __str__(self) -> str:
        return f"{self.member_number} {self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Relationship(models.TextChoices):
    SPOUSE = "spouse", _("spouse")
    PACS_PARTNER = "pacs_partner", _("PACS partner")
    COHABITANT = "cohabitant", _("cohabitant")
    CHILD = "child", _("child")
    PARTNER_CHILD = "partner_child", _("child of the spouse or partner")
    ASCENDANT = "ascendant", _("dependent ascendant")


class Beneficiary(models.Model):
    """A person of the household other than the subscriber ("ayant droit")."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="beneficiaries")
    relationship = models.CharField(_("relationship"), max_length=20, choices=Relationship.choices)
    rank = models.PositiveSmallIntegerField(_("rank"))
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    birth_date = models.DateField(_("birth date"))
    nir = EncryptedTextField(_("social security number"), blank=True)
    nir_digest = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    teletransmission = models.CharField(
        _("teletransmission"), max_length=10, choices=Teletransmission.choices, default=Teletransmission.PENDING
    )

    # Facts the eligibility rules read (seed 001, "Sont bénéficiaires de la garantie").
    lives_in_household = models.BooleanField(_("lives in the household"), default=True)
    has_income = models.BooleanField(_("has an income from work or a replacement income"), default=False)
    household_taxable = models.BooleanField(_("the couple's tax household pays income tax"), default=True)
    tax_dependent = models.BooleanField(_("dependent for tax purposes"), default=False)
    disabled_before_28 = models.BooleanField(_("disability recognised before 28, unable to work"), default=False)

    # Optional paid covers ("conjoint non à charge", "enfant majeur"): at least one year,
    # and leaving them is final unless the family situation changes.
    optional_cover_from = models.DateField(_("optional cover from"), null=True, blank=True)
    optional_cover_until = models.DateField(_("optional cover until"), null=True, blank=True)

    cover_start = models.DateField(_("cover start"))
    removed_on = models.DateField(_("removed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("beneficiary")
        verbose_name_plural = _("beneficiaries")
        ordering = ["rank"]
        constraints = [models.UniqueConstraint(fields=["member", "rank"], name="one_rank_per_household")]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class SituationKind(models.TextChoices):
    STUDIES = "studies", _("studies")
    PAID_GAP_YEAR = "paid_gap_year", _("paid gap year")
    JOB_SEEKER = "job_seeker", _("registered job seeker")
    APPRENTICESHIP = "apprenticeship", _("apprenticeship or work-study")
    CIVIC_SERVICE = "civic_service", _("civic service")


class BeneficiarySituation(models.Model):
    """A dated situation that keeps an adult child covered (studies from … to …)."""

    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.CASCADE, related_name="situations")
    kind = models.CharField(_("situation"), max_length=20, choices=SituationKind.choices)
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("situation")
        verbose_name_plural = _("situations")
        ordering = ["valid_from"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.valid_from}–{self.valid_to or '…'}"


class ChangeRequest(models.Model):
    """A member's request to change the household file, decided by a handler."""

    class Kind(models.TextChoices):
        MARRIAGE = "marriage", _("marriage")
        PACS = "pacs", _("PACS")
        PARTNERSHIP = "partnership", _("registered partnership")  # under any law (a PACS is France's)
        COHABITATION = "cohabitation", _("cohabitation")
        BIRTH = "birth", _("birth")
        ADOPTION = "adoption", _("adoption")
        DIVORCE = "divorce", _("divorce or separation")
        DEATH = "death", _("death of a beneficiary")
        ADDRESS = "address", _("change of address")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        ACCEPTED = "accepted", _("accepted")
        REFUSED = "refused", _("refused")

    WORKFLOW = Workflow(
        transitions={Status.SUBMITTED: frozenset({Status.ACCEPTED, Status.REFUSED})},
    )

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="change_requests")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    event_date = models.DateField(_("date of the event"))
    received_on = models.DateField(_("received on"))
    effective_date = models.DateField(_("effective date"))
    details = models.JSONField(_("details"), default=dict)
    documents = models.ManyToManyField("documents.Document", blank=True, related_name="change_requests")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.event_date}"
