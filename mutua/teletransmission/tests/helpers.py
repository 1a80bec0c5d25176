from pathlib import Path

from mutua.teletransmission import fakes
from mutua.teletransmission.fileformat import ActLine

CREATED = fakes.FILE_CREATED


act = fakes.act_line


def file_text(acts: list[ActLine], *, file_id: str = "F2026-0001") -> str:
    return fakes.file_text(acts, file_id=file_id, created=CREATED)


def write(tmp_path: Path, text: str, name: str = "am.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path
