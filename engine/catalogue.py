"""The engine's sentences and the words inside them, in each language it speaks.

They live in ``engine/data/messages.yaml``, one entry per sentence or word with its French, English,
Spanish and Arabic; ``engine.messages`` and ``engine.summary`` render them.
"""

from __future__ import annotations

from pathlib import Path

import yaml

LANGUAGES = ("fr", "en", "es", "ar")
MESSAGES_FILE = Path(__file__).resolve().parent / "data" / "messages.yaml"

# French typography, as the portal's amounts (babel) write it: a no-break space before ":", ";",
# "?", "!" and inside « ».
NBSP = "\u00a0"

Section = dict[str, dict[str, str]]


def french_typography(template: str) -> str:
    for before, after in ((" :", ":"), (" ;", ";"), (" ?", "?"), (" !", "!"), (" »", "»")):
        template = template.replace(before, NBSP + after)
    return template.replace("« ", "«" + NBSP)


def _load() -> dict[str, Section]:
    sections: dict[str, Section] = yaml.safe_load(MESSAGES_FILE.read_text(encoding="utf-8"))
    for section in sections.values():
        for texts in section.values():
            texts["fr"] = french_typography(texts["fr"])
    return sections


SECTIONS = _load()
