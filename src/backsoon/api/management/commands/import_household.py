"""`backsoon manage import_household FILE`: load a household export into this server."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from backsoon.api.portability.importer import ImportRefused, import_household


class Command(BaseCommand):
    help = (
        "Load a household export (the zip from “Download the household's data”) as a new "
        "household. People are matched to accounts by email; missing accounts are made "
        "without a password (they choose one with “Forgot your password?”)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the export's .zip file")

    def handle(self, *args, **options):
        path: Path = options["file"]
        try:
            with path.open("rb") as handle:
                result = import_household(handle, create_accounts=True)
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror or exc}") from exc
        except ImportRefused as exc:
            raise CommandError(str(exc)) from exc
        household = result.household
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported “{household.name}” as household {household.pk}: "
                f"{result.people} people, {result.photos} photos."
            )
        )
        for email in result.accounts_created:
            self.stdout.write(f"  new account without a password: {email}")
        if result.photos_missing:
            self.stdout.write(f"  {result.photos_missing} photos were not in the file")
        for name in result.people_left_out:
            self.stdout.write(f"  left out (no email address in the file): {name}")
