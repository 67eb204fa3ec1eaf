"""`backsoon manage seed --households N --weeks W`: demo households with a history."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from backsoon.practice import seed as demo


class Command(BaseCommand):
    help = (
        "Create demo households with weeks of practice history (for demos, screenshots and "
        "benchmarks). Not for a server that real families use: the demo accounts share one "
        "password."
    )

    def add_arguments(self, parser):
        parser.add_argument("--households", type=int, default=1, help="how many (default 1)")
        parser.add_argument("--weeks", type=int, default=12, help="weeks of history (default 12)")
        parser.add_argument(
            "--per-week", type=int, default=4, help="practices a week, 1–7 (default 4)"
        )
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
        parser.add_argument(
            "--password", default=demo.DEMO_PASSWORD, help="the demo accounts' password"
        )

    def handle(self, *args, households, weeks, per_week, seed: int, password, **options):
        if not 1 <= households <= 1000:
            raise CommandError("--households takes 1 to 1000, e.g. --households 3")
        if not 0 <= weeks <= 520:
            raise CommandError("--weeks takes 0 to 520, e.g. --weeks 12")
        if not 1 <= per_week <= 7:
            raise CommandError("--per-week takes 1 to 7, e.g. --per-week 4")
        for made in demo.seed(households, weeks, per_week=per_week, seed=seed, password=password):
            self.stdout.write(
                f"{made.household.name} (id {made.household.pk}): {made.separations} times "
                f"apart. Log in as {made.parent_email} (practises) or {made.partner_email}."
            )
        self.stdout.write(f"Password for every demo account: {password}")
