from typing import Any

from django.db import models

from mutua.core.countries import country_code_validator
from mutua.core.crypto import decrypt, encrypt


class EncryptedTextField(models.TextField):
    """Stored encrypted (Fernet), read back in clear. Not searchable: pair it with a digest field."""

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        return value if value in (None, "") else decrypt(value)

    def get_prep_value(self, value: Any) -> str | None:
        value = super().get_prep_value(value)
        return value if value in (None, "") else encrypt(value)


class CountryField(models.CharField):
    """An ISO 3166-1 alpha-2 country code ("" when unknown); named for readers by ``core.countries``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 2)
        kwargs.setdefault("validators", [country_code_validator])
        super().__init__(*args, **kwargs)
