"""The benefits layer sits under the channels: it imports none of them (DESIGN.md, Architecture)."""

import ast
from pathlib import Path

import mutua

BENEFITS = Path(__file__).resolve().parents[1]
# Every app above benefits: the channels and the interfaces that call them.
ABOVE = {"claims", "quotes", "guarantees", "teletransmission", "api", "cards", "support", "providers"}
ABOVE |= {"conversations", "network", "rights", "contributions", "fraud", "dashboard", "fhir"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_nothing_under_benefits_imports_a_channel():
    sources = [path for path in BENEFITS.rglob("*.py") if "tests" not in path.parts]
    assert sources, "the benefits app has no source files"
    upward = {
        f"{path.relative_to(BENEFITS)}: {module}"
        for path in sources
        for module in imported_modules(path)
        if module.split(".")[:2] in (["mutua", app] for app in ABOVE)
    }
    assert not upward


def test_the_check_sees_an_upward_import(tmp_path):
    """The rule can fail: a module importing a channel is caught."""
    bad = tmp_path / "bad.py"
    bad.write_text("from mutua.claims.models import ClaimItem\nimport mutua.quotes.estimates\n")
    assert {"mutua.claims.models", "mutua.quotes.estimates"} <= imported_modules(bad)
    assert Path(mutua.__file__).parent / "benefits" == BENEFITS
