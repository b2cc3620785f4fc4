"""查询码 stored hashed: existing codes are hashed in place (applicants keep using theirs), then
the clear column is dropped."""

from django.conf import settings
from django.db import migrations, models

from gongkai.core import query_codes


def hash_existing_codes(apps, schema_editor):
    Application = apps.get_model("applications", "Application")
    batch = []
    for app in Application.objects.only("pk", "query_code").iterator(chunk_size=2000):
        app.query_code_hash = query_codes.hash_code(app.query_code, settings.SECRET_KEY) if app.query_code else ""
        batch.append(app)
        if len(batch) >= 2000:
            Application.objects.bulk_update(batch, ["query_code_hash"])
            batch = []
    if batch:
        Application.objects.bulk_update(batch, ["query_code_hash"])


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0006_fee_notice_pieces_and_receipt"),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="query_code_hash",
            field=models.CharField(blank=True, editable=False, max_length=128, verbose_name="查询码（散列值）"),
        ),
        migrations.RunPython(hash_existing_codes, migrations.RunPython.noop),
        migrations.RemoveField(model_name="application", name="query_code"),
    ]
