from pathlib import Path

from django.core.management.base import BaseCommand

from greenfactory.backup import backup


class Command(BaseCommand):
    help = "Back up every table and uploaded file into one .tar.gz with a manifest of row counts and hashes."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path, **options):
        manifest = backup(path)
        self.stdout.write(f"{path}: {sum(manifest['rows'].values())} rows, {len(manifest['files'])} files")
