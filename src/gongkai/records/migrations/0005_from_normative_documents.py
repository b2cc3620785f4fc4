"""Data migration: the old registry of rules and normative documents (proactive.NormativeDocument)
becomes government information records, so the annual report's Section 2 comes from the records.

Each document becomes a record of its agency (规章 or 行政规范性文件) with 成文日期 = issue date;
published ones are 已公开 with their 发布日期 and a 索引号 allocated in publication order (the
per-agency, per-year counters continue from there); unpublished ones are kept as not proactively
disclosed (依申请公开, reason recorded); abolished or expired ones carry the date. Every record gets a
``migrate`` event saying where it came from. Idempotent (``source_key`` = ``proactive:<id>``).
The search app's ``post_migrate`` step (:func:`gongkai.search.services.after_migrate`) then
indexes them; no ``gongkai reindex`` is needed.
"""

from django.conf import settings
from django.db import migrations
from django.utils import timezone

KIND_CATEGORY = {"rules": "rule", "admin_normative_docs": "normative"}
STATUS_VALIDITY = {"in_force": "in_force", "abolished": "repealed", "expired": "expired"}


def forwards(apps, schema_editor):
    NormativeDocument = apps.get_model("proactive", "NormativeDocument")
    Record = apps.get_model("records", "Record")
    RecordEvent = apps.get_model("records", "RecordEvent")
    IndexCounter = apps.get_model("records", "IndexCounter")
    IssuerCode = apps.get_model("records", "IssuerCode")
    pattern = getattr(settings, "GONGKAI_RECORD_INDEX_PATTERN", "{issuer_code}/{year}-{serial:05d}")
    codes = dict(IssuerCode.objects.values_list("agency_id", "code"))
    done = set(Record.objects.filter(source_key__startswith="proactive:").values_list("source_key", flat=True))
    now = timezone.now()
    docs = NormativeDocument.objects.order_by("published_date", "issue_date", "pk")
    for doc in docs.iterator():
        key = f"proactive:{doc.pk}"
        if key in done:
            continue
        validity = STATUS_VALIDITY.get(doc.status, "in_force")
        published = bool(doc.published and doc.published_date)
        if published:
            state = {"in_force": "published", "repealed": "repealed", "expired": "expired"}[validity]
        else:
            state = "withheld"
        rec = Record(
            agency_id=doc.agency_id,
            category=KIND_CATEGORY.get(doc.kind, "normative"),
            title=doc.title[:500],
            doc_number=doc.doc_number,
            written_on=doc.issue_date,
            formed_on=doc.issue_date,
            published_on=doc.published_date if published else None,
            disclosure_attribute="proactive" if published else "on_request",
            attribute_reason="" if published else "原规范性文件登记中标注为未主动公开（迁移）",
            attribute_basis="" if published else "待复核",
            validity=validity,
            validity_changed_on=doc.abolition_date if validity != "in_force" else None,
            state=state,
            art_item="20-1",
            source_key=key,
            source_url=doc.url[:500],
            created_by_id=doc.created_by_id,
        )
        if published:
            year = doc.published_date.year
            counter, _ = IndexCounter.objects.get_or_create(agency_id=doc.agency_id, year=year)
            counter.last_serial += 1
            counter.save(update_fields=["last_serial"])
            rec.index_year, rec.index_serial = year, counter.last_serial
            code = codes.get(doc.agency_id) or f"{doc.agency_id:09d}"
            rec.index_number = pattern.format(issuer_code=code, year=year, serial=counter.last_serial)
        rec.save()
        RecordEvent.objects.create(
            record=rec,
            seq=1,
            action="migrate",
            label="由原规章和规范性文件登记迁移",
            to_state=state,
            actor_label="系统",
            at=now,
            effective_date=doc.issue_date,
            data={
                "normative_document": doc.pk,
                "effective_date": doc.effective_date.isoformat() if doc.effective_date else None,
                "status": doc.status,
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0004_random_file_names"),
        ("proactive", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
