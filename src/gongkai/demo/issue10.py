"""Demo of the work around each policy (issue 10), for 临江市教育局: a normative document goes
through public consultation (comments moderated, feedback published) and is published with a
same-day interpretation; another document's interpretation came late (flagged on the
dashboards); three applicants ask for the same information (an Art. 44 proposal); the published
documents answer questions in 政策问答."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

FEES_TITLE = "临江市教育局关于规范校外培训机构收费管理的通知"
FEES_BODY = """第一条 为规范校外培训机构收费行为，保护学生和家长的合法权益，根据有关规定，制定本通知。
第二条 本通知适用于本市行政区域内面向中小学生开展学科类和非学科类培训的校外培训机构。
第三条 校外培训机构一次性收取费用的时间跨度不得超过3个月或者60课时，不得以任何形式收取或者变相收取超过3个月或者60课时的费用。
第四条 学员要求退费的，校外培训机构应当在7个工作日内退还未消课时对应的费用，不得收取违约金。
第五条 校外培训机构应当在经营场所和网站显著位置公示收费项目、收费标准和退费办法。
第六条 本通知自发布之日起施行，有效期5年。"""
FEES_QA = [
    ("一次最多能交多长时间的培训费？", "一次性收费的时间跨度不得超过3个月或者60课时。"),
    ("退费要等多久？", "培训机构应当在7个工作日内退还未消课时对应的费用，不得收取违约金。"),
    ("在哪里能看到收费标准？", "培训机构应当在经营场所和网站显著位置公示收费项目、收费标准和退费办法。"),
]
AFTER_SCHOOL_TITLE = "临江市教育局关于进一步做好中小学课后服务工作的通知"
AFTER_SCHOOL_BODY = """一、服务时间。课后服务结束时间原则上不早于当地正常下班时间。
二、服务内容。课后服务以指导学生完成作业、开展文体活动和兴趣小组活动为主。
三、收费标准。课后服务每生每学期收费不超过600元，家庭经济困难学生免收。
四、自愿参加。学生参加课后服务坚持家长自愿原则，学校不得强制或者变相强制。"""
SAME_REQUEST = [
    "申请公开2025年度全市校外培训机构收费检查的结果",
    "请提供2025年本市校外培训机构收费检查结果",
    "本人申请获取2025年度校外培训机构收费专项检查结果情况",
]


def _user(name):
    return get_user_model().objects.get(username=name)


def _workday_before(cal, day: dt.date, n: int) -> dt.date:
    d = day
    count = 0
    while count < n:
        d -= dt.timedelta(days=1)
        if cal.is_workday(d):
            count += 1
    return d


def _approve_and_publish(rec, staff, on):
    """Attribute, review, approve (联审 checklist), the personal-data check, publication on ``on``."""
    from gongkai.pii import services as pii
    from gongkai.records.services import lifecycle

    lifecycle.transition(
        rec, "decide_attribute", actor=staff["handler"], data={"disclosure_attribute": "proactive"}
    )
    lifecycle.transition(rec, "submit_review", actor=staff["handler"])
    lifecycle.transition(
        rec,
        "approve",
        actor=staff["reviewer"],
        data={"secrecy_reviewed": True, "consultation_held": True, "interpretation_ready": True},
    )
    for hit in pii.scan(rec):  # demo texts hold no personal data; a name candidate is dismissed
        if hit.status == "pending":
            pii.decide(hit, pii.DISMISSED, actor=staff["reviewer"], reason="不是个人信息")
    return lifecycle.transition(rec, "publish", actor=staff["handler"], data={"date": on})


def _interpretation(agency, rec, staff, on, title, qa):
    from gongkai.core import interpretation_rules as irules
    from gongkai.interpretations import services as interp

    i = interp.create(
        agency,
        {"title": title, "form": irules.QA, "author": "市教育局政策法规处"},
        records=[rec],
        qa=qa,
        actor=staff["handler"],
    )
    interp.transition(i, "submit", actor=staff["handler"])
    return interp.transition(i, "publish", actor=staff["reviewer"], on=on)


def _next_doc_number(agency, series: str, year: int) -> str:
    """The next free 文号 of ``series`` in ``year`` (the demo's other records use the low serials)."""
    from gongkai.records.models import Record

    prefix = f"{series}〔{year}〕"
    used = {
        int(n[len(prefix) : -1])
        for n in Record.objects.filter(agency=agency, doc_number__startswith=prefix).values_list(
            "doc_number", flat=True
        )
        if n.endswith("号") and n[len(prefix) : -1].isdigit()
    }
    serial = max(used, default=0) + 1
    return f"{prefix}{serial}号"


def generate_policy_work(agencies, *, as_of: dt.date, cal) -> str:
    from gongkai.applications.services import submit_application
    from gongkai.consultations import services as consult
    from gongkai.core import consultation_rules as crules
    from gongkai.core.pii import id_check_char
    from gongkai.frequent import services as frequent

    agency = agencies["city_edu"]
    staff = {r: _user(f"city_edu_{r}") for r in ("handler", "reviewer", "head", "registrar")}
    tz = timezone.get_current_timezone()

    # 1. consultation on the draft, 30 days, ended some weeks ago; feedback; same-day interpretation
    start = as_of - dt.timedelta(days=45)
    end = start + dt.timedelta(days=29)
    published = _workday_before(cal, as_of, 5)
    from gongkai.records.services import lifecycle

    draft = lifecycle.create_record(
        agency,
        {
            "category": "normative",
            "title": FEES_TITLE,
            "doc_number": _next_doc_number(agency, "临教规", as_of.year),
            "written_on": end + dt.timedelta(days=2),
            "body": FEES_BODY,
        },
        actor=staff["handler"],
    )
    c = consult.create(
        draft,
        {
            "title": f"关于《{FEES_TITLE}（征求意见稿）》公开征求意见的公告",
            "concerns_market": True,
            "explanation": "为回应家长关于预收费过多、退费难的反映，起草了本通知。",
            "draft_text": FEES_BODY,
            "channels": "网站留言；电子邮箱 jyj_zqyj@linjiang.example.gov.cn",
            "starts_on": start,
            "ends_on": end,
        },
        actor=staff["handler"],
    )
    consult.open_consultation(c, actor=staff["head"])
    comments = [
        "建议明确退费的时限，避免机构拖延。",
        "退费应当在几天内完成要写清楚。",
        "建议禁止培训机构收取任何预付费。",
        "建议在网站公示收费标准和退费办法。",
    ]
    made = [
        consult.submit_comment(
            c, body=b, at=dt.datetime.combine(start + dt.timedelta(days=3 + 4 * n), dt.time(10), tz)
        )
        for n, b in enumerate(comments)
    ]
    consult.moderate(made[0], crules.ACCEPTED, actor=staff["handler"])
    consult.moderate(made[1], crules.MERGED, actor=staff["handler"], merge_into=made[0].pk)
    consult.moderate(
        made[2],
        crules.REJECTED,
        actor=staff["handler"],
        reason="与国家关于预收费监管的规定不一致，改为限制预收费时长",
    )
    consult.moderate(made[3], crules.ACCEPTED, actor=staff["handler"])
    consult.publish_feedback(
        c,
        "共收到意见4条，采纳3条（其中合并处理1条）：明确了7个工作日的退费时限，增加了收费公示的规定；未采纳1条，理由见上。",
        actor=staff["head"],
        on=end + dt.timedelta(days=3),
    )
    _approve_and_publish(draft, staff, published)
    _interpretation(agency, draft, staff, published, "一图读懂：校外培训收费新规", FEES_QA)

    # 2. a document whose interpretation came 6 working days later (late)
    doc_day = _workday_before(cal, as_of, 12)
    late_day = cal.add_workdays(doc_day, 6)
    rec = lifecycle.create_record(
        agency,
        {
            "category": "normative",
            "title": AFTER_SCHOOL_TITLE,
            "doc_number": _next_doc_number(agency, "临教规", as_of.year),
            "written_on": doc_day,
            "body": AFTER_SCHOOL_BODY,
        },
        actor=staff["handler"],
    )
    _approve_and_publish(rec, staff, doc_day)
    _interpretation(
        agency,
        rec,
        staff,
        late_day,
        "《关于进一步做好中小学课后服务工作的通知》政策解读",
        [
            ("课后服务怎么收费？", "每生每学期收费不超过600元，家庭经济困难学生免收。"),
            ("必须参加课后服务吗？", "坚持家长自愿原则，学校不得强制。"),
        ],
    )

    # 3. three applicants ask for the same information → Art. 44 proposal
    for n, text in enumerate(SAME_REQUEST, 1):
        first17 = f"32010219{80 + n:02d}0{n}1{n}00{n}"[:17]
        submit_application(
            agency,
            {
                "applicant_type": "natural_person",
                "applicant_name": f"演示申请人{n}",
                "id_document_number": first17 + id_check_char(first17),
                "phone": f"1390000000{n}",
                "description": text,
                "requested_form": "electronic",
                "delivery_method": "online",
            },
            channel="internet",
            actor=None,
            submitted_at=dt.datetime.combine(as_of - dt.timedelta(days=20 - 3 * n), dt.time(9), tz),
        )
    proposals = frequent.detect(agency, today=as_of)
    return (
        f"意见征集 1 次（意见 {len(made)} 条）、政策解读 2 篇（1 篇滞后）、转主动公开建议 {len(proposals)} 条"
    )
