"""A notification: what Mutua tells a person, kept as a row whatever the mail server does (HackSoft's e-mail as a
row). The member reads it in their space's inbox; the e-mail, when there is an address, is sent from the row by the
worker, and its status (sent, failed, not e-mailed) is there for anyone who must know whether it left."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from mutua.core.workflow import Workflow


class Notification(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("to be e-mailed")
        SENT = "sent", _("e-mailed")
        FAILED = "failed", _("e-mail failed")
        NOT_EMAILED = "not_emailed", _("not e-mailed (no address)")

    WORKFLOW = Workflow(
        transitions={
            Status.QUEUED: frozenset({Status.SENT, Status.FAILED}),
            Status.FAILED: frozenset({Status.SENT, Status.FAILED}),  # the worker tries again
        }
    )

    # Whose inbox it is in: a member's (their household's space), or nobody's (a sender without a space: the
    # declarant of a death, someone who cannot sign in, the management unit's own address).
    member = models.ForeignKey(
        "contracts.Member", on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    to = models.EmailField(_("e-mail address"), blank=True)
    template = models.CharField(max_length=120)
    context = models.JSONField(default=dict)  # what the template needs, JSON: the e-mail is rendered from it
    language = models.CharField(_("language"), max_length=8)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("message"))
    link = models.CharField(_("link"), max_length=300, blank=True)  # the page in the space it is about
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(_("last error"), max_length=300, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["member", "read_at"]), models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.template} → {self.to or self.member_id}"

    @property
    def unread(self) -> bool:
        return self.read_at is None
