"""Run every reminder sweep now (the beat runs them every 15 minutes). Safe to run at any time: each reminder is
sent once per person, item and threshold."""

from django.core.management.base import BaseCommand

from accounts.tasks import run_reminders


class Command(BaseCommand):
    help = "Run the reminder sweeps once, now."

    def handle(self, *args, **options):
        results = run_reminders()
        for name, result in sorted(results.items()):
            self.stdout.write(f"{name}: {result}")
