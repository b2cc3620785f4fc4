"""Default topic taxonomy (主题分类): see ``gongkai.records.default_topics``."""

from django.db import migrations

from gongkai.records.default_topics import TOPICS


def forwards(apps, schema_editor):
    Topic = apps.get_model("records", "Topic")
    for i, (code, name, children) in enumerate(TOPICS, start=1):
        parent, _ = Topic.objects.get_or_create(code=code, defaults={"name": name, "sort": i * 100})
        for j, child in enumerate(children, start=1):
            Topic.objects.get_or_create(
                code=f"{code}{j:02d}", defaults={"name": child, "parent": parent, "sort": i * 100 + j}
            )


class Migration(migrations.Migration):
    dependencies = [("records", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
