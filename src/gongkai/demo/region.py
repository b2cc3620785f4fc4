"""The demo region: 临江市 (a fictional prefecture-level city), two districts, departments and
street offices / towns, with staff accounts in every role.

Everything here is made up; the structure (city → departments / districts → departments /
streets) is the one real regions have.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from gongkai.agencies.models import Agency, AgencyKind, Membership, Role

DEMO_PASSWORD = "gongkai-demo"


@dataclass(frozen=True)
class DemoAgency:
    slug: str
    name: str
    kind: str
    parent: str | None
    prefix: str
    weight: float  # share of the region's applications


REGION: tuple[DemoAgency, ...] = (
    DemoAgency("city", "临江市人民政府", AgencyKind.GOVERNMENT, None, "临政依申", 0.06),
    DemoAgency("city_office", "临江市人民政府办公室", AgencyKind.DEPARTMENT, "city", "临政办依申", 0.05),
    DemoAgency("city_plan", "临江市规划和自然资源局", AgencyKind.DEPARTMENT, "city", "临规自依申", 0.12),
    DemoAgency("city_edu", "临江市教育局", AgencyKind.DEPARTMENT, "city", "临教依申", 0.05),
    DemoAgency("city_market", "临江市市场监督管理局", AgencyKind.DEPARTMENT, "city", "临市监依申", 0.06),
    DemoAgency("jb", "临江市江北区人民政府", AgencyKind.GOVERNMENT, "city", "江北政依申", 0.10),
    DemoAgency(
        "jb_housing", "临江市江北区住房和城乡建设委员会", AgencyKind.DEPARTMENT, "jb", "江北住建依申", 0.12
    ),
    DemoAgency("jb_health", "临江市江北区卫生健康委员会", AgencyKind.DEPARTMENT, "jb", "江北卫健依申", 0.04),
    DemoAgency(
        "jb_binjiang", "临江市江北区滨江街道办事处", AgencyKind.STREET_OFFICE, "jb", "滨江街依申", 0.06
    ),
    DemoAgency(
        "jb_changqiao", "临江市江北区长桥街道办事处", AgencyKind.STREET_OFFICE, "jb", "长桥街依申", 0.04
    ),
    DemoAgency("jn", "临江市江南区人民政府", AgencyKind.GOVERNMENT, "city", "江南政依申", 0.09),
    DemoAgency(
        "jn_hrss", "临江市江南区人力资源和社会保障局", AgencyKind.DEPARTMENT, "jn", "江南人社依申", 0.05
    ),
    DemoAgency("jn_urban", "临江市江南区城市管理委员会", AgencyKind.DEPARTMENT, "jn", "江南城管依申", 0.05),
    DemoAgency(
        "jn_huayuan", "临江市江南区花园街道办事处", AgencyKind.STREET_OFFICE, "jn", "花园街依申", 0.05
    ),
    DemoAgency("jn_xincun", "临江市江南区新村镇人民政府", AgencyKind.TOWNSHIP, "jn", "新村镇依申", 0.06),
)

ACTING = (Role.REGISTRAR, Role.HANDLER, Role.REVIEWER, Role.HEAD)


def username(slug: str, role: str) -> str:
    return f"{slug}_{role}"


def build_region() -> dict[str, Agency]:
    """Create the agency tree and one account per acting role per agency; return agencies by slug."""
    User = get_user_model()
    agencies: dict[str, Agency] = {}
    for spec in REGION:
        parent = agencies[spec.parent] if spec.parent else None
        short = spec.name.replace("临江市", "") or spec.name
        agencies[spec.slug] = Agency.objects.create(
            name=spec.name,
            short_name=short,
            kind=spec.kind,
            parent=parent,
            tracking_prefix=spec.prefix,
            letterhead_name=spec.name,
            address=f"临江市{short or '人民政府'}政务服务中心一层政府信息公开受理窗口",
            postal_code="350100",
            phone="0591-8800" + f"{len(agencies):04d}",
            email=f"gk-{spec.slug.replace('_', '-')}@linjiang.gov.example",
            office_hours="工作日 9:00—12:00，13:30—17:00",
            reconsideration_body=(parent.name if parent else "福建省人民政府"),
            court="临江市中级人民法院" if spec.parent in (None, "city") else "临江市江北区人民法院",
        )
    # One password hash for every demo account (hashing 80 times would take half a minute).
    hashed = make_password(DEMO_PASSWORD)
    users: list = []
    memberships: list[tuple[str, str, str]] = []
    for slug, agency in agencies.items():
        for role in (*ACTING, Role.ADMIN):
            users.append(
                User(
                    username=username(slug, role),
                    password=hashed,
                    first_name=f"{agency.short_name}{Role(role).label}",
                )
            )
            memberships.append((username(slug, role), slug, role))
    # Supervisors: the city's 政务公开办 over everything, each district's over its subtree.
    for slug in ("city", "jb", "jn"):
        users.append(
            User(
                username=username(slug, Role.SUPERVISOR),
                password=hashed,
                first_name=f"{agencies[slug].short_name}政务公开办",
            )
        )
        memberships.append((username(slug, Role.SUPERVISOR), slug, Role.SUPERVISOR))
    users.append(
        User(
            username="admin",
            email="admin@linjiang.gov.example",
            password=hashed,
            is_staff=True,
            is_superuser=True,
            first_name="平台管理员",
        )
    )
    User.objects.bulk_create(users)
    by_name = {u.username: u for u in User.objects.filter(username__in=[u.username for u in users])}
    Membership.objects.bulk_create(
        [Membership(user=by_name[u], agency=agencies[slug], role=role) for u, slug, role in memberships]
    )
    return agencies


DEMO_LOGINS = (
    ("admin", "平台管理员（全部机关，Django 管理后台 /admin/）"),
    ("city_supervisor", "临江市政务公开办（监督全市，只读）"),
    ("jb_supervisor", "江北区政务公开办（监督江北区，只读）"),
    ("jb_housing_registrar", "江北区住建委 登记员"),
    ("jb_housing_handler", "江北区住建委 承办人"),
    ("jb_housing_reviewer", "江北区住建委 审核人"),
    ("jb_housing_head", "江北区住建委 负责人（批准延期、不予公开）"),
    ("jb_housing_admin", "江北区住建委 机关管理员"),
)
