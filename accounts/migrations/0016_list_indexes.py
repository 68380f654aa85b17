from django.db import migrations, models

# The list pages' "contains" searches (Django's icontains is UPPER(column::text) LIKE UPPER(%s) on PostgreSQL): a
# pg_trgm GIN index on the same expression serves them for a search of three characters or more. PostgreSQL only;
# on SQLite this does nothing (its LIKE scans, and the data sets it holds are small).
TRIGRAM_INDEXES = {
    "organisation_name_trgm": ("accounts_organisation", "name"),
    "organisation_credit_code_trgm": ("accounts_organisation", "credit_code"),
    "user_username_trgm": ("accounts_user", "username"),
    "user_full_name_trgm": ("accounts_user", "full_name"),
    "audit_username_trgm": ("accounts_auditevent", "username"),
}


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, (table, column) in TRIGRAM_INDEXES.items():
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
                              f'USING gin (UPPER("{column}"::text) gin_trgm_ops)')


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in TRIGRAM_INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0015_scope_review_task_clock'),
        ('auth', '0012_alter_user_first_name_max_length'),
    ]

    operations = [
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes, elidable=False),
        migrations.AddIndex(
            model_name='auditevent',
            index=models.Index(fields=['-timestamp', '-id'], name='audit_newest_first'),
        ),
        migrations.AddIndex(
            model_name='auditevent',
            index=models.Index(fields=['action', '-timestamp', '-id'], name='audit_action_newest_first'),
        ),
        migrations.AddIndex(
            model_name='identitychange',
            index=models.Index(fields=['status', 'created_at'], name='identity_change_queue'),
        ),
        migrations.AddIndex(
            model_name='notification',
            index=models.Index(fields=['recipient', '-created_at', '-id'], name='notification_inbox'),
        ),
        migrations.AddIndex(
            model_name='organisation',
            index=models.Index(fields=['district', 'status', 'created_at'], name='organisation_district_queue'),
        ),
        migrations.AddIndex(
            model_name='organisation',
            index=models.Index(fields=['status', 'district'], name='organisation_status'),
        ),
        migrations.AddIndex(
            model_name='user',
            index=models.Index(condition=models.Q(('role', 'enterprise'), _negated=True), fields=['role'], name='user_role'),
        ),
    ]
