"""The medical advisor's prior approval of care in a restricted zone (seed 000): asked by the member or a
hospital with a medical report, decided by the medical advisor alone; an approved one is what a plan's
zone rule checks (its validity dates, its care and its country)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mutua.core.fields import CountryField
from mutua.core.workflow import Workflow


class PriorApproval(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Waiting for the medical advisor")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    class Reason(models.TextChoices):
        NO_TREATMENT_ELSEWHERE = "no_treatment_elsewhere", _("No adequate treatment can be found elsewhere")
        LIFE_THREATENING = "life_threatening", _("A life-threatening situation")

    class Channel(models.TextChoices):
        PORTAL = "portal", _("member space")
        API = "api", _("API")
        PROVIDER = "provider", _("hospital")

    WORKFLOW = Workflow(transitions={Status.REQUESTED: frozenset({Status.APPROVED, Status.REFUSED})})

    member = models.ForeignKey("contracts.Member", on_delete=models.PROTECT, related_name="prior_approvals")
    beneficiary = models.ForeignKey(
        "contracts.Beneficiary", on_delete=models.PROTECT, null=True, blank=True, related_name="prior_approvals"
    )
    plan_code = models.CharField(max_length=60)  # the plan whose sections name the care
    section = models.CharField(_("care"), max_length=60)  # a section of the plan ("inpatient"…)
    care_details = models.CharField(_("care asked for"), max_length=300)
    country = CountryField(_("country"))
    facility = models.CharField(_("hospital or practitioner"), max_length=200)
    planned_from = models.DateField(_("planned from"))
    planned_to = models.DateField(_("planned until"))
    reason = models.CharField(_("reason"), max_length=30, choices=Reason.choices)
    medical_report = models.ForeignKey(
        "documents.Document", on_delete=models.PROTECT, related_name="+", verbose_name=_("medical report")
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)

    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED)
    # The decision: what is approved may be narrower than what was asked (dates, care, country).
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    approved_section = models.CharField(_("approved care"), max_length=60, blank=True)
    approved_country = CountryField(_("approved country"), blank=True)
    refusal_reason = models.TextField(_("reason for the refusal"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("prior approval")
        verbose_name_plural = _("prior approvals")
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["member", "status"])]

    def __str__(self) -> str:
        return f"prior approval {self.pk}"
