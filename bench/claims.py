"""Claims: time from the member's validation to the decision, and the share decided without a human.

    .venv/bin/python bench/claims.py [--claims N] [--seed S]

A realistic mix of online claims (1 to 4 care items: doctors, pharmacy, laboratory,
physiotherapy, dentist, osteopath, glasses, hearing aids…) for the demo households, on a
throw-away test database. Validation runs the whole adjudication as the worker does
(tasks run in-process here, so queue latency is not included: with the Huey consumer add
its polling interval). Prints figures; asserts nothing.
"""

import argparse
import logging
import os
import random
import statistics
import sys
import time
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.test_settings"

import django

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test.runner import DiscoverRunner  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from engine import Household  # noqa: E402
from engine import Member as EngineMember  # noqa: E402
from mutua.accounts.models import User  # noqa: E402
from mutua.benefits.adapter import care_line_of, engine_for  # noqa: E402
from mutua.benefits.models import Claim, ClaimItem  # noqa: E402
from mutua.benefits.rules import am_part_required, flags_with_doctor_fees  # noqa: E402
from mutua.claims.services import claim_create, claim_item_add, claim_submit  # noqa: E402
from mutua.documents.tests.pdfs import blank_pdf  # noqa: E402


def am_figure(code: str, amount: Decimal, extra: dict, on: date) -> dict:
    """What the AM's statement says it paid, as a member types it: the engine's estimate of it here."""
    if not am_part_required(plan_code=PLAN, benefit_code=code):
        return {}
    line = care_line_of(
        line_id="bench",
        person="m",
        on=on,
        benefit_code=code,
        amount=amount,
        br=extra.get("br"),
        flags=flags_with_doctor_fees([], extra.get("doctor_fees")),
        attributes=extra.get("attributes"),
    )
    household = Household((EngineMember("m", date(1980, 6, 15), "member"),))
    return {"mr": engine_for(PLAN, ("base", "surco")).adjudicate(household, [line]).lines[0].am_paid}


PLAN = "fr-base-surco"
# (benefit, weight, amount range, extra item fields)
MIX = [
    ("care.gp", 30, (26, 60), {"doctor_fees": "sector_1"}),
    ("care.specialist", 12, (40, 120), {"doctor_fees": "free"}),
    ("care.medicines", 20, (4, 90), {}),
    ("care.laboratory", 8, (12, 95), {}),
    ("care.paramedical", 8, (20, 60), {}),
    ("care.radiology", 4, (30, 150), {"doctor_fees": "sector_1"}),
    ("dental.care", 5, (30, 120), {}),
    ("prevention.osteopath", 5, (50, 80), {}),
    ("prevention.psychologist", 3, (50, 70), {}),
    ("optical.equipment", 3, (150, 480), {"br": Decimal("0.15"), "attributes": {"lens_class": "simple"}}),
    ("hearing.aid", 2, (300, 495), {"br": Decimal("400.00"), "attributes": {"side": "left"}}),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--claims", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    options = parser.parse_args()
    rng = random.Random(options.seed)
    setup_test_environment()
    runner = DiscoverRunner(verbosity=0)
    databases = runner.setup_databases()
    try:
        with open(os.devnull, "w") as quiet:
            call_command("load_demo", stdout=quiet)
        user = User.objects.get(username="MU1000001")
        weights = [weight for _, weight, _, _ in MIX]
        straight_through: list[float] = []
        start_day = date(2026, 1, 5)
        for n in range(options.claims):
            claim = claim_create(member=user.member, beneficiary=None, name=f"Bench {n}")
            for k in range(rng.choice((1, 1, 1, 2, 2, 3, 4))):
                code, _, (low, high), extra = rng.choices(MIX, weights)[0]
                on = start_day + timedelta(days=rng.randint(0, 300))
                amount = Decimal(rng.randint(low * 100, high * 100)) / 100
                claim_item_add(
                    claim=claim,
                    by=user,
                    benefit_code=code,
                    care_date=on,
                    provider="Cabinet",
                    amount=amount,
                    uploads=[SimpleUploadedFile("f.pdf", blank_pdf(f"{n}-{k}"))],
                    **extra,
                    **am_figure(code, amount, extra, on),
                )
            started = time.perf_counter()
            claim_submit(claim=claim, by=user, terms_accepted=True)  # adjudication runs in-process
            elapsed = time.perf_counter() - started
            if Claim.objects.get(pk=claim.pk).status != Claim.Status.IN_PROGRESS:
                straight_through.append(elapsed)
        items = ClaimItem.objects.filter(claim__name__startswith="Bench")
        automatic = items.filter(decided_by__isnull=True, status__in=["accepted", "rejected"]).count()
        reasons = Counter(reason for item in items.filter(status="in_review") for reason in item.review_reasons)
        print(f"claims: {options.claims}, care items: {items.count()}")
        print("sent to a handler because: " + ", ".join(f"{reason} {count}" for reason, count in reasons.most_common()))
        print(f"care items decided without a human: {automatic / items.count():.1%}")
        print(f"claims decided straight through: {len(straight_through) / options.claims:.1%}")
        print(
            "validation → decision, straight-through claims: "
            f"median {statistics.median(straight_through) * 1000:.1f} ms, "
            f"p95 {statistics.quantiles(straight_through, n=20)[-1] * 1000:.1f} ms"
        )
    finally:
        runner.teardown_databases(databases)


if __name__ == "__main__":
    logging.disable(logging.INFO)
    main()
