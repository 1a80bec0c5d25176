from django.db import models
from django.utils.translation import gettext_lazy as _


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


class Member(models.Model):
    """An insured subscriber ("affilié") as the affiliation file knows them.

    The record exists before any online account: the member number is printed on the
    member card, and the birth date and e-mail on file are what the member proves to
    open their account.
    """

    member_number = models.CharField(_("member number"), max_length=20, unique=True)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    birth_date = models.DateField(_("birth date"))
    email = models.EmailField(_("e-mail on file"))
    management_unit = models.ForeignKey(
        ManagementUnit, on_delete=models.PROTECT, related_name="members", verbose_name=_("management unit")
    )
    preferred_language = models.CharField(_("preferred language"), max_length=8, default="fr")

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")

    def __str__(self) -> str:
        return f"{self.member_number} {self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"
