"""The ``mutua`` command.

``mutua plans …`` and ``mutua simulate …`` run the benefits engine alone (no database);
every other subcommand is a Django management command (``mutua migrate``, ``mutua run``…).
"""

import os
import sys

ENGINE_COMMANDS = {"plans", "simulate"}
# Subcommands spelled with a dash on the command line, as the docs write them.
ALIASES = {"import-am": "import_am"}


def django_main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


def main() -> None:
    argv = sys.argv
    if len(argv) > 1 and argv[1] in ENGINE_COMMANDS:
        from engine.cli import main as engine_main

        sys.exit(engine_main(argv[1:]))
    if len(argv) > 1 and argv[1] in ALIASES:
        argv = [argv[0], ALIASES[argv[1]], *argv[2:]]
    django_main(argv)


if __name__ == "__main__":
    main()
