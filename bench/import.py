"""Teletransmission: end-to-end lines per second of an AM statement file, and PostgreSQL's COPY as the ceiling.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/import.py [--lines N] [--workers W]

On a throw-away test database: creates covered households (about one per 3.5 lines), writes
a realistic file of ``--lines`` acts (``mutua.teletransmission.fakes``), then times ``mutua import-am``
run in processes of its own: the file checked whole, cut into chunks, and every line matched, paid by
the engine and written (claims, items, counters, statements, payables, exceptions) by ``--workers``
processes; and prints the peak memory of the largest of those processes. Then loads the same act
records into a table of the same columns with COPY, the fastest way PostgreSQL knows to take rows in.
Prints figures; asserts nothing.
"""

import argparse
import cProfile
import io
import logging
import os
import pstats
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.test_settings"

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.runner import DiscoverRunner  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from mutua.benefits.models import Claim, ClaimItem, CounterUsage, Statement  # noqa: E402
from mutua.contracts.models import GroupContract  # noqa: E402
from mutua.payments.models import Payable  # noqa: E402
from mutua.teletransmission import fakes  # noqa: E402
from mutua.teletransmission.models import AmException, AmFile  # noqa: E402
from mutua.teletransmission.selectors import am_file_summary  # noqa: E402
from mutua.teletransmission.services import am_chunk_process_next, am_file_import  # noqa: E402

COPY_TABLE = """
CREATE TABLE bench_am_copy (
    record char(3), seq integer, nir char(15), rank smallint, birth_date date, care_date date,
    system varchar(4), code varchar(20), quantity smallint, charged numeric(10,2), br numeric(10,2),
    rate smallint, mr numeric(10,2), overrun numeric(10,2), qualifiers varchar(40), provider varchar(11)
)
"""


def profile_one_chunk(am_file_id: int, chunk_lines: int) -> None:
    """The first chunk timed in this process, then the second under cProfile: where its time goes."""
    started = time.perf_counter()
    am_chunk_process_next(am_file_id=am_file_id)
    elapsed = time.perf_counter() - started
    print(f"ONE CHUNK, NOT PROFILED: {elapsed:.2f} s, {chunk_lines / elapsed:,.0f} lines/s in one process")
    profiler = cProfile.Profile()
    profiler.enable()
    am_chunk_process_next(am_file_id=am_file_id)
    profiler.disable()
    report = io.StringIO()
    stats = pstats.Stats(profiler, stream=report).strip_dirs()
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(45)
    print("PROFILE OF ONE CHUNK (cumulative, then own time):")
    print(report.getvalue())


# Started from this set-up, a process would count its memory as its own peak (Linux keeps the peak
# across exec): a small launcher starts the command and reads the peak of the command's processes.
LAUNCHER = """
import os, subprocess, sys
process = subprocess.Popen(sys.argv[2:])
_pid, status, usage = os.wait4(process.pid, 0)
with open(sys.argv[1], "w") as report:
    report.write(f"{usage.ru_maxrss} {usage.ru_utime + usage.ru_stime}")
sys.exit(os.waitstatus_to_exitcode(status))
"""


def run_measured(command: list[str], environment: dict[str, str]) -> tuple[float, float]:
    """Run ``command``; the peak memory (MiB) of the largest of its processes, the workers it forked
    included, and the processor time (s) they used together."""
    with tempfile.NamedTemporaryFile("r") as report:
        subprocess.run([sys.executable, "-c", LAUNCHER, report.name, *command], env=environment, check=True)
        peak, cpu = report.read().split()
        return int(peak) / 1024, float(cpu)  # KiB on Linux


