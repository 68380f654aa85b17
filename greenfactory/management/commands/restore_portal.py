from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from greenfactory.backup import RestoreError, restore


class Command(BaseCommand):
    help = "Restore a backup_portal archive into a freshly migrated, empty database; checks counts and hashes."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path, **options):
        try:
            manifest = restore(path)
        except RestoreError as error:
            raise CommandError(f"restore failed: {error}") from error
        self.stdout.write(f"restored {sum(manifest['rows'].values())} rows and {len(manifest['files'])} files; "
                          "counts and hashes match")
