"""Demo proactive-disclosure data, appeals, and the published 2024 and 2025 annual reports.

Reports go through the real services (compute from live data → validate → publish by the head);
only the publication time is then set back to a plausible day in the publishing season, because
the demo simulates years that have passed. Two agencies publish their 2024 report late so that the
supervisor view has something to show.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from gongkai.agencies.models import Agency, AgencyKind, Role
from gongkai.annual_reports.services import reports as report_services
from gongkai.appeals.models import Appeal, AppealKind, AppealOutcome
from gongkai.applications.models import Application
from gongkai.core.report_render.layout import region_name
from gongkai.proactive.models import Art20Count

from .region import REGION, username

REPORT_YEARS = (2024, 2025)
LATE_2024 = ("jb_changqiao", "jn_urban")  # published after the statutory date
REFUSED_PREFIXES = ("withheld_", "partial", "unable_", "np_")


def generate_art20_counts(agencies: dict[str, Agency], *, seed: int) -> int:
    """Art. 20 (5), (6), (8) counts per agency and year (documents are records: demo.records)."""
    rng = random.Random(seed + 1)
    counts: list[Art20Count] = []
    for spec in REGION:
        agency = agencies[spec.slug]
        scale = 3.0 if agency.kind == AgencyKind.DEPARTMENT else 1.0
        for year in (2023, 2024, 2025, 2026):
            counts += [
                Art20Count(
                    agency=agency,
                    year=year,
                    kind="admin_licensing",
                    decisions=int(rng.randint(200, 4000) * scale),
                ),
                Art20Count(
                    agency=agency,
                    year=year,
                    kind="admin_penalty",
                    decisions=int(rng.randint(10, 900) * scale),
                ),
                Art20Count(agency=agency, year=year, kind="admin_coercion", decisions=rng.randint(0, 40)),
                Art20Count(
                    agency=agency,
                    year=year,
                    kind="admin_fees",
                    fee_amount=(Decimal(rng.randint(0, 5_000_000)) / Decimal(10_000)).quantize(
                        Decimal("0.0001")
                    ),
                ),
            ]
    Art20Count.objects.bulk_create(counts)
    return len(counts)


def generate_appeals(*, seed: int, as_of: dt.date) -> int:
    """Reconsideration and litigation against about one refusal in twelve; recent ones pending."""
    rng = random.Random(seed + 2)
    appeals: list[Appeal] = []
    refused = Application.objects.filter(
        outcome__regex=r"^(withheld_|partial|unable_|np_)", answered_on__isnull=False
    )
    for app in refused.order_by("pk").select_related("agency"):
        if rng.random() > 0.085:
            continue
        filed = app.answered_on + dt.timedelta(days=rng.randint(10, 55))
        if filed > as_of:
            continue
        kind = rng.choices(
            [AppealKind.REVIEW, AppealKind.LIT_DIRECT, AppealKind.LIT_AFTER_REVIEW], [70, 20, 10]
        )[0]
        decided = filed + dt.timedelta(
            days=rng.randint(40, 200) if kind == AppealKind.REVIEW else rng.randint(90, 400)
        )
        outcome = rng.choices(
            [AppealOutcome.UPHELD, AppealOutcome.CORRECTED, AppealOutcome.OTHER], [70, 8, 22]
        )[0]
        if decided > as_of:
            decided, outcome = None, AppealOutcome.PENDING
        body = app.agency.reconsideration_body if kind == AppealKind.REVIEW else app.agency.court
        prefix = "临政复" if kind == AppealKind.REVIEW else "临行初"
        appeals.append(
            Appeal(
                kind=kind,
                agency=app.agency,
                application=app,
                case_number=f"{prefix}〔{filed.year}〕{len(appeals) + 1}号",
                body=body,
                filed_date=filed,
                decided_date=decided,
                outcome=outcome,
                summary=f"申请人不服{app.tracking_number}答复",
            )
        )
    Appeal.objects.bulk_create(appeals)
    return len(appeals)


def _narratives(
    agency: Agency, year: int, scope_label: str, new_received: int, results: int
) -> dict[str, str]:
    who = scope_label or agency.name
    return {
        "overview": (
            f"{year}年，{who}认真贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、不公开为例外，"
            f"围绕主动公开、依申请公开、政府信息管理、平台建设和监督保障等方面扎实推进政府信息公开工作。"
            f"全年新收政府信息公开申请{new_received}件，办结{results}件，均在法定期限内作出答复或依法处理。"
        ),
        "problems": (
            "一是部分答复援引法条不够精准，说理不够充分；二是个别承办人员对期限计算和调休工作日把握不准。"
            "下一步将加强业务培训，依托平台自动计算答复期限、统一答复文书模板，提升依申请公开办理质量。"
        ),
        # the fee figures follow as their own sentence (2021 format): no 「见下表」 without a table
        "other_matters": f"{year}年，{'本行政区域' if scope_label else '本机关'}无其他需要报告的事项。",
    }


def publish_reports(agencies: dict[str, Agency]) -> int:
    """Compute, validate and publish 2024 and 2025 reports for every agency and each region."""
    users = {u.username: u for u in get_user_model().objects.filter(username__endswith="_head")}
    scopes = [(spec.slug, False) for spec in REGION] + [("city", True), ("jb", True), ("jn", True)]
    published = 0
    for year in REPORT_YEARS:
        for slug, subtree in scopes:
            agency = agencies[slug]
            head = users[username(slug, Role.HEAD)]
            report, draft = report_services.get_or_create_draft(agency, year, subtree=subtree, user=head)
            table = draft.data["tables"]["applications"]
            scope_label = region_name(agency.name) if subtree else ""  # 临江市, not 临江市人民政府
            texts = _narratives(
                agency, year, scope_label, table["new_received"]["total"], table["results_total"]["total"]
            )
            report_services.update_narratives(draft, texts, user=head)
            # Backdate into the publishing season of the following year (Art. 49).
            deadline = dt.date(year + 1, 3, 31) if agency.is_local_government else dt.date(year + 1, 1, 31)
            day = deadline - dt.timedelta(days=5 + (agency.pk * 3) % 20)
            if year == 2024 and slug in LATE_2024 and not subtree:
                day = deadline + dt.timedelta(days=12)
            when = timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))
            report_services.publish(draft, head, published_at=when)
            published += 1
    return published


def generate_replies(agency: Agency, limit: int = 12) -> int:
    """Real reply letters (DOCX + PDF, dated the answer day) for the agency's most recent answered
    cases, so that opening one in the workbench or the portal shows its documents."""
    from gongkai.letters.services import LetterError, generate_document

    done = 0
    recent = (
        Application.objects.filter(agency=agency, answered_on__isnull=False)
        .select_related("agency", "handler")
        .order_by("-answered_on")[: limit * 2]
    )
    for app in recent:
        try:
            generate_document(app, "reply", app.handler, extra={"issue_date": app.answered_on})
        except LetterError:
            continue
        done += 1
        if done >= limit:
            break
    return done