def database_cpu() -> float | None:
    """Processor time (s) PostgreSQL's finished processes have used so far (the server's children:
    each connection's process adds its time when it ends); None when the server is not on this machine."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW data_directory")
        (directory,) = cursor.fetchone()
    try:
        server = int((Path(directory) / "postmaster.pid").read_text().split()[0])
        fields = Path(f"/proc/{server}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, ValueError, IndexError):
        return None
    return (int(fields[13]) + int(fields[14])) / os.sysconf("SC_CLK_TCK")  # cutime + cstime


def database_url() -> str:
    """The test database this bench set up, for the import-am processes."""
    database = connection.settings_dict
    return f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--chunk-lines", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument(
        "--profile",
        action="store_true",
        help="time one chunk in this process, then profile the next and print where its time goes",
    )
    options = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("bench/import.py measures PostgreSQL: set DATABASE_URL=postgres://…")
    setup_test_environment()
    runner = DiscoverRunner(verbosity=0)
    databases = runner.setup_databases()
    try:
        with open(os.devnull, "w") as quiet:
            call_command("load_demo", stdout=quiet)
        contract = GroupContract.objects.order_by("pk").first()
        started = time.perf_counter()
        households = fakes.households_create(
            contract=contract, count=max(10, int(options.lines / 3.5)), seed=options.seed
        )
        print(f"set-up: {len(households):,} households in {time.perf_counter() - started:.1f} s")
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / "am.txt"
            with path.open("w", encoding="utf-8") as file:
                for record in fakes.file_records(
                    households=households, lines=options.lines, file_id="BENCH-1", seed=options.seed
                ):
                    file.write(record + "\n")
            size = path.stat().st_size
            print(f"file: {options.lines:,} lines, {size / 2**20:.0f} MiB")

            # As a user runs it, in processes of its own: the peak memory measured is theirs, not this set-up's.
            command = [sys.executable, "-m", "mutua.cli", "import-am", "--workers", str(options.workers)]
            # The development settings, as on a machine running import-am: tasks it queues (the households'
            # e-mails) wait in a queue of its own for the queue's workers, not run in these processes.
            environment = {
                **os.environ,
                "DATABASE_URL": database_url(),
                "DJANGO_SETTINGS_MODULE": "config.settings",
                "MUTUA_ENV": "development",
                "MUTUA_VAR_DIR": directory,
                "SECRET_KEY": settings.SECRET_KEY,
                "FIELD_ENCRYPTION_KEYS": ",".join(settings.FIELD_ENCRYPTION_KEYS),
                "SEARCH_HASH_KEY": settings.SEARCH_HASH_KEY,
            }
            database_before = database_cpu()
            started = time.perf_counter()
            if options.profile:
                am_file = am_file_import(path=path, chunk_lines=options.chunk_lines)
                profile_one_chunk(am_file.pk, options.chunk_lines)
                started = time.perf_counter()
                peak, cpu = run_measured([*command, "--resume"], environment)
            else:
                peak, cpu = run_measured([*command, "--chunk-lines", str(options.chunk_lines), str(path)], environment)
            finished = time.perf_counter()
            database_after = database_cpu()
            end_to_end = options.lines / (finished - started)
            am_file = AmFile.objects.get(file_id="BENCH-1")
            summary = am_file_summary(am_file=am_file)
            print(
                f"outcome: {summary['accepted']:,} paid ({summary['paid']} €), {summary['review']:,} to a handler, "
                f"{summary['rejected']:,} refused, {summary['exceptions']:,} exceptions; file {am_file.status}"
            )
            print(
                f"rows written: {Claim.objects.count():,} claims, {ClaimItem.objects.count():,} items, "
                f"{CounterUsage.objects.count():,} counter usages, {Statement.objects.count():,} statements, "
                f"{Payable.objects.count():,} payables, {AmException.objects.count():,} exceptions"
            )
            print(f"END-TO-END: {end_to_end:,.0f} lines/s ({finished - started:.1f} s for {options.lines:,} lines)")
            database = "unknown (not on this machine)"
            if database_before is not None and database_after is not None:
                database = f"{database_after - database_before:.1f} s"
            print(
                f"PROCESSOR TIME: import-am {cpu:.1f} s, PostgreSQL {database}, "
                f"for {finished - started:.1f} s on {os.cpu_count()} cores"
            )
            print(
                f"PEAK MEMORY: {peak:,.0f} MiB for the "
                "largest process of import-am (the command checking and cutting the file, or a worker)"
            )

            with connection.cursor() as cursor:
                cursor.execute(COPY_TABLE)
            started = time.perf_counter()
            with (
                connection.cursor() as cursor,
                path.open("rb") as source,
                cursor.copy("COPY bench_am_copy FROM STDIN (FORMAT text, DELIMITER '|')") as copy,
            ):
                for raw in source:
                    if raw.startswith(b"255|"):
                        copy.write(raw)
            copy_rate = options.lines / (time.perf_counter() - started)
            print(f"COPY CEILING: {copy_rate:,.0f} lines/s (the same act records into a table of their columns)")
            print(f"RATIO end-to-end / COPY: {end_to_end / copy_rate:.1%}")
    finally:
        runner.teardown_databases(databases)


if __name__ == "__main__":
    logging.disable(logging.INFO)
    main()
