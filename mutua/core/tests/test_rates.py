"""The ECB rates are fetched every working day: care after the shipped file's last day gets its own day's rate,
and a failed, truncated or older download leaves the rates in use as they were."""

import io
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import currency_converter
import pytest
from django.core.management import CommandError, call_command

from mutua.benefits.money import in_plan_currency
from mutua.core.money import exchange_rate
from mutua.core.rates import RatesRefused, rates_refresh
from mutua.core.tasks import refresh_exchange_rates

SHIPPED = Path(currency_converter.__file__).parent / "eurofxref-hist.zip"
LATER_DAY = date(2026, 12, 2)  # after the shipped history's last day (30 October 2026)


def history(tmp_path: Path, *, extra_line: str = "", name: str = "fetched.zip") -> Path:
    """The shipped history, with one more day on top as the ECB's file has its newest day first."""
    with zipfile.ZipFile(SHIPPED) as shipped:
        header, *days = shipped.read("eurofxref-hist.csv").decode().splitlines()
    lines = [header, *([extra_line] if extra_line else []), *days]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as fetched:
        fetched.writestr("eurofxref-hist.csv", "\n".join(lines) + "\n")
    path = tmp_path / name
    path.write_bytes(buffer.getvalue())
    return path


def later_day_line(*, usd: str) -> str:
    """The shipped last day's line, dated ``LATER_DAY`` with another dollar rate."""
    with zipfile.ZipFile(SHIPPED) as shipped:
        last = shipped.read("eurofxref-hist.csv").decode().splitlines()[1]
    _day, _usd, *rest = last.split(",")
    return ",".join([LATER_DAY.isoformat(), usd, *rest])


@pytest.fixture
def rates_file(settings, tmp_path):
    settings.ECB_RATES_FILE = str(tmp_path / "var" / "ecb-rates.zip")
    return Path(settings.ECB_RATES_FILE)


def test_a_fresher_history_gives_care_after_the_shipped_file_its_own_days_rate(rates_file, tmp_path):
    assert exchange_rate(currency="USD", into="EUR", on=LATER_DAY) is None  # before: a handler had to convert
    fetched = history(tmp_path, extra_line=later_day_line(usd="1.2500"))
    assert rates_refresh(url=fetched.as_uri()) == LATER_DAY
    assert rates_file.is_file()
    rate = exchange_rate(currency="EUR", into="USD", on=LATER_DAY)
    assert (rate.value, rate.on) == (Decimal("1.25"), LATER_DAY)
    # A bill in euros of that day is converted into the international plan's dollars, not left to a handler.
    converted = in_plan_currency(amount=Decimal("100.00"), currency="EUR", plan_code="intl-staff", on=LATER_DAY)
    assert (converted.amount, converted.rate_on) == (Decimal("125.00"), LATER_DAY)


def test_an_older_history_is_refused_and_the_rates_in_use_are_kept(rates_file, tmp_path):
    rates_refresh(url=history(tmp_path, extra_line=later_day_line(usd="1.2500")).as_uri())
    kept = rates_file.read_bytes()
    with pytest.raises(RatesRefused):
        rates_refresh(url=SHIPPED.as_uri())  # ends on 30 October, before the 2 December in use
    assert rates_file.read_bytes() == kept
    assert exchange_rate(currency="EUR", into="USD", on=LATER_DAY).value == Decimal("1.25")


@pytest.mark.parametrize("content", [b"<html>Service unavailable</html>", b"PK\x03\x04 truncated"])
def test_a_file_that_is_not_the_ecbs_history_changes_nothing(rates_file, tmp_path, content):
    bad = tmp_path / "bad.zip"
    bad.write_bytes(content)
    with pytest.raises(RatesRefused):
        rates_refresh(url=bad.as_uri())
    assert not rates_file.exists()
    assert list(rates_file.parent.iterdir()) == []  # no temporary file left behind


def test_the_command_says_why_it_kept_the_rates(rates_file, tmp_path):
    with pytest.raises(CommandError, match="the ones in use are kept"):
        call_command("refresh_rates", url=(tmp_path / "missing.zip").as_uri())
    out = io.StringIO()
    call_command("refresh_rates", url=history(tmp_path, extra_line=later_day_line(usd="1.2")).as_uri(), stdout=out)
    assert "up to 2026-12-02" in out.getvalue()


def test_the_daily_task_logs_a_failure_and_keeps_going(rates_file, settings, tmp_path, caplog):
    settings.ECB_RATES_URL = (tmp_path / "offline.zip").as_uri()
    refresh_exchange_rates.call_local()
    assert "ECB rates not refreshed" in caplog.text
    assert not rates_file.exists()
