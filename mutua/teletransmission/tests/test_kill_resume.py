"""A worker killed in the middle of a file loses nothing and pays nothing twice.

Real processes on a real database (the embedded SQLite file, and PostgreSQL when DATABASE_URL
points to one): ``mutua import-am`` is killed with SIGKILL while it pays a file, then
``mutua import-am --resume`` finishes it; everything written must equal an uninterrupted run.
"""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
PG_URL = os.environ.get("DATABASE_URL", "") if os.environ.get("DATABASE_URL", "").startswith("postgres") else ""

SEED = """
from datetime import date
from mutua.contracts.models import ContractPlan, Employer, GroupContract, Insurer, ManagementUnit
from mutua.teletransmission import fakes
unit = ManagementUnit.objects.create(name="Unit", phone="1", email="u@example.org", postal_address="x")
contract = GroupContract.objects.create(number="GC-KILL", employer=Employer.objects.create(name="E"),
    insurer=Insurer.objects.create(name="I"), management_unit=unit, start_date=date(2020, 1, 1))
ContractPlan.objects.create(
    contract=contract, plan_code="fr-base-surco", tiers=["base", "surco"], valid_from=date(2020, 1, 1))
households = fakes.households_create(contract=contract, count=60, seed=5)
with open({path!r}, "w") as file:
    for record in fakes.file_records(households=households, lines=600, file_id="KILL-1", seed=5, unknown_share=0.03):
        file.write(record + "\\n")
"""

DUMP = """
import json
from mutua.benefits.models import CounterUsage
from mutua.benefits.models import ClaimItem, Statement
from mutua.payments.models import Payable
from mutua.teletransmission.models import AmChunk, AmException, AmFile
ref = {f"item-{pk}": source for pk, source in ClaimItem.objects.values_list("pk", "source_ref")}
print(json.dumps({
    "files": list(AmFile.objects.values_list("status", "line_count")),
    "items": sorted(
        [i.source_ref, i.status, str(i.am_paid), str(i.paid_total), str(i.out_of_pocket), i.tiers_paid,
         i.rejection_reason, i.review_reasons, i.claim.member.member_number, i.claim.beneficiary_id is not None]
        for i in ClaimItem.objects.select_related("claim__member")),
    "counters": sorted(
        [ref[u.line_id], u.counter, u.scope, str(u.amount), u.count] for u in CounterUsage.objects.all()),
    "payables": sorted([p.claim_item.source_ref, str(p.amount)] for p in Payable.objects.select_related("claim_item")),
    "statements": [Statement.objects.count(), str(sum(s.total_paid for s in Statement.objects.all()))],
    "exceptions": sorted([e.seq, e.reason] for e in AmException.objects.all()),
    "done": sorted(AmChunk.objects.filter(status="done").values_list("first_seq", "line_count")),
}))
"""


class Database:
    """A fresh database of one kind, for processes started with its environment."""

    def __init__(self, kind: str, var_dir: Path) -> None:
        self.kind, self.var_dir = kind, var_dir
        env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}}
        self.env = env | {"MUTUA_ENV": "development", "MUTUA_VAR_DIR": str(var_dir)}
        if kind == "postgres":
            import psycopg

            self.name = f"mutua_kill_{uuid.uuid4().hex[:10]}"
            with psycopg.connect(PG_URL, autocommit=True) as connection:
                connection.execute(f'CREATE DATABASE "{self.name}"')
            self.env["DATABASE_URL"] = PG_URL.rsplit("/", 1)[0] + "/" + self.name

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "mutua.cli", *args],
            cwd=ROOT,
            env=self.env,
            check=check,
            capture_output=True,
            text=True,
            timeout=600,
        )

    def start(self, *args: str) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-m", "mutua.cli", *args],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its worker processes are killed with it
        )

    def chunks_done(self) -> int:
        query = "SELECT count(*) FROM teletransmission_amchunk WHERE status = 'done'"
        if self.kind == "postgres":
            import psycopg

            with psycopg.connect(self.env["DATABASE_URL"]) as connection:
                return connection.execute(query).fetchone()[0]
        with sqlite3.connect(self.var_dir / "mutua.sqlite3", timeout=30) as connection:
            return connection.execute(query).fetchone()[0]

    def prepare(self, file: Path) -> None:
        self.run("migrate", "--noinput", "-v", "0")
        self.run("shell", "--no-imports", "-c", SEED.format(path=str(file)))

    def dump(self) -> dict:
        return json.loads(self.run("shell", "--no-imports", "-c", DUMP).stdout)

    def drop(self) -> None:
        if self.kind == "postgres":
            import psycopg

            with psycopg.connect(PG_URL, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgres"])
def databases(request, tmp_path):
    if request.param == "postgres" and not PG_URL:
        pytest.skip("the PostgreSQL run needs DATABASE_URL=postgres://… (CI runs it)")
    made = [Database(request.param, tmp_path / name) for name in ("killed", "reference")]
    for database in made:
        database.var_dir.mkdir()
    yield made
    for database in made:
        database.drop()


def test_a_worker_killed_mid_file_then_resumed_gives_the_uninterrupted_result(databases, tmp_path):
    killed, reference = databases
    file = tmp_path / "am.txt"
    for database in (killed, reference):
        database.prepare(file)  # the same households and the same file, from the same seed

    reference.run("import-am", str(file), "--workers", "1", "--chunk-lines", "20")

    worker = killed.start("import-am", str(file), "--workers", "1", "--chunk-lines", "20")
    deadline = time.monotonic() + 120
    while killed.chunks_done() < 3:
        assert worker.poll() is None, "the import ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.01)
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait()
    interrupted = killed.dump()
    assert interrupted["files"] == [["processing", 600]]
    done_when_killed = killed.chunks_done()
    assert 0 < len(interrupted["items"]) < 600  # some lines were paid, not all
    # Nothing half-written: exactly the lines of the chunks marked done are paid or queued.
    written = {int(row[0].rsplit("#", 1)[1]) for row in interrupted["items"]} | {
        seq for seq, _reason in interrupted["exceptions"]
    }
    assert written == {seq for first, count in interrupted["done"] for seq in range(first, first + count)}

    resumed = killed.run("import-am", "--resume", "--workers", "1")
    assert resumed.returncode == 0, resumed.stderr
    assert killed.chunks_done() > done_when_killed

    result, expected = killed.dump(), reference.dump()
    result.pop("done"), expected.pop("done")
    assert result["files"] == expected["files"] == [["done", 600]]
    assert len(expected["items"]) + len(expected["exceptions"]) == 600
    assert result == expected
