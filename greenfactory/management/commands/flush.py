"""Django's ``flush`` (which test databases also use between transactional tests) on an append-only trail.

On PostgreSQL the audit trail and the transition log refuse TRUNCATE (migration accounts 0006). A flush empties the
whole database on purpose, so its TRUNCATE runs with ``session_replication_role = replica`` for that one transaction:
user triggers do not fire then, and only a superuser may set it. The web process's role is no superuser, so for it
the trigger stands (README, "Database roles")."""

from django.core.management.commands import flush
from django.db import connections


def _truncate_as_replica(execute, sql, params, many, context):
    if sql.lstrip().upper().startswith("TRUNCATE"):
        execute("SET LOCAL session_replication_role = replica", None, False, context)
    return execute(sql, params, many, context)


class Command(flush.Command):
    def handle(self, **options):
        connection = connections[options["database"]]
        if connection.vendor != "postgresql":
            return super().handle(**options)
        with connection.execute_wrapper(_truncate_as_replica):
            return super().handle(**options)
