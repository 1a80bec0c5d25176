"""Fetch the ECB's reference rates now (the background worker does it every working day)."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mutua.core.rates import RatesRefused, rates_refresh


class Command(BaseCommand):
    help = "Fetch the ECB's history of reference rates and convert with it from now on."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--url", help="Another address of the same file (a mirror, a file:// copy).")

    def handle(self, *args: object, **options: object) -> None:
        try:
            last = rates_refresh(url=options["url"] or None)
        except (OSError, RatesRefused) as error:
            raise CommandError(f"Rates not refreshed, the ones in use are kept: {error}") from error
        self.stdout.write(f"ECB rates in use up to {last:%Y-%m-%d}.")
