"""The registry of rules and normative documents is replaced by government information records;
its rows were copied by ``records`` migration 0004 first."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("proactive", "0001_initial"),
        ("records", "0005_from_normative_documents"),
    ]

    operations = [migrations.DeleteModel(name="NormativeDocument")]
