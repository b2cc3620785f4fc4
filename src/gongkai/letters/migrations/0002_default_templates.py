"""Load the platform default letter templates (one per kind)."""

from django.db import migrations


def load(apps, schema_editor):
    from gongkai.letters.defaults import install_default_templates

    install_default_templates(apps.get_model("letters", "LetterTemplate"))


def unload(apps, schema_editor):
    apps.get_model("letters", "LetterTemplate").objects.filter(agency__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("letters", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
