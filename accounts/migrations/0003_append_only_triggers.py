"""On PostgreSQL the database itself refuses UPDATE and DELETE on the audit trail and the transition log, so not
even a raw query through the application can rewrite history (网络安全法第二十一条; GB/T 22239 audit records)."""

from django.db import migrations

TABLES = ["accounts_auditevent", "django_fsm_log_statelog"]

FUNCTION = """
CREATE OR REPLACE FUNCTION greenfactory_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'append-only table %%: %% refused', TG_TABLE_NAME, TG_OP;
END;
$$ LANGUAGE plpgsql;
"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION greenfactory_refuse_change();"
        )


def remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
    schema_editor.execute("DROP FUNCTION IF EXISTS greenfactory_refuse_change();")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_reference_data"), ("django_fsm_log", "0005_description_null")]

    operations = [migrations.RunPython(install, remove)]
