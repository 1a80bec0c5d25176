from django.contrib.auth.tokens import PasswordResetTokenGenerator


class AccountActivationTokenGenerator(PasswordResetTokenGenerator):
    """First-login links. Bound to the password hash, so a link stops working once used."""

    key_salt = "mutua.accounts.tokens.AccountActivationTokenGenerator"


account_activation_token = AccountActivationTokenGenerator()
password_reset_token = PasswordResetTokenGenerator()
