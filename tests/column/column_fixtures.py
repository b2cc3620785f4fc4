import datetime as dt

from gongkai.agencies.models import Agency, AgencyKind
from gongkai.records.models import Topic
from gongkai.records.services import lifecycle

D = dt.date
ALL_ROLES = {"handler", "reviewer", "head", "admin"}


def make_region():
    city = Agency.objects.create(
        name="临江市人民政府",
        kind=AgencyKind.GOVERNMENT,
        tracking_prefix="临政依申",
        address="临江市人民大道1号",
        phone="0571-12345678",
        office_hours="工作日 9:00-17:00",
    )
    labor = Agency.objects.create(
        name="临江市人力资源和社会保障局",
        kind=AgencyKind.DEPARTMENT,
        parent=city,
        tracking_prefix="临人社依申",
    )
    edu = Agency.objects.create(
        name="临江市教育局", kind=AgencyKind.DEPARTMENT, parent=city, tracking_prefix="临教依申"
    )
    return {"city": city, "labor": labor, "edu": edu}


DEFAULT_ON = D(2024, 3, 1)


def publish(agency, *, on=DEFAULT_ON, joint=(), topic=None, **fields):
    """A record taken through the real lifecycle to 已发布 (system roles)."""
    data = {"category": "normative", "written_on": on - dt.timedelta(days=5), **fields}
    if topic:
        data["topic"] = Topic.objects.get(code=topic) if isinstance(topic, str) else topic
    rec = lifecycle.create_record(agency, data, roles=ALL_ROLES, joint=joint)
    lifecycle.transition(rec, "decide_attribute", roles=ALL_ROLES, data={"disclosure_attribute": "proactive"})
    lifecycle.transition(rec, "submit_review", roles=ALL_ROLES)
    lifecycle.transition(
        rec,
        "approve",
        roles=ALL_ROLES,
        data={"secrecy_reviewed": True, "consultation_held": True, "interpretation_ready": True},
    )
    return lifecycle.transition(rec, "publish", roles=ALL_ROLES, data={"date": on})


def make_docs(region):
    """Published records: a repealed one and its replacement, a joint one, a policy, a draft."""
    topics = [
        Topic.objects.get_or_create(code=code, defaults={"name": name, "sort": 900 + i})[0]
        for i, (code, name) in enumerate(
            [("t-labor", "劳动就业"), ("t-industry", "工业、交通"), ("t-edu", "教育")]
        )
    ]
    old = publish(
        region["labor"],
        title="临江市稳岗就业补贴实施办法",
        doc_number="临人社规〔2023〕3号",
        body="本办法所称稳岗补贴，是指对不裁员或者少裁员的参保企业返还失业保险费。",
        summary="稳岗补贴的对象、标准和申领程序。",
        on=D(2023, 5, 4),
        topic=topics[0],
        art_item="20-11",
    )
    new = publish(
        region["labor"],
        title="临江市稳岗就业补贴实施办法（2024年修订）",
        doc_number="临人社规〔2024〕1号",
        body="本办法所称稳岗补贴，是指对不裁员或者少裁员的参保企业返还失业保险费。\n第二条 技能提升补贴另行规定。",
        on=D(2024, 1, 10),
        topic=topics[0],
        art_item="20-11",
    )
    lifecycle.transition(
        old, "repeal", roles=ALL_ROLES, reason="已修订", data={"replaced_by": new.pk, "date": D(2024, 1, 10)}
    )
    measures = publish(
        region["city"],
        title="临江市人民政府关于促进中小企业高质量发展的若干措施",
        doc_number="临政发〔2024〕12号",
        body="为进一步优化营商环境，支持中小企业发展，制定本措施。\n对吸纳就业的企业给予补贴。",
        on=D(2024, 3, 1),
        topic=topics[1],
        joint=[region["labor"]],
        art_item="20-1",
        keywords="中小企业 营商环境",
    )
    notice = publish(
        region["edu"],
        title="关于做好2024年义务教育招生工作的通知",
        doc_number="临教发〔2024〕7号",
        category="policy",
        body="各区教育局：现就义务教育阶段招生入学工作通知如下。",
        on=D(2024, 4, 1),
        topic=topics[2],
        art_item="20-11",
    )
    draft = lifecycle.create_record(
        region["edu"], {"category": "policy", "title": "草稿中的就业补贴文件"}, roles=ALL_ROLES
    )
    old.refresh_from_db()
    return {"old": old, "new": new, "measures": measures, "notice": notice, "draft": draft, "topics": topics}
