"""The ECB's reference rates the money module converts with: the file shipped with ``currency_converter`` until a
fresher one is fetched from the ECB (``rates_refresh``, every working day after the ECB publishes at 16:00 CET),
so that care after the package's last day has the rate of its own day instead of waiting for a handler.

The fetched file replaces the one in use only whole and only when it reads as the ECB's history and reaches at
least as far: a failed or truncated download leaves the rates as they were."""

import logging
import os
import tempfile
import urllib.request
import zipfile
from datetime import date
from pathlib import Path

from currency_converter import CurrencyConverter
from django.conf import settings

logger = logging.getLogger(__name__)

# The ECB's history since 1999 is about 600 KB zipped: far more than that is not the file asked for.
MAX_RATES_BYTES = 20 * 2**20


class RatesRefused(ValueError):
    """The fetched file is not an ECB history at least as recent as the one in use."""


def rates_file() -> Path | None:
    """The fetched history, when there is one; None: the package's own file."""
    path = Path(settings.ECB_RATES_FILE) if settings.ECB_RATES_FILE else None
    return path if path and path.is_file() else None


def rates_converter(path: Path | None) -> CurrencyConverter:
    # No fallback: a missing day raises, and ``exchange_rate`` says which day it took instead.
    kwargs = {"fallback_on_missing_rate": False, "fallback_on_wrong_date": False}
    return CurrencyConverter(str(path), **kwargs) if path else CurrencyConverter(**kwargs)


def last_rate_day(converter: CurrencyConverter) -> date:
    """The last day the history has a rate for (the US dollar's, quoted every day the ECB publishes)."""
    return converter.bounds["USD"].last_date


def rates_refresh(*, url: str | None = None) -> date:
    """Fetch the ECB's history and put it in use; returns its last day. Raises ``RatesRefused`` (or the network's
    ``OSError``) and changes nothing when the file cannot be used."""
    if not settings.ECB_RATES_FILE:
        raise RatesRefused("ECB_RATES_FILE is not set: nowhere to keep the rates")
    target = Path(settings.ECB_RATES_FILE)
    target.parent.mkdir(parents=True, exist_ok=True)
    with urllib.request.urlopen(url or settings.ECB_RATES_URL, timeout=60) as response:  # noqa: S310 (settings)
        content = response.read(MAX_RATES_BYTES + 1)
    if len(content) > MAX_RATES_BYTES:
        raise RatesRefused(f"more than {MAX_RATES_BYTES} bytes")
    handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".zip")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
        fetched = _read(Path(temporary))
        current = last_rate_day(rates_converter(rates_file()))
        if last_rate_day(fetched) < current:
            raise RatesRefused(f"ends on {last_rate_day(fetched)}, before the rates in use ({current})")
        os.replace(temporary, target)
    finally:
        Path(temporary).unlink(missing_ok=True)
    logger.info("ECB rates refreshed up to %s", last_rate_day(fetched))
    return last_rate_day(fetched)


def _read(path: Path) -> CurrencyConverter:
    if not zipfile.is_zipfile(path):
        raise RatesRefused("not a zip file")
    try:
        converter = rates_converter(path)
    except Exception as error:  # the library's parse errors are of many kinds (ValueError, KeyError, …)
        raise RatesRefused(f"not the ECB's history: {error}") from error
    if "USD" not in converter.currencies:
        raise RatesRefused("no US dollar rate")
    return converter
