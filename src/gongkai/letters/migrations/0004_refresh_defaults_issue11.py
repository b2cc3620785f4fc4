"""Refresh the platform default letters: fee notice states every line of the fee (waiver included),
the presumed receipt and the clock sentence only when the rule is on; extension notice worded
truthfully when approved late; correction notice with its 指导和释明 paragraph (issue 11)."""

from django.db import migrations


def refresh(apps, schema_editor):
    from gongkai.letters.defaults import install_default_templates

    install_default_templates(apps.get_model("letters", "LetterTemplate"), overwrite=True)


class Migration(migrations.Migration):
    dependencies = [("letters", "0003_art35_kinds")]

    operations = [migrations.RunPython(refresh, migrations.RunPython.noop)]
