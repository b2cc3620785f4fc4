"""The demo region: size, spread over every category, determinism and consistent histories."""

import datetime as dt
import hashlib

import pytest
from django.core.management import call_command

from gongkai.agencies.models import Agency
from gongkai.applications.models import OPEN_STATES, Application, ApplicationEvent, ApplicationState, Channel
from gongkai.core.report_schema import applicant_type_choices, outcome_choices

pytestmark = pytest.mark.django_db(transaction=True)

AS_OF = dt.date(2026, 11, 23)


def _digest() -> str:
    rows = Application.objects.order_by("tracking_number").values_list(
        "tracking_number",
        "applicant_type",
        "channel",
        "state",
        "outcome",
        "received_date",
        "closed_on",
        "due_date",
    )
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()


def test_demo_region_is_complete_deterministic_and_consistent():
    call_command("load_demo", seed=7, as_of=AS_OF, verbosity=0)
    assert Agency.objects.count() >= 10
    assert Agency.objects.filter(parent__isnull=True).count() == 1
    assert Agency.objects.filter(kind="street_office").exists()
    apps = Application.objects.all()
    assert apps.count() >= 2000
    years = {d.year for d in apps.values_list("received_date", flat=True)}
    assert years == {2024, 2025, 2026}
    assert set(apps.values_list("state", flat=True)) == set(ApplicationState.values)
    assert set(apps.values_list("channel", flat=True)) == set(Channel.values)
    assert set(apps.values_list("applicant_type", flat=True)) == {k for k, _ in applicant_type_choices()}
    closed_outcomes = set(apps.exclude(state__in=OPEN_STATES).values_list("outcome", flat=True))
    assert {k for k, _ in outcome_choices("2021")} <= closed_outcomes
    # Proportions like the Fengtai 2023 table: 本机关不掌握 is the largest result row, then 予以公开.
    from collections import Counter

    counts = Counter(apps.exclude(state__in=OPEN_STATES).values_list("outcome", flat=True))
    top = [k for k, _ in counts.most_common(2)]
    assert top == ["unable_not_held", "granted"]

    # Histories: seq is 1..n, each event starts where the previous one ended, last = current state.
    # Every step is one the workflow's transition table allows, by a role it allows.
    from gongkai.agencies.models import Membership
    from gongkai.applications.services.workflow import APPLICANT, TRANSITIONS

    roles = {(m.user_id, m.agency_id): m.role for m in Membership.objects.all()}
    agency_of = dict(apps.values_list("pk", "agency_id"))
    by_app: dict[int, list] = {}
    for e in ApplicationEvent.objects.order_by("application_id", "seq").values_list(
        "application_id", "seq", "from_state", "to_state", "action", "actor_id"
    ):
        by_app.setdefault(e[0], []).append(e)
        if e[1] == 1:
            assert e[4] == "submit"
            continue
        t = TRANSITIONS[e[4]]
        assert e[2] in t.sources and e[3] == (t.target or e[2]), e  # None: the state stays
        role = APPLICANT if e[5] is None else roles[(e[5], agency_of[e[0]])]
        assert role in t.roles, (e, role)
    states = dict(apps.values_list("pk", "state"))
    assert set(by_app) == set(states)
    for pk, events in by_app.items():
        assert [e[1] for e in events] == list(range(1, len(events) + 1))
        for prev, nxt in zip(events, events[1:]):
            assert nxt[2] == prev[3]
        assert events[-1][3] == states[pk]

    # A correction request carries its deadline (so 视为放弃 becomes possible once it lapses).
    assert not apps.exclude(correction_requested_on=None).filter(correction_deadline=None).exists()

    # Closed cases carry their outcome and closing date; open ones neither.
    assert not apps.filter(state__in=OPEN_STATES).exclude(closed_on=None).exists()
    assert not apps.exclude(state__in=OPEN_STATES).filter(closed_on=None).exists()

    # Published 2024 and 2025 reports for every agency and the whole city, all passing validation.
    from gongkai.annual_reports.models import AnnualReport

    for year in (2024, 2025):
        published = AnnualReport.objects.filter(year=year, status="published")
        assert published.filter(scope="single").count() == Agency.objects.count()
        city_report = published.get(scope="subtree", agency__parent__isnull=True)
        assert city_report.current_version.error_count == 0
        assert not published.filter(current_version__error_count__gt=0).exists()
        assert not published.exclude(current_version__override_reason="").exists()
        # The city's region report is the sum of every agency's own report.
        total = sum(
            r.current_version.data["tables"]["applications"]["new_received"]["total"]
            for r in published.filter(scope="single")
        )
        assert city_report.current_version.data["tables"]["applications"]["new_received"]["total"] == total

    # Recent answered cases of the showcase agency carry their real reply letters.
    from gongkai.letters.models import GeneratedDocument

    replies = GeneratedDocument.objects.filter(kind="reply")
    assert replies.count() >= 10
    assert all(d.issue_date == d.application.answered_on for d in replies.select_related("application"))
    assert all(d.pdf.read(5) == b"%PDF-" for d in replies[:3])
    # ... whose text is the answer category's own decision with its legal basis.
    from gongkai.core.answers import answer

    for d in replies.select_related("application")[:5]:
        assert d.application.answer_text in d.rendered_text
        assert answer(d.application.outcome).citations[0].ref in d.rendered_text

    # Sample report files (issue 11 item 13): made by the renderers, imported once, one broken.
    from gongkai.demo.samples import BROKEN_NAME, SAMPLES, samples_dir
    from gongkai.report_import.models import ImportBatch, ImportedReport

    names = {p.name for p in samples_dir().iterdir()}
    assert names == {n for _, n, _ in SAMPLES} | {BROKEN_NAME}
    batch = ImportBatch.objects.get(label="示例报告（演示数据）")
    assert (batch.total, batch.done, batch.failed) == (4, 3, 1)
    assert batch.items.get(status="failed").path == BROKEN_NAME
    imported = {r.source_name: r for r in ImportedReport.objects.filter(batch=batch)}
    assert set(imported) == {n for _, n, _ in SAMPLES}
    altered = imported[SAMPLES[2][1]]
    assert altered.agency.name == "临江市教育局" and altered.error_count >= 1
    assert imported[SAMPLES[0][1]].agency.name == "临江市江北区卫生健康委员会"
    assert imported[SAMPLES[1][1]].error_count == 0
    # Government information records: >= 3,000 over 2019-2026 in every agency, 文号 per issuer,
    # amended / repealed ones linked to the replacing document, clean-up campaigns, Art. 26 overdue.
    from gongkai.core import record_lifecycle as lc
    from gongkai.proactive.stats import section2
    from gongkai.records.models import CleanupCampaign, Record, RecordEvent
    from gongkai.records.services import clock as record_clock

    records = Record.objects.all()
    assert records.count() >= 3000
    assert {d.year for d in records.values_list("written_on", flat=True)} == set(range(2019, 2027))
    assert set(records.values_list("agency_id", flat=True)) == set(
        Agency.objects.values_list("pk", flat=True)
    )
    assert set(records.values_list("category", flat=True)) == {c for c, _ in lc.CATEGORY_CHOICES}
    numbers = list(records.exclude(doc_number="").values_list("agency_id", "doc_number"))
    assert len(numbers) == len(set(numbers))  # 文号 unique per issuer
    published = records.filter(state__in=lc.DISCLOSED_STATES)
    assert published.filter(index_number="").count() == 0
    amended = records.filter(state=lc.AMENDED)
    assert amended.exists() and not amended.filter(replaced_by=None).exists()
    assert records.filter(state=lc.REPEALED).exclude(replaced_by=None).exists()
    assert records.filter(record_clock.overdue_q(AS_OF)).exists()
    assert records.filter(state=lc.WITHHELD, next_reassessment_on__lte=AS_OF).exists()
    assert CleanupCampaign.objects.filter(state="applied").exists()
    assert CleanupCampaign.objects.filter(state="open").exists()
    # every record's trail ends in its state
    last = {}
    for rec_id, to_state in RecordEvent.objects.order_by("record_id", "seq").values_list(
        "record_id", "to_state"
    ):
        last[rec_id] = to_state
    assert last == dict(records.values_list("pk", "state"))
    # the published Section 2 (2025) equals the records
    city_2025 = AnnualReport.objects.get(year=2025, scope="subtree", agency__parent__isnull=True)
    ids = list(Agency.objects.values_list("pk", flat=True))
    assert city_2025.current_version.data["tables"]["art20_1"] == section2(ids, 2025, "2021")["art20_1"]

    first = _digest()
    call_command("load_demo", seed=7, as_of=AS_OF, reset=True, verbosity=0)
    assert _digest() == first
