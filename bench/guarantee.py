"""Hospital guarantees: time from the request to the issued guarantee of payment (automatic path).

    .venv/bin/python bench/guarantee.py [--households N] [--pdfs P] [--seed S]
    DATABASE_URL=postgres://… .venv/bin/python bench/guarantee.py   # the same on PostgreSQL

On a throw-away test database (the embedded SQLite by default, PostgreSQL when DATABASE_URL
points at one): ``--households`` covered households and one network clinic; each household asks
once for a planned stay (surgical, medical or maternity, 3 or 4 costs of the stay) a few days
ahead, and ``guarantee_request`` answers at once: cover checked, the engine's estimate and
per-day limits stored, the guarantee issued with its history row. The e-mails to the member and
the clinic are rendered and sent in-process here (tasks run immediately in test mode; in
production they are queued after commit), so the figures include them. Then times the PDF of
``--pdfs`` of those guarantees (WeasyPrint). Prints figures; asserts nothing.
"""

import argparse
import logging
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.test_settings"

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.runner import DiscoverRunner  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from mutua.accounts.tests.factories import MemberUserFactory  # noqa: E402
from mutua.contracts.tests.factories import GroupContractFactory  # noqa: E402
from mutua.guarantees.models import Guarantee  # noqa: E402
from mutua.guarantees.pdf import guarantee_pdf  # noqa: E402
from mutua.guarantees.requests import guarantee_request  # noqa: E402
from mutua.guarantees.stays import Cost  # noqa: E402
from mutua.providers.tests.factories import ProviderFactory  # noqa: E402

# (kind of stay, costs: (benefit code, amount range in euros, BR share of the amount or None, per day, DPTM))
STAYS = {
    Guarantee.StayKind.SURGICAL: (
        ("hosp.stay", (1500, 6000), Decimal("0.85"), False, False),
        ("hosp.surgeon_fees", (400, 1500), Decimal("0.55"), False, True),
        ("hosp.private_room", (80, 140), None, True, False),
        ("hosp.daily_forfait", (20, 20), None, True, False),
    ),
    Guarantee.StayKind.MEDICAL: (
        ("hosp.stay", (900, 4000), Decimal("0.9"), False, False),
        ("hosp.private_room", (70, 120), None, True, False),
        ("hosp.daily_forfait", (20, 20), None, True, False),
    ),
    Guarantee.StayKind.MATERNITY: (
        ("maternity.stay", (2000, 4500), Decimal("0.9"), False, False),
        ("maternity.fees", (300, 900), Decimal("0.5"), False, True),
        ("maternity.private_room", (80, 130), None, True, False),
        ("hosp.daily_forfait", (20, 20), None, True, False),
    ),
}


def _costs(rng: random.Random, stay_kind: str, days: int) -> list[Cost]:
    costs = []
    for code, (low, high), br_share, per_day, dptm in STAYS[stay_kind]:
        price = Decimal(rng.randint(low * 100, high * 100)) / 100
        quantity = days if per_day else 1
        amount = price * quantity
        br = (amount * br_share).quantize(Decimal("0.01")) if br_share else None
        costs.append(Cost(code, amount, br=br, quantity=quantity, dptm=dptm))
    return costs


def _figures(label: str, seconds: list[float]) -> str:
    ms = sorted(value * 1000 for value in seconds)
    p95 = statistics.quantiles(ms, n=20)[-1] if len(ms) >= 2 else ms[0]
    return (
        f"{label}: count {len(ms)}, mean {statistics.fmean(ms):.1f} ms, p50 {statistics.median(ms):.1f} ms, "
        f"p95 {p95:.1f} ms, max {ms[-1]:.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=200)
    parser.add_argument("--pdfs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=5)
    options = parser.parse_args()
    rng = random.Random(options.seed)
    setup_test_environment()
    runner = DiscoverRunner(verbosity=0)
    databases = runner.setup_databases()
    try:
        contract = GroupContractFactory()
        users = [MemberUserFactory(member__contract=contract) for _ in range(options.households)]
        clinic = ProviderFactory(name="Clinique du banc d'essai", in_network=True)
        today = timezone.localdate()
        requests, issued = [], []
        for user in users:
            stay_kind = rng.choice(list(STAYS))
            nights = rng.randint(1, 6)
            admission = today + timedelta(days=rng.randint(2, 20))
            costs = _costs(rng, stay_kind, nights + 1)
            started = time.perf_counter()
            guarantee = guarantee_request(
                member=user.member,
                beneficiary=None,
                by=user,
                channel=Guarantee.Channel.PORTAL,
                kind=Guarantee.Kind.PLANNED,
                stay_kind=stay_kind,
                admission_date=admission,
                expected_discharge=admission + timedelta(days=nights),
                provider=clinic,
                costs=costs,
            )
            elapsed = time.perf_counter() - started
            requests.append(elapsed)
            if guarantee.status == Guarantee.Status.ISSUED:
                issued.append((guarantee, elapsed))
        pdf_times = []
        for guarantee, _elapsed in issued[: options.pdfs]:
            guarantee = Guarantee.objects.select_related("member__contract__insurer", "provider").get(pk=guarantee.pk)
            started = time.perf_counter()
            guarantee_pdf(guarantee=guarantee, language=rng.choice(("fr", "en")))
            pdf_times.append(time.perf_counter() - started)

        print(f"database: {connection.vendor}; households: {options.households}; network clinic: 1")
        print(f"issued at once: {len(issued)} of {len(requests)} ({len(issued) / len(requests):.1%})")
        if issued:
            print(_figures("request → issued guarantee", [elapsed for _g, elapsed in issued]))
        if pdf_times:
            print(_figures("guarantee PDF render", pdf_times))
    finally:
        runner.teardown_databases(databases)


if __name__ == "__main__":
    logging.disable(logging.INFO)
    main()
