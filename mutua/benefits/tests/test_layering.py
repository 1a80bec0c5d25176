"""The layers of DESIGN.md's Architecture: the benefits layer imports no channel, and the foundation under it
imports neither benefits nor a channel; the demo, an interface above everything, is imported by nobody."""

import ast
from pathlib import Path

import pytest

import mutua

BENEFITS = Path(__file__).resolve().parents[1]
# Every app above benefits: the channels and the interfaces that call them.
ABOVE = {"claims", "quotes", "guarantees", "teletransmission", "api", "cards", "support"}
ABOVE |= {"conversations", "network", "rights", "contributions", "fraud", "dashboard", "fhir", "capital", "demo"}
# Below benefits, which reads them: the facts of a household that decide what its care is worth. The
# medical advisor's prior approvals are one (the flags a restricted zone's rule reads), as the contracts.
BELOW = ("approvals", "contracts", "documents")


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


@pytest.mark.parametrize("app", BELOW)
def test_what_benefits_reads_imports_neither_benefits_nor_anything_above(app):
    """benefits.adapter reads the prior approvals: approvals stays under it, importing no benefits,
    channel nor interface (its pages and the API's routes call its services, not the reverse)."""
    root = BENEFITS.parent / app
    sources = [path for path in root.rglob("*.py") if "tests" not in path.parts]
    upward = {
        f"{app}/{path.relative_to(root)}: {module}"
        for path in sources
        for module in imported_modules(path)
        if module.split(".")[:2] in (["mutua", other] for other in ABOVE | {"benefits", "payments"})
    }
    assert not upward


def test_the_check_sees_an_upward_import(tmp_path):
    """The rule can fail: a module importing a channel is caught."""
    bad = tmp_path / "bad.py"
    bad.write_text("from mutua.claims.models import ClaimItem\nimport mutua.quotes.estimates\n")
    assert {"mutua.claims.models", "mutua.quotes.estimates"} <= imported_modules(bad)
    assert Path(mutua.__file__).parent / "benefits" == BENEFITS


# The foundation: the ledger and the records every layer reads. Its pages (a hospital's space in providers) are
# interfaces and may call any service; its models, services and selectors may not reach above.
FOUNDATION = ("core", "accounts", "contracts", "documents", "notifications", "payments", "providers")
INTERFACE_MODULES = {"views", "urls.py", "admin.py"}


@pytest.mark.parametrize("app", FOUNDATION)
def test_the_foundation_imports_neither_benefits_nor_a_channel(app):
    root = BENEFITS.parent / app
    sources = [
        path
        for path in root.rglob("*.py")
        if not {"tests", "migrations"} & set(path.parts) and not INTERFACE_MODULES & set(path.relative_to(root).parts)
    ]
    assert sources
    upward = {
        f"{app}/{path.relative_to(root)}: {module}"
        for path in sources
        for module in imported_modules(path)
        if module.split(".")[:2] in (["mutua", other] for other in ABOVE | {"benefits", "approvals"})
    }
    assert not upward


def test_nothing_imports_the_demo():
    sources = [path for path in BENEFITS.parent.rglob("*.py") if "demo" not in path.relative_to(BENEFITS.parent).parts]
    importing = {
        str(path.relative_to(BENEFITS.parent))
        for path in sources
        if "tests" not in path.parts
        for module in imported_modules(path)
        if module.startswith("mutua.demo")
    }
    assert not importing


def test_no_two_channels_import_each_other_outside_their_pages():
    """A channel may read another (conversations talk about claims), never both ways: outside its pages (an
    interface reads anything), no channel imports a channel that imports it back."""
    apps_dir = BENEFITS.parent
    apps = [path.name for path in apps_dir.iterdir() if (path / "apps.py").exists() and path.name in ABOVE]
    imports: dict[str, set[str]] = {app: set() for app in apps}
    for app in apps:
        root = apps_dir / app
        for path in root.rglob("*.py"):
            parts = set(path.relative_to(root).parts)
            if {"tests", "migrations"} & parts or INTERFACE_MODULES & parts:
                continue
            for module in imported_modules(path):
                names = module.split(".")
                if names[0] == "mutua" and len(names) > 1 and names[1] in imports and names[1] != app:
                    imports[app].add(names[1])
    both_ways = sorted({tuple(sorted((a, b))) for a in apps for b in imports[a] if a in imports[b]})
    assert both_ways == []
