"""The online claims service's own records (the claims and their items are the benefits layer's)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ClaimsSuspension(models.Model):
    """Online claims suspended after repeated illegible or altered documents (seed 002, article 5)."""

    member = models.ForeignKey("contracts.Member", on_delete=models.CASCADE, related_name="claims_suspensions")
    since = models.DateTimeField(_("since"))
    reason = models.TextField(_("reason"))
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("claims suspension")
        verbose_name_plural = _("claims suspensions")
        ordering = ["-since"]

    def __str__(self) -> str:
        return f"{self.member} {self.since:%Y-%m-%d}"
