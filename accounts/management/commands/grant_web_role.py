"""Give the web process's PostgreSQL role what it needs and nothing more (README, "Database roles").

Run by the owner role after every ``migrate``: SELECT, INSERT, UPDATE, DELETE on the tables and USAGE on the
sequences, but only SELECT and INSERT on the append-only audit trail and transition log (网络安全法第二十一条). The web
role owns nothing, so it can neither truncate, alter nor drop a table, nor disable or drop a trigger; it is no
superuser, so it cannot switch triggers off with ``session_replication_role`` either."""

import re

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

APPEND_ONLY_TABLES = ("accounts_auditevent", "django_fsm_log_statelog")


class Command(BaseCommand):
    help = "Grant the web process's database role the least privileges it needs (PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("role", help="the PostgreSQL role the web process and workers log in as")

    def handle(self, *args, role, **options):
        if connection.vendor != "postgresql":
            raise CommandError("grant_web_role is for PostgreSQL only")
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,62}", role):
            raise CommandError("the role name must be a plain identifier")
        quote = connection.ops.quote_name
        name = quote(role)
        tables = connection.introspection.table_names()
        statements = [
            f"GRANT USAGE ON SCHEMA public TO {name}",
            f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {name}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {name}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {name}",
        ]
        statements += [
            f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {quote(table)} FROM {name}"
            for table in APPEND_ONLY_TABLES if table in tables
        ]
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
        self.stdout.write(f"{role}: read/write on {len(tables)} tables, insert-only on {', '.join(APPEND_ONLY_TABLES)}")
