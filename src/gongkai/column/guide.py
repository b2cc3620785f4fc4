"""The guide (指南) and system (制度) pages: the newest saved version, or the text generated from
the agency's settings when nobody has saved one yet."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from gongkai.agencies.models import Membership, Role
from gongkai.core import record_lifecycle as lc
from gongkai.core.disclosure_guide import GuideFacts, guide_text

from .models import ColumnPageVersion, PageKind

SYSTEM_DEFAULT = """一、国家规定
《中华人民共和国政府信息公开条例》（2019年4月3日中华人民共和国国务院令第711号修订，自2019年5月15日起施行）。
二、本机关制度
本机关按照《条例》建立健全政府信息公开工作制度，包括政府信息公开审查、主动公开、依申请公开、政策解读、监督保障等。
本机关制定的政府信息公开工作制度文件列于本页下方，可点击查阅全文。"""


def can_edit(user, agency) -> bool:
    """The agency's administrator (机关管理员) edits its guide and system pages."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return Membership.objects.filter(user=user, agency=agency, role=Role.ADMIN).exists()


@dataclass
class ColumnPage:
    agency: object
    kind: str
    body: str
    version: ColumnPageVersion | None
    generated: bool

    @property
    def updated_at(self):
        return self.version.created_at if self.version else None

    @property
    def number(self) -> int:
        return self.version.number if self.version else 0

    def can_edit(self, user) -> bool:
        return can_edit(user, self.agency)


def generated_guide(agency, request=None, fax: str = "") -> str:
    from gongkai.records.models import Topic

    def url(name, *args, query=""):
        path = reverse(name, args=args) + query
        return request.build_absolute_uri(path) if request is not None else path

    facts = GuideFacts(
        agency_name=agency.name,
        address=agency.address,
        postal_code=agency.postal_code,
        office_hours=agency.office_hours,
        phone=agency.phone,
        fax=fax,
        email=agency.email,
        column_url=url("column:agency_home", agency.pk),
        apply_url=url("portal:apply", query=f"?agency={agency.pk}"),
        report_url=url("public_reports:index"),
        reconsideration_body=agency.reconsideration_body,
        court=agency.court,
    )
    topics = [t.name for t in Topic.objects.filter(active=True, parent__isnull=True)]
    return guide_text(facts, [label for _, label in lc.CATEGORY_CHOICES], topics)


def current_page(agency, kind: str, request=None) -> ColumnPage:
    version = ColumnPageVersion.latest(agency, kind)
    if version is not None:
        return ColumnPage(agency, kind, version.body, version, False)
    body = generated_guide(agency, request) if kind == PageKind.GUIDE else SYSTEM_DEFAULT
    return ColumnPage(agency, kind, body, None, True)
