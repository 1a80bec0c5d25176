"""Writes for accounts: opening a member account, passwords, sessions, staff users."""

from datetime import date

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from mutua.accounts.models import Role, User
from mutua.accounts.tokens import account_activation_token, password_reset_token
from mutua.contracts.models import Member
from mutua.contracts.selectors import member_get_by_number
from mutua.core.models import SecurityEvent
from mutua.core.quotas import quota_reset, quota_take
from mutua.notifications.services import notification_send
from mutua.providers.models import Provider


def _link(*, site_url: str, url_name: str, user: User, token: str) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return site_url.rstrip("/") + reverse(url_name, kwargs={"uidb64": uid, "token": token})


def _account_email_allowed(member: Member) -> bool:
    return quota_take(key=f"account-emails:{member.pk}", limit=settings.ACCOUNT_EMAILS_PER_HOUR, seconds=60 * 60)


def _member_matches(member: Member | None, *, birth_date: date, email: str) -> bool:
    return (
        member is not None
        and member.birth_date == birth_date
        and member.email.strip().casefold() == email.strip().casefold()
    )


def member_account_create(*, member: Member) -> User:
    """The member's login, without a password until they choose one through the e-mailed link."""
    user = User(
        username=member.member_number,
        role=Role.MEMBER,
        member=member,
        email=member.email,
        first_name=member.first_name,
        last_name=member.last_name,
        language=member.preferred_language,
    )
    user.set_unusable_password()
    user.save()
    return user


@transaction.atomic
def account_activation_request(*, member_number: str, birth_date: date, email: str, site_url: str) -> None:
    """First time logging on: e-mail a single-use link to set the password.

    Deliberately returns nothing: whether the member number exists and the details match
    must not show in the answer. Nothing is sent when they do not match.
    """
    member = member_get_by_number(member_number=member_number)
    if not _member_matches(member, birth_date=birth_date, email=email):
        return
    assert member is not None
    if not _account_email_allowed(member):
        return
    user = User.objects.filter(member=member).first()
    context = {"first_name": member.first_name, "member_number": member.member_number}
    if user is not None and user.has_usable_password():
        # The account is already open: say so, and offer a reset instead of a second account.
        context["link"] = _link(
            site_url=site_url,
            url_name="accounts:password_reset_confirm",
            user=user,
            token=password_reset_token.make_token(user),
        )
        template = "accounts/email/account_exists"
    else:
        if user is None:
            user = member_account_create(member=member)
        context["link"] = _link(
            site_url=site_url,
            url_name="accounts:activate",
            user=user,
            token=account_activation_token.make_token(user),
        )
        template = "accounts/email/activation"
    # A sign-in link is a key to the account: e-mailed, never kept on the row.
    notification_send(
        to=member.email, template=template, context=context, language=user.language or "fr", confidential=True
    )


@transaction.atomic
def password_reset_request(*, member_number: str, site_url: str) -> None:
    """Forgotten password: e-mail a reset link to the address on file.

    Returns nothing whatever the member number, so the answer reveals nothing.
    """
    member = member_get_by_number(member_number=member_number)
    user = User.objects.filter(member=member, is_active=True).first() if member else None
    if user is None or not user.has_usable_password() or not _account_email_allowed(member):
        return
    link = _link(
        site_url=site_url,
        url_name="accounts:password_reset_confirm",
        user=user,
        token=password_reset_token.make_token(user),
    )
    notification_send(
        to=member.email,
        confidential=True,  # the reset link is a key to the account: e-mailed, never kept on the row
        template="accounts/email/password_reset",
        context={"first_name": member.first_name, "link": link},
        language=user.language or "fr",
    )


@transaction.atomic
def password_set(*, user: User, password: str) -> User:
    """Set a new password and end every session the user had open.

    Raises ``ValidationError`` (translated) when the password is too weak.
    """
    validate_password(password, user)
    user.set_password(password)
    user.session_generation += 1
    user.save(update_fields=["password", "session_generation"])
    axes_reset(username=user.username)
    return user


PASSWORD_RECHECK_LIMIT = 5


def password_recheck(*, user: User, password: str) -> None:
    """Ask a signed-in person for their password again (before money or password changes).

    After too many wrong answers every session of the account ends: a stolen session alone
    cannot be used to guess the password.
    """
    key = f"password-recheck:{user.pk}"
    if user.check_password(password):
        quota_reset(key=key)
        return
    # The allowance is the wrong answers before the last one: the PASSWORD_RECHECK_LIMIT-th ends the sessions.
    if not quota_take(
        key=key, limit=PASSWORD_RECHECK_LIMIT - 1, seconds=int(settings.AXES_COOLOFF_TIME.total_seconds())
    ):
        quota_reset(key=key)
        sessions_end_all(user=user)
        raise ValidationError(
            _("Too many wrong passwords: for your security, you are logged out everywhere."), code="signed_out"
        )
    raise ValidationError(_("The password is not correct."), code="password")


def sessions_end_all(*, user: User) -> None:
    """Sign the user out everywhere: every session hash stops matching."""
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)


@transaction.atomic
def user_language_set(*, user: User, language: str) -> None:
    """The language of the pages and, for a member, of every e-mail the household receives."""
    User.objects.filter(pk=user.pk).update(language=language)
    if user.member_id is not None:
        Member.objects.filter(pk=user.member_id).update(preferred_language=language)


@transaction.atomic
def lockout_clear(*, ip_address: str, username: str = "", by: User) -> int:
    """Lift the lockout of a login at an address or, without ``username``, of the whole address
    (every login's failures from it); recorded with who did it."""
    removed = axes_reset(ip=ip_address, username=username or None)
    target = f"username={username} ip_address={ip_address}" if username else f"ip_address={ip_address}"
    SecurityEvent.objects.create(action=SecurityEvent.Action.LOCKOUT_LIFTED, target=target, by=by)
    return removed


def user_role_flags_apply(*, user: User) -> User:
    """Django's own flags follow the role: only administrators reach the Django admin."""
    user.is_staff = user.is_superuser = user.role == Role.ADMINISTRATOR
    return user


@transaction.atomic
def staff_user_create(
    *,
    username: str,
    email: str,
    role: Role,
    password: str,
    first_name: str = "",
    last_name: str = "",
    totp_key: str | None = None,
    provider: Provider | None = None,
) -> tuple[User, TOTPDevice]:
    """Create a back-office user, or a hospital's user with ``provider``, with the TOTP device they
    must use at every login."""
    if role == Role.MEMBER:
        raise ValueError("staff_user_create is for back-office and provider roles")
    if (role == Role.PROVIDER) != (provider is not None):
        raise ValueError("a provider's user, and only they, belong to a provider")
    if User.objects.filter(username=username).exists():
        raise ValidationError(_("The username %(username)s is already taken."), params={"username": username})
    user = user_role_flags_apply(
        user=User(
            username=username, email=email, role=role, first_name=first_name, last_name=last_name, provider=provider
        )
    )
    validate_password(password, user)
    user.set_password(password)
    user.save()
    device_fields = {"user": user, "name": "TOTP", "confirmed": True}
    if totp_key:
        device_fields["key"] = totp_key
    device = TOTPDevice.objects.create(**device_fields)
    return user, device
