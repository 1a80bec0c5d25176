from datetime import date
from pathlib import Path

from mutua.teletransmission import fakes, services
from mutua.teletransmission.fileformat import ActLine

CREATED = fakes.FILE_CREATED
SUBSCRIBER_NIR = "185057800608491"
SPOUSE_NIR = "287037512345687"
UNKNOWN_NIR = "178012A12345621"
CHILD_BIRTH = date(2016, 5, 4)
SPOUSE_BIRTH = date(1987, 3, 9)


act = fakes.act_line


def file_text(acts: list[ActLine], *, file_id: str = "F2026-0001") -> str:
    return fakes.file_text(acts, file_id=file_id, created=CREATED)


def write(tmp_path: Path, text: str, name: str = "am.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def import_and_pay(tmp_path, acts, *, file_id="F2026-0001", chunk_lines=None):
    am_file = services.am_file_import(path=write(tmp_path, file_text(acts, file_id=file_id)), chunk_lines=chunk_lines)
    services.am_file_drain(am_file_id=am_file.pk)
    am_file.refresh_from_db()
    return am_file
