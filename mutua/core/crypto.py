"""Encryption at rest for identifiers (the NIR…) and keyed hashes to find them again.

Fernet authenticates what it decrypts: a value altered in the database, or read with the
wrong keys, raises ``DecryptionError`` instead of returning garbage.
"""

import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class DecryptionError(Exception):
    pass


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


def encrypt_bytes(data: bytes) -> bytes:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS)).encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    try:
        return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS)).decrypt(token)
    except InvalidToken as error:
        raise DecryptionError("an encrypted value could not be decrypted with the configured keys") from error


def encrypt(plaintext: str) -> str:
    return encrypt_bytes(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    return decrypt_bytes(token.encode()).decode()


def search_digest(value: str) -> str:
    """Same value, same digest: lets an exact search find an encrypted value without decrypting."""
    return hmac.new(settings.SEARCH_HASH_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()


def mask_identifier(value: str) -> str:
    """Only the last four characters, as bank statements show an IBAN: for logs and screens."""
    value = str(value or "")
    return "•" * max(len(value) - 4, 0) + value[-4:]
