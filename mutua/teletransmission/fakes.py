"""Realistic AM statement files and households to match them: for the demo, the tests and ``bench/import.py``.

The acts carry the 2026 tariffs and the AM's own amounts (rate, participation forfaitaire,
franchises withheld), so the engine computes what a real statement would give.
"""

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from mutua.contracts.models import Beneficiary, GroupContract, Member, Relationship
from mutua.core.crypto import search_digest
from mutua.teletransmission import fileformat
from mutua.teletransmission.fileformat import ActLine


@dataclass(frozen=True)
class Insured:
    """One person as the AM knows them: the NIR their statements carry, rank and birth date."""

    nir: str
    rank: int
    birth_date: date


# (system, code, charged, BR, rate %, MR, qualifiers): one care as the AM pays it in 2026.
ACTS = (
    ("NGAP", "G", "30.00", "30.00", 70, "19.00", "DPTM"),  # GP, sector 1: 21.00 − 2.00 participation
    ("NGAP", "G", "30.00", "30.00", 70, "19.00", "DPTM"),
    ("NGAP", "GS", "30.00", "30.00", 70, "19.00", "DPTM"),
    ("NGAP", "CS", "60.00", "30.00", 70, "19.00", "DPTM"),  # specialist OPTAM, overrun 30.00
    ("NGAP", "APC", "80.00", "55.00", 70, "36.50", ""),
    ("NGAP", "AMK", "17.44", "17.44", 60, "9.46", ""),  # physiotherapy: 10.46 − 1.00 franchise
    ("NGAP", "AMI", "6.30", "6.30", 60, "2.78", ""),
    ("NGAP", "PH7", "12.50", "12.50", 65, "7.13", ""),  # medicine at 65 %: 8.13 − 1.00 franchise
    ("NGAP", "PH4", "8.20", "8.20", 30, "1.46", ""),
    ("NGAP", "PH2", "5.40", "5.40", 15, "0.00", ""),
    ("NGAP", "B", "24.30", "24.30", 60, "12.58", ""),  # laboratory: 14.58 − 2.00 participation
    ("CCAM", "ZBQK002", "21.28", "21.28", 70, "12.90", "DPTM"),
    ("CCAM", "HBJD001", "43.38", "43.38", 60, "26.03", ""),
    ("CCAM", "HBQK002", "25.00", "25.00", 70, "15.50", ""),
)
FILE_CREATED = datetime(2026, 11, 21, 6, 0, 0)


def act_line(
    seq: int,
    nir: str,
    *,
    rank: int = 0,
    birth_date: date = date(1985, 4, 1),
    care_date: date = date(2026, 11, 2),
    system: str = "NGAP",
    code: str = "G",
    charged: str = "30.00",
    br: str = "30.00",
    rate: int = 70,
    mr: str = "19.00",
    qualifiers: tuple[str, ...] = ("DPTM",),
    provider: str = "10001234567",
) -> ActLine:
    """One act as the AM sends it (by default a GP consultation, sector 1, in 2026); the overrun follows."""
    return ActLine(
        seq=seq,
        nir=nir,
        rank=rank,
        birth_date=birth_date,
        care_date=care_date,
        system=system,
        code=code,
        quantity=1,
        charged=Decimal(charged),
        br=Decimal(br),
        rate=rate,
        mr=Decimal(mr),
        overrun=max(Decimal(charged) - Decimal(br), Decimal("0.00")),
        qualifiers=qualifiers,
        provider=provider,
    )


def header_record(*, file_id: str, created: datetime) -> str:
    return fileformat.SEPARATOR.join(
        (fileformat.HEADER, fileformat.FORMAT, fileformat.VERSION, "CPAM-751", file_id, created.isoformat(), "MUTUA")
    )


def trailer_record(*, count: int, totals: list[Decimal]) -> str:
    return fileformat.SEPARATOR.join((fileformat.TRAILER, str(count), *(f"{total:.2f}" for total in totals)))


def file_text(acts: list[ActLine], *, file_id: str, created: datetime = FILE_CREATED) -> str:
    """A whole file of these acts, with the trailer's count and totals right."""
    totals = [sum((getattr(act, name) for act in acts), Decimal("0.00")) for name in ("charged", "br", "mr")]
    records = [fileformat.act_record(act) for act in acts]
    return (
        "\n".join(
            [header_record(file_id=file_id, created=created), *records, trailer_record(count=len(acts), totals=totals)]
        )
        + "\n"
    )


def nir_for(rng: random.Random, birth_date: date, sex: int) -> str:
    body = (
        f"{sex}{birth_date:%y}{birth_date:%m}{rng.randint(1, 95):02d}{rng.randint(1, 999):03d}{rng.randint(1, 999):03d}"
    )
    return f"{body}{97 - int(body) % 97:02d}"


def _birth(rng: random.Random, low: int, high: int) -> date:
    return date(rng.randint(low, high), rng.randint(1, 12), rng.randint(1, 28))


