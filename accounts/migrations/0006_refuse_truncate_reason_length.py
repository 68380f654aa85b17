"""TRUNCATE bypasses row triggers, so the append-only tables also get a statement-level BEFORE TRUNCATE trigger
(网络安全法第二十一条; GB/T 22239 audit records). Only a superuser session with ``session_replication_role = replica``
(the ``flush`` command of greenfactory, for test databases and maintenance) passes it; the web process's role is no
superuser and cannot set that (see the README, "Database roles")."""

from django.db import migrations, models

TABLES = ["accounts_auditevent", "django_fsm_log_statelog"]


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION greenfactory_refuse_change();"
        )


def remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_audit_result_labels")]

    operations = [
        migrations.RunPython(install, remove),
        migrations.AlterField(
            model_name="organisation",
            name="refusal_reason",
            field=models.TextField(blank=True, editable=False, max_length=1000, verbose_name="未通过原因"),
        ),
    ]
