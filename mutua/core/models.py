from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class StatusChange(models.Model):
    """One row per status change of any workflow object: who, when, from, to and why."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64)
    subject = GenericForeignKey("content_type", "object_id")
    from_status = models.CharField(_("from"), max_length=40)
    to_status = models.CharField(_("to"), max_length=40)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["changed_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.content_type} {self.object_id}: {self.from_status} → {self.to_status}"

    def _label(self, value: str) -> str:
        model = self.content_type.model_class()
        workflow = getattr(model, "WORKFLOW", None)
        if model is None or workflow is None:
            return value
        return str(dict(model._meta.get_field(workflow.field).flatchoices).get(value, value))

    @property
    def from_label(self) -> str:
        return self._label(self.from_status)

    @property
    def to_label(self) -> str:
        return self._label(self.to_status)


class SecurityEvent(models.Model):
    """A security-relevant action by staff that changes no workflow status (lifting a lockout…)."""

    class Action(models.TextChoices):
        LOCKOUT_LIFTED = "lockout_lifted", _("lockout lifted")
        CLAIMS_SUSPENSION_LIFTED = "claims_suspension_lifted", _("online claims suspension lifted")
        MEDICAL_REPORT_READ = "medical_report_read", _("medical report read")
        MEDICAL_CONVERSATION_READ = "medical_conversation_read", _("medical conversation read")

    action = models.CharField(_("action"), max_length=30, choices=Action.choices)
    target = models.CharField(_("target"), max_length=200)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("security event")
        verbose_name_plural = _("security events")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target}"


class QuotaCounter(models.Model):
    """Uses of one allowance (``mutua.core.quotas``) in the window that ends at ``window_end``.

    Only used without Redis: the database is then the one store every web process shares.
    """

    key = models.CharField(max_length=300, primary_key=True)
    count = models.PositiveIntegerField()
    window_end = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key}: {self.count} until {self.window_end:%Y-%m-%d %H:%M:%S}"
