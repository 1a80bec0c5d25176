"""docs/engine.md stays true: its simulate example runs and gives the documented amounts."""

from __future__ import annotations

import json
import re
from pathlib import Path

from engine.simulation import run_simulation

DOC = Path(__file__).resolve().parents[2] / "docs" / "engine.md"


def test_the_documented_simulate_example_gives_the_documented_output() -> None:
    text = DOC.read_text(encoding="utf-8")
    section = text[text.index("## `simulate` format") :]
    blocks = re.findall(r"```json\n(.*?)```", section, flags=re.S)
    example = json.loads(blocks[0])
    output = run_simulation(example)
    documented = blocks[1]
    first, second = output["lines"]
    for amount in (
        first["tiers"]["base"]["paid"],
        first["tiers"]["surco"]["paid"],
        first["tiers"]["surco"]["maximum"],
        second["tiers"]["base"]["paid"],
        second["out_of_pocket"],
    ):
        assert f'"{amount}"' in documented
    for sentence in first["explanation"]["en"] + second["explanation"]["en"]:
        assert sentence in documented, sentence
