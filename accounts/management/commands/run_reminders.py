"""Run every reminder sweep now (the beat runs them every 15 minutes). Safe to run at any time: each reminder is
sent once per person, item and threshold.

``--date YYYY-MM-DD`` runs the clock sweep as on that day; ``--dry-run`` only lists what it would send and chase
(nothing is sent, nothing recorded)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from accounts.deadline_reminders import deadlines_plan, deadlines_sweep
from accounts.tasks import run_reminders


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--date takes a date as YYYY-MM-DD, not {value!r}") from None


class Command(BaseCommand):
    help = "Run the reminder sweeps once, now (or the clock sweep as on --date; --dry-run lists without sending)."

    def add_arguments(self, parser):
        parser.add_argument("--date", type=_day, help="run the clock sweep as on this day (YYYY-MM-DD)")
        parser.add_argument("--dry-run", action="store_true", help="list what would be sent; send and record nothing")

    def handle(self, *args, **options):
        day, dry_run = options["date"], options["dry_run"]
        if dry_run:
            plan = deadlines_plan(today=day)
            for message in plan.reminders:
                self.stdout.write(f"remind {message.recipient.username} [{message.threshold}] {message.title}")
            for deadline, level, planned in plan.escalations:
                self.stdout.write(f"chase deadline {deadline.pk} to {level or '-'}: "
                                  f"{', '.join(p.recipient.username for p in planned) or '-'}"
                                  f"{(' — ' + planned[0].title) if planned else ''}")
            for deadline, year in plan.skipped:
                self.stdout.write(f"left out: deadline {deadline.pk} ({deadline.kind}, due {deadline.due_on}) — "
                                  f"the holidays of {year} are not entered")
            self.stdout.write(f"dry run for {day or 'today'}: {len(plan.reminders)} reminder(s), "
                              f"{len(plan.escalations)} chase(s), {len(plan.skipped)} left out; nothing sent")
            return
        if day is not None:
            self.stdout.write(f"accounts.deadlines ({day}): {deadlines_sweep(today=day)}")
            return
        results = run_reminders()
        for name, result in sorted(results.items()):
            self.stdout.write(f"{name}: {result}")
