from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MEMBER = "member", _("Member")
    CLAIMS_HANDLER = "claims_handler", _("Claims handler")
    MEDICAL_ADVISOR = "medical_advisor", _("Medical advisor")
    FINANCE = "finance", _("Finance")
    ADMINISTRATOR = "administrator", _("Administrator")
    PROVIDER = "provider", _("Hospital or clinic staff")


# Staff work in the back office; members and providers' staff each have their own space.
STAFF_ROLES = frozenset(Role) - {Role.MEMBER, Role.PROVIDER}
# Who reaches what in the back office, in one place.
MANAGEMENT_UNIT_ROLES = frozenset({Role.CLAIMS_HANDLER, Role.ADMINISTRATOR})  # decide, answer, import, unlock
MEMBER_FILE_ROLES = MANAGEMENT_UNIT_ROLES | {Role.MEDICAL_ADVISOR}  # read households and claims
FINANCE_ROLES = frozenset({Role.FINANCE, Role.ADMINISTRATOR})


class User(AbstractUser):
    """Anyone who signs in. Members sign in with their member number as username.

    Each person holds exactly one role: the back office is split by role (a medical advisor
    reads what a claims handler may not), so a person never carries two.
    """

    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    member = models.OneToOneField(
        "contracts.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="account",
        verbose_name=_("member"),
    )
    provider = models.ForeignKey(
        "providers.Provider",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("hospital or clinic"),
    )
    language = models.CharField(_("language"), max_length=8, blank=True)
    # Part of the session hash: raising it signs the user out of every session at once.
    session_generation = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(role="member", member__isnull=False)
                    | (~models.Q(role="member") & models.Q(member__isnull=True))
                ),
                name="member_account_has_member_record",
            ),
            models.CheckConstraint(
                condition=models.Q(role="provider", provider__isnull=False)
                | (~models.Q(role="provider") & models.Q(provider__isnull=True)),
                name="provider_account_has_provider",
            ),
        ]

    @property
    def is_member(self) -> bool:
        return self.role == Role.MEMBER

    @property
    def is_staff_member(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def is_provider_staff(self) -> bool:
        return self.role == Role.PROVIDER

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        return salted_hmac(
            "mutua.accounts.User.session_auth_hash",
            f"{self.password}:{self.session_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()
