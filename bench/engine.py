"""Benchmark of the benefits engine: care lines adjudicated per second on one core.

    .venv/bin/python bench/engine.py [--households N] [--seed S]

A realistic mix for the seed plan: households of 1 to 5 people, a year of care each
(GP and specialist visits, medicines, laboratory, allied health, dental, optical, hearing,
hospital stays, prevention), MR known for most lines (teletransmission) and estimated
for the rest. Counters carry over within each household. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engine import CareLine, Engine, Household, Member, explain, get_plan

# (benefit, weight, charged range, BR rule, extra)
MIX: list[tuple[str, int, tuple[int, int], str, dict[str, object]]] = [
    ("care.gp", 30, (25, 60), "gp", {}),
    ("care.specialist", 12, (30, 120), "specialist", {}),
    ("care.medicines", 25, (3, 80), "same", {}),
    ("care.laboratory", 8, (10, 90), "same", {}),
    ("care.paramedical", 8, (15, 60), "ratio", {}),
    ("care.radiology", 4, (40, 200), "ratio", {}),
    ("dental.care", 5, (20, 90), "same", {}),
    ("dental.crown_bridge", 1, (400, 900), "crown", {"attributes": {"basket": ("libre",)}}),
    ("optical.equipment", 1, (150, 700), "optical", {"attributes": {"lens_class": ("simple",)}}),
    ("optical.contact_lenses_npc", 1, (50, 250), "none", {}),
    ("hearing.aid", 1, (900, 2000), "hearing", {"attributes": {"side": ("right",)}}),
    ("hosp.stay", 1, (800, 5000), "ratio", {}),
    ("hosp.surgeon_fees", 1, (200, 900), "ratio", {}),
    ("hosp.daily_forfait", 1, (20, 100), "none", {}),
    ("hosp.private_room", 1, (60, 300), "none", {}),
    ("prevention.osteopath", 3, (45, 80), "none", {}),
    ("prevention.psychologist", 2, (50, 70), "none", {}),
]


def make_households(count: int, seed: int) -> list[tuple[Household, list[CareLine]]]:
    rng = random.Random(seed)
    benefits = [m[0] for m in MIX]
    weights = [m[1] for m in MIX]
    by_code = {m[0]: m for m in MIX}
    out = []
    for h in range(count):
        size = rng.choice([1, 1, 2, 2, 3, 4, 5])
        members = tuple(
            Member(f"h{h}m{i}", dt.date(rng.randint(1950, 2020), rng.randint(1, 12), rng.randint(1, 28)))
            for i in range(size)
        )
        lines = []
        year = rng.choice([2022, 2023, 2024, 2025])
        for n in range(rng.randint(8, 20) * size):
            code = rng.choices(benefits, weights)[0]
            _, _, (low, high), br_rule, extra = by_code[code]
            charged = Decimal(rng.randint(low * 100, high * 100)) / 100
            br: Decimal | None
            if br_rule == "none":
                br = None
            elif br_rule == "gp":
                br = Decimal("25.00") if rng.random() < 0.7 else Decimal("23.00")
            elif br_rule == "specialist":
                br = Decimal("30.00") if rng.random() < 0.6 else Decimal("23.00")
            elif br_rule == "same":
                br = charged
            elif br_rule == "crown":
                br = Decimal("107.50")
            elif br_rule == "optical":
                br = Decimal("0.15")
            elif br_rule == "hearing":
                br = Decimal("400.00")
            else:
                br = (charged * Decimal("0.6")).quantize(Decimal("0.01"))
            flags = frozenset(f for f, p in (("dptm", 0.5), ("network", 0.3)) if rng.random() < p)
            lines.append(
                CareLine(
                    id=f"{h}-{n}",
                    member=rng.choice(members).id,
                    date=dt.date(year, 1, 1) + dt.timedelta(days=n * 300 // (size * 20)),
                    benefit=code,
                    charged=charged,
                    br=br,
                    flags=flags,
                    quantity=1 if code != "care.medicines" else rng.randint(1, 4),
                    **extra,  # type: ignore[arg-type]
                )
            )
        out.append((Household(members), lines))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    plan = get_plan("fr-base-surco")
    data = make_households(args.households, args.seed)
    total_lines = sum(len(lines) for _, lines in data)
    engine = Engine(plan)
    engine.adjudicate(*data[0])  # warm the parameter snapshots

    best = best_cpu = float("inf")
    for _ in range(args.repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        for household, lines in data:
            engine.adjudicate(household, lines)
        best = min(best, time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - start_cpu)
    rate = total_lines / best
    cpu_rate = total_lines / best_cpu

    sample = [engine.adjudicate(h, lines) for h, lines in data[:200]]
    rendered = sum(len(a.lines) for a in sample)
    start = time.perf_counter()
    for adjudication in sample:
        for result in adjudication.lines:
            explain(result, "fr")
    render_rate = rendered / (time.perf_counter() - start)

    print(f"households: {len(data)}, care lines: {total_lines} (best of {args.repeat} runs)")
    print(
        f"adjudication: {rate:,.0f} care lines/s on one core, wall clock "
        f"({best * 1e6 / total_lines:.1f} µs per line, explanation kept as message keys)"
    )
    print(f"adjudication: {cpu_rate:,.0f} care lines/s of CPU time (process_time)")
    print(f"rendering explanations in French: {render_rate:,.0f} lines/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
