from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from greenfactory.diagrams import render


class Command(BaseCommand):
    help = "Write docs/workflows.md (the state diagram of every workflow) from the declarations; --check compares."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="fail when docs/workflows.md is stale")
        parser.add_argument("--output", default=str(Path(settings.BASE_DIR) / "docs" / "workflows.md"))

    def handle(self, *args, check=False, output="", **options):
        target = Path(output)
        text = render()
        if check:
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                raise CommandError(f"{target} is stale: run `make diagrams` and commit it")
            self.stdout.write(f"{target} is current")
            return
        target.write_text(text, encoding="utf-8")
        self.stdout.write(f"wrote {target}")
