from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from mutua.teletransmission import fileformat
from mutua.teletransmission.fileformat import ActLine

CREATED = datetime(2026, 11, 21, 6, 0, 0)


def act(
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
) -> ActLine:
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
        provider="10001234567",
    )


def file_text(acts: list[ActLine], *, file_id: str = "F2026-0001") -> str:
    header = f"000|MUTUA-AM|1|CPAM-751|{file_id}|{CREATED.isoformat()}|MUTUA"
    totals = [sum((getattr(a, name) for a in acts), Decimal("0.00")) for name in ("charged", "br", "mr")]
    trailer = "|".join(("990", str(len(acts)), *(f"{t:.2f}" for t in totals)))
    return "\n".join([header, *(fileformat.act_record(a) for a in acts), trailer]) + "\n"


def write(tmp_path: Path, text: str, name: str = "am.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path
