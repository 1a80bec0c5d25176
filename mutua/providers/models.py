"""Hospitals and clinics: who asks for guarantees of payment and is paid directly (seed 000)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from mutua.core.fields import EncryptedTextField


class Provider(models.Model):
    class Kind(models.TextChoices):
        HOSPITAL = "hospital", _("Public hospital")
        CLINIC = "clinic", _("Private clinic")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # FINESS: the French register of health establishments (9 characters); empty abroad.
    finess = models.CharField(_("FINESS number"), max_length=9, blank=True)
    country = models.CharField(_("country"), max_length=2, default="FR")  # ISO 3166-1 alpha-2
    city = models.CharField(_("city"), max_length=100)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("telephone"), max_length=30)
    email = models.EmailField(_("e-mail for guarantees"))
    # Network hospitals get their guarantee of payment within 2 hours; others are negotiated first.
    in_network = models.BooleanField(_("in the Mutua network"), default=False)
    # Agreed with the Assurance Maladie ("conventionné"): the plan pays stays differently otherwise.
    conventionne = models.BooleanField(_("agreed with the Assurance Maladie"), default=True)
    iban = EncryptedTextField(_("IBAN"), blank=True)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("hospital or clinic")
        verbose_name_plural = _("hospitals and clinics")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["finess"], condition=~models.Q(finess=""), name="provider_finess_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.city})"

    @property
    def language(self) -> str:
        """What the hospital's e-mails are written in: French in France, English elsewhere."""
        return "fr" if self.country == "FR" else "en"