def households_create(*, contract: GroupContract, count: int, seed: int = 1, prefix: str = "AM") -> list[list[Insured]]:
    """``count`` covered households (a subscriber, often a spouse with their own NIR, children on
    a parent's NIR), created in bulk; returns each household's people as the AM knows them."""
    rng = random.Random(seed)  # noqa: S311  (reproducible test data, not secrets)
    members, plans = [], []
    for n in range(count):
        birth = _birth(rng, 1960, 1998)
        nir = nir_for(rng, birth, rng.choice((1, 2)))
        members.append(
            Member(
                member_number=f"{prefix}{seed:02d}{n:07d}",
                first_name="Camille",
                last_name=f"Test{n}",
                birth_date=birth,
                nir=nir,
                nir_digest=search_digest(nir),
                email=f"{prefix.lower()}{seed}-{n}@example.org",
                management_unit_id=contract.management_unit_id,
                contract=contract,
                cover_start=date(2020, 1, 1),
            )
        )
        plans.append((nir, birth))
    Member.objects.bulk_create(members, batch_size=2000)
    beneficiaries, households = [], []
    for member, (nir, birth) in zip(members, plans, strict=True):
        people = [Insured(nir, 0, birth)]
        if rng.random() < 0.5:  # a spouse, insured in their own name
            spouse_birth = _birth(rng, 1960, 1998)
            spouse_nir = nir_for(rng, spouse_birth, rng.choice((1, 2)))
            beneficiaries.append(_beneficiary(member, 1, Relationship.SPOUSE, spouse_birth, spouse_nir))
            people.append(Insured(spouse_nir, 0, spouse_birth))
        for rank in range(2, 2 + rng.choice((0, 0, 1, 2, 3))):  # children, on the subscriber's NIR
            child_birth = _birth(rng, 2009, 2024)
            beneficiaries.append(_beneficiary(member, rank, Relationship.CHILD, child_birth, ""))
            people.append(Insured(nir, rank, child_birth))
        households.append(people)
    Beneficiary.objects.bulk_create(beneficiaries, batch_size=2000)
    return households


def _beneficiary(member: Member, rank: int, relationship: str, birth: date, nir: str) -> Beneficiary:
    return Beneficiary(
        member=member,
        relationship=relationship,
        rank=rank,
        first_name="Alex",
        last_name=member.last_name,
        birth_date=birth,
        nir=nir,
        nir_digest=search_digest(nir) if nir else "",
        cover_start=date(2020, 1, 1),
    )


def file_records(
    *,
    households: list[list[Insured]],
    lines: int,
    file_id: str,
    created: datetime | None = None,
    seed: int = 1,
    unknown_share: float = 0.005,
) -> Iterator[str]:
    """The records of a file of ``lines`` acts, grouped by insured as the AM sends them."""
    rng = random.Random(seed)  # noqa: S311  (reproducible test data, not secrets)
    created = created or FILE_CREATED
    yield header_record(file_id=file_id, created=created)
    totals = [Decimal("0.00")] * 3
    # The AM sends each insured's acts of the period together, once per file, insureds in no particular order.
    insureds: list[list[Insured]] = []
    for household in households:
        by_nir: dict[str, list[Insured]] = {}
        for insured in household:
            by_nir.setdefault(insured.nir, []).append(insured)
        insureds.extend(by_nir.values())
    rng.shuffle(insureds)
    seq = 0
    for group in _groups(rng, insureds, unknown_share):
        if seq >= lines:
            break
        for _visit in range(min(rng.choice((1, 1, 2, 3, 4, 6)), lines - seq)):
            person = rng.choice(group)
            system, code, charged, br, rate, mr, qualifiers = rng.choice(ACTS)
            if Decimal(charged) > Decimal(br):  # overruns vary from one doctor to another
                charged = f"{Decimal(br) + rng.randint(1, 12) * Decimal('5.00'):.2f}"
            seq += 1
            act = act_line(
                seq,
                person.nir,
                rank=person.rank,
                birth_date=person.birth_date,
                care_date=created.date() - timedelta(days=rng.randint(1, 60)),
                system=system,
                code=code,
                charged=charged,
                br=br,
                rate=rate,
                mr=mr,
                qualifiers=tuple(q for q in qualifiers.split(",") if q),
                provider=f"{rng.randint(10**10, 10**11 - 1)}",
            )
            totals[0] += act.charged
            totals[1] += act.br
            totals[2] += act.mr
            yield fileformat.act_record(act)
    yield trailer_record(count=seq, totals=totals)


def _groups(rng: random.Random, insureds: list[list[Insured]], unknown_share: float) -> Iterator[list[Insured]]:
    """Each insured's people once, then again from the start (a longer period), with strangers mixed in."""
    while True:
        for group in insureds:
            if rng.random() < unknown_share:
                birth = _birth(rng, 1950, 2000)
                yield [Insured(nir_for(rng, birth, 1), 0, birth)]  # nobody we insure
            yield group
