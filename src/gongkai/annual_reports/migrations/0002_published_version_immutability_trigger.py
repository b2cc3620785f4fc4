"""PostgreSQL trigger: a published annual report version (已发布的年度报告版本) never changes.

UPDATE or DELETE of a row whose ``published_at`` is set raises. Drafts stay editable, and
publishing a draft (setting ``published_at``) is an UPDATE of a draft, so it is allowed.
"""

from django.db import migrations

from gongkai.dbguards import frozen_rows_trigger


class Migration(migrations.Migration):
    dependencies = [("annual_reports", "0001_initial")]

    operations = [
        frozen_rows_trigger(
            "annual_reports_reportversion",
            "reportversion_frozen",
            "published report versions are immutable (已发布的年度报告版本不能修改或删除)",
            frozen_when="OLD.published_at IS NOT NULL",
        )
    ]
