"""Demo government information records (政府信息记录): about 3,400 documents of the demo agencies
from 2019 to 2026 — rules (规章) of the city government, normative documents, other policy
documents and other information — with 文号 per issuer, topics, 索引号 in publication order, an
event trail, some amended or repealed (linked to the document replacing them), a few withheld
records due for Art. 18 re-assessment, a few drafts overdue by Art. 26 and clean-up campaigns.

Created in bulk (``bulk_create``; the lifecycle's single write path is used only for the few
transitions a campaign applies), then indexed for search in one pass.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.utils import timezone

from gongkai.agencies.models import Agency, AgencyKind, Role
from gongkai.core import record_lifecycle as lc
from gongkai.core.workdays import CalendarNotCovered
from gongkai.records import default_topics
from gongkai.records.models import IndexCounter, Record, RecordEvent, Topic
from gongkai.records.services import cleanup, clock, numbering
from gongkai.records.signals import record_changed

from .region import REGION, username

YEARS = range(2019, 2027)

# (subject, topic code, 文种, Art. 20 item) by the kind of agency issuing it.
SUBJECTS: dict[str, list[tuple[str, str, str, str]]] = {
    "city": [
        ("优化营商环境若干措施", "0302", "意见", "20-3"),
        ("城市更新行动实施方案", "1001", "方案", "20-3"),
        ("稳岗补贴发放", "1502", "通知", "20-11"),
        ("突发事件总体应急预案", "0202", "方案", "20-12"),
        ("重大行政决策程序规定", "0201", "规定", "20-1"),
        ("政府信息公开工作要点", "0201", "通知", "20-15"),
        ("国有土地上房屋征收与补偿", "0501", "办法", "20-1"),
        ("促进民营经济高质量发展", "0302", "意见", "20-3"),
    ],
    "plan": [
        ("国土空间总体规划", "1001", "规划", "20-3"),
        ("建设用地规划许可办理", "0501", "通知", "20-5"),
        ("历史文化街区保护", "1001", "办法", "20-1"),
        ("矿产资源开发利用", "0502", "通知", "20-3"),
    ],
    "edu": [
        ("义务教育阶段学校招生入学工作", "1102", "通知", "20-11"),
        ("规范校外培训机构管理", "1102", "通知", "20-1"),
        ("学生资助工作", "1102", "办法", "20-11"),
        ("中小学教师招聘", "1503", "公告", "20-14"),
    ],
    "market": [
        ("食品安全监督抽检", "0903", "通告", "20-6"),
        ("市场主体登记注册便利化", "0901", "意见", "20-5"),
        ("特种设备安全监督检查", "0902", "通知", "20-13"),
        ("行政处罚裁量基准", "0901", "规定", "20-6"),
    ],
    "housing": [
        ("公共租赁住房保障", "1002", "办法", "20-11"),
        ("老旧小区改造", "1002", "方案", "20-10"),
        ("物业服务收费管理", "1002", "通知", "20-8"),
        ("建筑施工安全生产专项整治", "0902", "通知", "20-13"),
    ],
    "health": [
        ("基本公共卫生服务项目", "1301", "通知", "20-11"),
        ("医疗机构执业校验", "1301", "通知", "20-5"),
        ("传染病防控应急预案", "0202", "方案", "20-12"),
    ],
    "hrss": [
        ("就业创业补贴申领", "1501", "通知", "20-11"),
        ("城乡居民基本养老保险", "1502", "办法", "20-11"),
        ("事业单位公开招聘", "1503", "公告", "20-14"),
    ],
    "urban": [
        ("城市道路停车管理", "1001", "办法", "20-1"),
        ("生活垃圾分类", "1003", "方案", "20-3"),
        ("户外广告设置管理", "1001", "规定", "20-1"),
    ],
    "street": [
        ("社区养老服务站运营", "1702", "通知", "20-11"),
        ("辖区防汛应急预案", "0202", "方案", "20-12"),
        ("城乡低保对象复核", "1701", "公告", "20-11"),
        ("辖区财政预算执行情况", "0401", "公告", "20-7"),
    ],
}
AGENCY_SUBJECTS = {
    "city": "city",
    "city_office": "city",
    "city_plan": "plan",
    "city_edu": "edu",
    "city_market": "market",
    "jb": "city",
    "jb_housing": "housing",
    "jb_health": "health",
    "jn": "city",
    "jn_hrss": "hrss",
    "jn_urban": "urban",
}
TITLE_FORMS = {
    "通知": "{issuer}关于做好{year}年{subject}的通知",
    "意见": "{issuer}关于{subject}的实施意见",
    "办法": "{issuer}{subject}管理办法",
    "方案": "{issuer}{subject}工作方案",
    "规定": "{issuer}{subject}的规定",
    "公告": "{issuer}关于{year}年{subject}的公告",
    "通告": "{issuer}关于{subject}情况的通告",
    "规划": "{issuer}{subject}（{year}—{end}年）",
}
BODY = (
    "各有关单位：\n为贯彻落实党中央、国务院和省委、省政府关于{subject}的决策部署，进一步提高工作质量和效率，"
    "结合本地实际，现就有关事项{verb}如下。\n一、总体要求\n坚持以人民为中心的发展思想，坚持问题导向和目标导向，"
    "做到依法依规、公开透明、便民高效。\n二、主要任务\n（一）明确职责分工。各单位按照职责分工抓好{subject}各项工作，"
    "主要负责同志亲自部署、亲自协调。\n（二）规范办理流程。申请材料、办理时限和结果全部向社会公开，接受群众监督。\n"
    "（三）加强信息公开。有关政策文件和办理结果通过政府网站政府信息公开专栏及时公开，同步做好政策解读。\n"
    "三、保障措施\n各单位要加强组织领导，强化督促检查，确保各项措施落到实处。执行中遇到的问题，请及时向{issuer}反映。\n"
    "本{doc}自印发之日起施行{validity}。"
)
PER_YEAR = {
    AgencyKind.GOVERNMENT: 40,
    AgencyKind.DEPARTMENT: 30,
    AgencyKind.STREET_OFFICE: 12,
    AgencyKind.TOWNSHIP: 12,
}


def _series(spec_prefix: str, category: str) -> str:
    base = spec_prefix.replace("依申", "")
    if category == lc.RULE:
        return "临江市人民政府令"
    return base + ("规" if category == lc.NORMATIVE else "发")


def _category(rng: random.Random, slug: str) -> str:
    x = rng.random()
    if slug == "city" and x < 0.08:
        return lc.RULE
    if x < 0.25:
        return lc.NORMATIVE
    if x < 0.65:
        return lc.POLICY
    return lc.OTHER


def generate_records(agencies: dict[str, Agency], *, seed: int, as_of: dt.date) -> dict[str, int]:
    """Create the demo records; returns counts for the loader's log."""
    rng = random.Random(seed + 9)
    cal = clock.get_calendar()
    default_topics.install(Topic)  # a flushed database has lost the data migration's topics
    topics = {t.code: t for t in Topic.objects.all()}
    handlers = {u.username: u for u in get_user_model().objects.filter(username__endswith=f"_{Role.HANDLER}")}
    records: list[Record] = []
    doc_serial: dict[tuple[int, str, int], int] = defaultdict(int)
    for spec in REGION:
        agency = agencies[spec.slug]
        short = agency.short_name or agency.name
        issuer = agency.name
        subjects = SUBJECTS[AGENCY_SUBJECTS.get(spec.slug, "street")]
        for year in YEARS:
            n = int(PER_YEAR.get(agency.kind, 12) * rng.uniform(0.8, 1.2))
            if year == as_of.year:
                n = n * (as_of.timetuple().tm_yday) // 366
            for _ in range(n):
                subject, topic, doc_type, art_item = rng.choice(subjects)
                category = _category(rng, spec.slug)
                if category == lc.RULE:
                    doc_type, art_item = "规定", "20-1"
                written = dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, 364))
                if written > as_of - dt.timedelta(days=3):
                    continue
                series = _series(spec.prefix, category)
                key = (agency.pk, series, 0 if category == lc.RULE else year)  # 政府令 numbers run on
                doc_serial[key] += 1
                number = doc_serial[key]
                doc_number = (
                    f"{series}第{number}号" if category == lc.RULE else f"{series}〔{year}〕{number}号"
                )
                title = TITLE_FORMS[doc_type].format(issuer=issuer, year=year, subject=subject, end=year + 5)
                if category == lc.OTHER and doc_type not in ("公告", "通告"):
                    title = f"{short}{year}年{subject}工作情况"
                    doc_number, doc_type = "", "其他"
                validity_text = "，有效期5年" if category == lc.NORMATIVE else ""
                body = BODY.format(
                    subject=subject,
                    issuer=issuer,
                    verb="通知" if doc_type == "通知" else "明确",
                    doc=doc_type if doc_type != "其他" else "文件",
                    validity=validity_text,
                )
                records.append(
                    Record(
                        agency=agency,
                        category=category,
                        title=title,
                        doc_number=doc_number,
                        written_on=written,
                        formed_on=written,
                        topic=topics.get(topic),
                        doc_type=doc_type,
                        keywords=subject,
                        summary=f"{issuer}就{subject}作出部署。",
                        art_item=art_item,
                        body=body,
                        disclosure_attribute=lc.PROACTIVE,
                        state=lc.PUBLISHED,
                        created_by=handlers.get(username(spec.slug, Role.HANDLER)),
                    )
                )
    # Publication: most within the Art. 26 period, some late; the newest few not yet published.
    records.sort(key=lambda r: (r.written_on, r.agency_id, r.doc_number))
    overdue = withheld = 0
    for r in records:
        clock.derive(r, cal)
        recent = (as_of - r.written_on).days < 45
        if recent and rng.random() < 0.12:
            r.state = rng.choice([lc.DRAFT, lc.IN_REVIEW, lc.APPROVED])
            overdue += r.publish_due is not None and r.publish_due < as_of
            continue
        if r.category == lc.OTHER and rng.random() < 0.02:
            r.state, r.disclosure_attribute = lc.WITHHELD, lc.NOT_DISCLOSED
            r.attribute_reason, r.attribute_basis = "内部事务信息", "条例第十六条第一款"
            r.next_reassessment_on = lc.add_months(as_of, rng.randint(-1, 11))
            r.publish_due = None
            withheld += 1
            continue
        late = rng.random() < 0.04
        days = rng.randint(25, 40) if late else rng.randint(1, 20)
        try:
            r.published_on = min(cal.add_workdays(r.written_on, days), as_of)
        except CalendarNotCovered:
            r.published_on = min(r.written_on + dt.timedelta(days=days * 7 // 5), as_of)
    # 索引号 in publication order per agency and year
    serial: dict[tuple[int, int], int] = defaultdict(int)
    codes = {a.pk: numbering.issuer_code(a) for a in agencies.values()}
    for r in sorted((r for r in records if r.published_on), key=lambda r: (r.published_on, r.written_on)):
        key = (r.agency_id, r.published_on.year)
        serial[key] += 1
        r.index_year, r.index_serial = key[1], serial[key]
        r.index_number = lc.format_index_number(
            lc.DEFAULT_INDEX_PATTERN, codes[r.agency_id], key[1], serial[key]
        )
    Record.objects.bulk_create(records, batch_size=1000)
    IndexCounter.objects.bulk_create(
        [IndexCounter(agency_id=a, year=y, last_serial=n) for (a, y), n in serial.items()]
    )
    ended = _amend_and_repeal(records, rng, as_of)
    events = _events(records, ended)
    RecordEvent.objects.bulk_create(events, batch_size=2000)
    campaigns = _campaigns(agencies, rng, as_of)
    ids = [r.pk for r in records]
    record_changed.send(sender=Record, record=None, record_ids=ids, action="demo")
    return {
        "records": len(records),
        "ended": len(ended),
        "overdue": overdue,
        "withheld": withheld,
        "campaigns": campaigns,
    }


def _amend_and_repeal(records: list[Record], rng: random.Random, as_of: dt.date) -> dict[int, str]:
    """Older policy documents replaced by a later one of the same agency and subject (已修改 /
    已废止 with the link), a few expired. Returns {record id: action}."""
    by_key: dict[tuple[int, str, str], list[Record]] = defaultdict(list)
    for r in records:
        if r.published_on and r.category in lc.POLICY_CATEGORIES:
            by_key[(r.agency_id, r.category, r.keywords)].append(r)
    ended: dict[int, str] = {}
    changed = []
    for group in by_key.values():
        for old, new in zip(group, group[1:]):
            if old.written_on.year >= 2025 or rng.random() > 0.18:
                continue
            action = "amend" if rng.random() < 0.5 else "repeal"
            old.state = lc.AMENDED if action == "amend" else lc.REPEALED
            old.validity = lc.VALIDITY_AFTER[action]
            old.validity_changed_on = new.published_on
            old.replaced_by = new
            ended[old.pk] = action
            changed.append(old)
        for r in group:
            if (
                r.pk not in ended
                and r.category == lc.POLICY
                and r.written_on.year <= 2020
                and rng.random() < 0.1
            ):
                r.state, r.validity = lc.EXPIRED, lc.VALIDITY_EXPIRED
                r.validity_changed_on = min(lc.add_months(r.published_on, 60), as_of)
                ended[r.pk] = "expire"
                changed.append(r)
    Record.objects.bulk_update(
        changed, ["state", "validity", "validity_changed_on", "replaced_by"], batch_size=1000
    )
    return ended


def _events(records: list[Record], ended: dict[int, str]) -> list[RecordEvent]:
    """The event trail as the lifecycle would have written it (create … publish, then the end)."""
    out = []
    steps = [
        ("create", "起草", "", lc.DRAFT, Role.HANDLER),
        ("decide_attribute", "认定公开属性", lc.DRAFT, lc.ATTRIBUTE_DECIDED, Role.HANDLER),
        ("submit_review", "提交审查", lc.ATTRIBUTE_DECIDED, lc.IN_REVIEW, Role.HANDLER),
        ("approve", "审查通过", lc.IN_REVIEW, lc.APPROVED, Role.REVIEWER),
    ]
    order = [lc.DRAFT, lc.ATTRIBUTE_DECIDED, lc.IN_REVIEW, lc.APPROVED]
    for r in records:
        day = r.written_on
        at = timezone.make_aware(dt.datetime.combine(day, dt.time(9, 30)))
        seq = 0
        reached = order.index(r.state) if r.state in order else len(order) - 1
        for i, (action, label, frm, to, role) in enumerate(steps):
            if i > reached:
                break
            seq += 1
            out.append(
                RecordEvent(
                    record=r,
                    seq=seq,
                    action=action,
                    label=label,
                    from_state=frm,
                    to_state=to,
                    actor_label="演示数据",
                    role=role,
                    at=at,
                    effective_date=day,
                )
            )
        if r.state == lc.WITHHELD:
            seq += 1
            out.append(
                RecordEvent(
                    record=r,
                    seq=seq,
                    action="withhold",
                    label="留存不主动公开",
                    from_state=lc.APPROVED,
                    to_state=lc.WITHHELD,
                    actor_label="演示数据",
                    role=Role.HANDLER,
                    at=at,
                    effective_date=day,
                    data={"next_reassessment_on": r.next_reassessment_on.isoformat()},
                )
            )
        if r.published_on:
            seq += 1
            pub_at = timezone.make_aware(dt.datetime.combine(r.published_on, dt.time(15, 0)))
            out.append(
                RecordEvent(
                    record=r,
                    seq=seq,
                    action="publish",
                    label="发布",
                    from_state=lc.APPROVED,
                    to_state=lc.PUBLISHED,
                    actor_label="演示数据",
                    role=Role.HANDLER,
                    at=pub_at,
                    effective_date=r.published_on,
                    data={"index_number": r.index_number, "published_on": r.published_on.isoformat()},
                )
            )
            action = ended.get(r.pk)
            if action:
                seq += 1
                t = lc.TRANSITIONS[action]
                end_at = timezone.make_aware(dt.datetime.combine(r.validity_changed_on, dt.time(16, 0)))
                out.append(
                    RecordEvent(
                        record=r,
                        seq=seq,
                        action=action,
                        label=t.label,
                        from_state=lc.PUBLISHED,
                        to_state=r.state,
                        actor_label="演示数据",
                        role=Role.HANDLER,
                        at=end_at,
                        effective_date=r.validity_changed_on,
                        reason="已被新文件替代" if r.replaced_by_id else "有效期届满",
                        data={"validity": r.validity, "replaced_by": r.replaced_by_id},
                    )
                )
    return out


def _campaigns(agencies: dict[str, Agency], rng: random.Random, as_of: dt.date) -> int:
    """An open clean-up campaign over 江北区 (part decided) and one applied at 江南区城管委."""
    User = get_user_model()
    jb_head = User.objects.get(username=username("jb", Role.HEAD))
    open_c = cleanup.create_campaign(
        agencies["jb"],
        f"{as_of.year}年江北区行政规范性文件和政策性文件清理",
        include_subtree=True,
        actor=jb_head,
    )
    for i, item in enumerate(open_c.items.select_related("record")[:40]):
        decision = "keep" if i % 5 else rng.choice(["amend", "repeal", "expire"])
        cleanup.decide_item(item, decision, "" if decision == "keep" else "与现行政策不一致", actor=jb_head)
    urban_head = User.objects.get(username=username("jn_urban", Role.HEAD))
    done = cleanup.create_campaign(
        agencies["jn_urban"], f"{as_of.year}年城市管理政策性文件清理", actor=urban_head
    )
    for i, item in enumerate(done.items.all()):
        decision = "repeal" if i % 9 == 4 else "keep"
        cleanup.decide_item(item, decision, "上位法已修改" if decision == "repeal" else "", actor=urban_head)
    cleanup.apply_campaign(done, actor=urban_head, on=as_of)
    return 2
