"""The rule table of the permission matrix (tests/security/test_permission_matrix.py).

One entry per URL pattern (the route as written in the URLconfs; every admin pattern shares the
``admin/`` entry): how to fill the route's parameters from the seeded data, and the expected
status per role. A view added without an entry here fails the suite.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from matrix_seed import ROLES

ADMIN_PREFIX = "admin/"


def S(statuses: str) -> dict[str, str]:
    """Expected statuses in the order of ``ROLES``:

    anonymous, applicant (holding the case's code), registrar, handler, reviewer, head, agency_admin
    (all of the case's agency), supervisor_in (of a parent agency), supervisor_out (of another
    region), other_staff (handler of a sibling agency).

    ``302+`` is a POST answered 302 that took effect (the rule's ``post_done``); plain ``302``
    without ``+`` on a POST rule means it changed nothing.
    """
    values = statuses.split()
    assert len(values) == len(ROLES), statuses
    return dict(zip(ROLES, values, strict=True))


@dataclass(frozen=True)
class Rule:
    get: dict[str, str]
    kw: Callable = field(default=lambda s: {})
    post_data: Callable | None = None
    post_expect: dict[str, str] | None = None
    post_done: Callable | None = None  # seed -> bool: did the POST take effect (read in its transaction)

    def kwargs(self, seed) -> dict:
        return self.kw(seed)

    @property
    def post(self):
        return self.post_data

    def expected(self) -> dict[str, dict[str, str]]:
        out = {"GET": self.get}
        if self.post_data is not None:
            out["POST"] = self.post_expect
        return out


def withdrawn(s) -> bool:
    s.app.refresh_from_db()
    return s.app.state == "withdrawn"


def app_kw(s):
    return {"pk": s.app.pk}


RULES: dict[str, Rule] = {
    ADMIN_PREFIX: Rule(
        S("302 302 302 302 302 302 302 302 302 302"),
        kw=lambda s: {
            "object_id": 1,
            "pk": 1,
            "id": 1,
            "app_label": "applications",
            "url": "nowhere/",
            "content_type_id": 1,
        },
    ),
    "admin/login/": Rule(S("302 302 302 302 302 302 302 302 302 302")),  # → /workbench/login/,
    "admin/logout/": Rule(S("302 302 302 302 302 302 302 302 302 302")),
    # 两步验证 (TOTP enrolment) and the portal's captcha (django-simple-captcha)
    "workbench/security/totp/": Rule(S("302 302 200 200 200 200 200 200 200 200")),
    "captcha/image/(?P<key>\\w+)/$": Rule(
        S("410 410 410 410 410 410 410 410 410 410"), kw=lambda s: {"key": "matrixkey"}
    ),
    "captcha/image/(?P<key>\\w+)@2/$": Rule(
        S("410 410 410 410 410 410 410 410 410 410"), kw=lambda s: {"key": "matrixkey"}
    ),
    "captcha/audio/(?P<key>\\w+).wav$": Rule(
        S("404 404 404 404 404 404 404 404 404 404"), kw=lambda s: {"key": "matrixkey"}
    ),
    "captcha/refresh/$": Rule(S("404 404 404 404 404 404 404 404 404 404")),
    # 文件管理 (records workbench); no cleanup campaign is seeded: its pages answer 404 to everyone
    "workbench/records/": Rule(S("302 302 200 200 200 200 200 200 200 200")),
    "workbench/records/new/": Rule(S("302 302 200 200 404 404 200 404 404 200")),
    "workbench/records/<int:pk>/": Rule(
        S("302 302 200 200 200 200 200 200 404 404"), kw=lambda s: {"pk": s.record.pk}
    ),
    "workbench/records/<int:pk>/edit/": Rule(
        S("302 302 200 200 404 200 200 404 404 404"), kw=lambda s: {"pk": s.record.pk}
    ),
    "workbench/records/<int:pk>/actions/<str:action>/": Rule(
        S("302 302 405 405 405 405 405 405 405 405"), kw=lambda s: {"pk": s.record.pk, "action": "repeal"}
    ),
    "workbench/records/<int:pk>/attachments/": Rule(
        S("302 302 405 405 405 405 405 405 405 405"), kw=lambda s: {"pk": s.record.pk}
    ),
    "workbench/records/attachments/<int:pk>/": Rule(
        S("302 302 200 200 200 200 200 200 404 404"), kw=lambda s: {"pk": s.record_attachment.pk}
    ),
    "workbench/records/cleanup/": Rule(S("302 302 200 200 200 200 200 200 200 200")),
    "workbench/records/cleanup/<int:pk>/": Rule(
        S("302 302 404 404 404 404 404 404 404 404"), kw=lambda s: {"pk": 999999}
    ),
    "workbench/records/cleanup/<int:pk>/apply/": Rule(
        S("302 302 405 405 405 405 405 405 405 405"), kw=lambda s: {"pk": 999999}
    ),
    # 年度报告 (workbench)
    "workbench/reports/": Rule(S("302 302 200 200 200 200 200 200 200 200")),
    "workbench/reports/new/": Rule(S("302 302 405 405 405 405 405 405 405 405")),
    "workbench/reports/supervision/": Rule(S("302 302 404 404 404 404 404 200 200 404")),
    "workbench/reports/<int:report_id>/": Rule(
        S("302 302 200 200 200 200 200 200 404 404"), kw=lambda s: {"report_id": s.report.pk}
    ),
    "workbench/reports/<int:report_id>/narratives/": Rule(
        S("302 302 405 405 405 405 405 405 405 405"), kw=lambda s: {"report_id": s.report.pk}
    ),
    "workbench/reports/<int:report_id>/recompute/": Rule(
        S("302 302 405 405 405 405 405 405 405 405"), kw=lambda s: {"report_id": s.report.pk}
    ),
    "workbench/reports/<int:report_id>/publish/": Rule(
        S("302 302 405 405 405 405 405 405 405 405"),
        kw=lambda s: {"report_id": s.report.pk},
        post_data=lambda s: {"override_reason": "", "change_note": ""},
        post_expect=S("302 302 404 404 404 404 404 404 404 404"),
    ),
    "workbench/reports/<int:report_id>/correct/": Rule(
        S("302 302 405 405 405 405 405 405 405 405"), kw=lambda s: {"report_id": s.report.pk}
    ),
    "workbench/reports/<int:report_id>/v<int:number>/download.<str:fmt>": Rule(
        S("302 302 200 200 200 200 200 200 404 404"),
        kw=lambda s: {"report_id": s.report.pk, "number": s.version.number, "fmt": "json"},
    ),
    "workbench/reports/proactive/<int:agency_id>/": Rule(
        S("302 302 200 200 200 200 200 200 404 404"), kw=lambda s: {"agency_id": s.dept.pk}
    ),
    "workbench/reports/appeals/<int:agency_id>/": Rule(
        S("302 302 200 200 200 200 200 200 404 404"), kw=lambda s: {"agency_id": s.dept.pk}
    ),
    "workbench/reports/appeals/<int:agency_id>/<int:appeal_id>/": Rule(
        S("302 302 200 200 200 200 200 200 404 404"),
        kw=lambda s: {"agency_id": s.dept.pk, "appeal_id": s.appeal.pk},
    ),
    # 年报导入与审核
    "workbench/imports/": Rule(S("302 302 404 404 404 404 200 200 200 404")),
    "workbench/imports/upload/": Rule(S("302 302 404 404 404 404 200 200 200 404")),
    "workbench/imports/export.csv": Rule(S("302 302 404 404 404 404 200 200 200 404")),
    "workbench/imports/batches/<int:pk>/": Rule(
        S("302 302 404 404 404 404 404 200 404 404"),
        kw=lambda s: {"pk": s.batch.pk},
        # the choice for repeated reports: the seeded batch repeats nothing, so nothing changes
        post_data=lambda s: {"all": "replace"},
        post_expect=S("302 302 404 404 404 404 404 302 404 404"),
    ),
    "workbench/imports/reports/<int:pk>/": Rule(
        S("302 302 404 404 404 404 200 200 404 404"), kw=lambda s: {"pk": s.imported.pk}
    ),
    "workbench/imports/agencies/<int:agency_id>/compare/": Rule(
        S("302 302 404 404 404 404 200 200 404 404"), kw=lambda s: {"agency_id": s.dept.pk}
    ),
    # 工作台
    "workbench/": Rule(S("302 302 200 200 200 200 200 200 200 200")),
    "workbench/login/": Rule(S("200 200 302 302 302 302 302 302 302 302")),
    "workbench/logout/": Rule(S("405 405 405 405 405 405 405 405 405 405")),
    "workbench/intake/": Rule(S("302 302 200 200 404 404 200 404 404 200")),
    "workbench/cases/<int:pk>/": Rule(S("302 302 200 200 200 200 200 200 404 404"), kw=app_kw),
    "workbench/cases/<int:pk>/actions/<str:action>/": Rule(
        S("302 302 405 405 405 405 405 405 405 405"),
        kw=lambda s: {"pk": s.app.pk, "action": "withdraw"},
        post_data=lambda s: {"withdraw-reason": "申请人书面撤回", "withdraw-effective_date": "2026-11-30"},
        post_done=withdrawn,
        post_expect=S("302 302 302+ 302 302 302 302 302 404 404"),
    ),
    "workbench/cases/<int:pk>/query-code/": Rule(
        S("302 302 405 405 405 405 405 405 405 405"),
        kw=app_kw,
        post_data=lambda s: {"reason": "申请人遗失查询码", "delivery": ["print"]},
        post_done=lambda s: s.app.events.filter(action="reissue_query_code").exists(),
        post_expect=S("302 302 200+ 200+ 404 404 200+ 404 404 404"),
    ),
    "workbench/cases/<int:pk>/reveal/": Rule(
        S("302 302 405 405 405 405 405 405 405 405"),
        kw=app_kw,
        post_data=lambda s: {},
        post_done=lambda s: s.app.reveals.exists(),
        post_expect=S("302 302 200+ 200+ 200+ 200+ 404 404 404 404"),
    ),
    "workbench/agency/<int:agency_id>/reveals/": Rule(
        S("302 302 404 404 404 404 200 404 404 404"), kw=lambda s: {"agency_id": s.dept.pk}
    ),
    "workbench/documents/<int:pk>/<str:fmt>/": Rule(
        S("302 302 200 200 200 200 200 200 404 404"), kw=lambda s: {"pk": s.letter.pk, "fmt": "pdf"}
    ),
    "workbench/attachments/<int:pk>/": Rule(
        S("302 302 200 200 200 200 200 200 404 404"), kw=lambda s: {"pk": s.attachment.pk}
    ),
    "workbench/supervision/": Rule(S("302 302 200 200 200 200 200 200 200 200")),
    "workbench/supervision/<int:agency_id>/": Rule(
        S("302 302 200 200 200 200 200 200 404 404"), kw=lambda s: {"agency_id": s.dept.pk}
    ),
    "workbench/agency/": Rule(S("302 302 404 404 404 404 302 404 404 404")),
    "workbench/agency/<int:agency_id>/": Rule(
        S("302 302 404 404 404 404 200 404 404 404"), kw=lambda s: {"agency_id": s.dept.pk}
    ),
    "workbench/agency/<int:agency_id>/templates/<str:kind>/": Rule(
        S("302 302 404 404 404 404 200 404 404 404"), kw=lambda s: {"agency_id": s.dept.pk, "kind": "reply"}
    ),
    "workbench/agency/<int:agency_id>/templates/<str:kind>/preview.<str:fmt>": Rule(
        S("302 302 404 404 404 404 200 404 404 404"),
        kw=lambda s: {"agency_id": s.dept.pk, "kind": "reply", "fmt": "pdf"},
    ),
    # REST API
    "api/schema/": Rule(S("200 200 200 200 200 200 200 200 200 200")),
    "api/docs/": Rule(S("200 200 200 200 200 200 200 200 200 200")),
    "api/transitions/": Rule(S("401 401 200 200 200 200 200 200 200 200")),
    "api/^applications/$": Rule(S("401 401 200 200 200 200 200 200 200 200")),
    "api/^applications\\.(?P<format>[a-z0-9]+)/?$": Rule(
        S("401 401 200 200 200 200 200 200 200 200"), kw=lambda s: {"format": "json"}
    ),
    "api/^applications/(?P<pk>[0-9]{1,10})/$": Rule(S("401 401 200 200 200 200 200 200 404 404"), kw=app_kw),
    "api/^applications/(?P<pk>[0-9]{1,10})\\.(?P<format>[a-z0-9]+)/?$": Rule(
        S("401 401 200 200 200 200 200 200 404 404"), kw=lambda s: {"pk": s.app.pk, "format": "json"}
    ),
    "api/^applications/(?P<pk>[0-9]{1,10})/events/$": Rule(
        S("401 401 200 200 200 200 200 200 404 404"), kw=app_kw
    ),
    "api/^applications/(?P<pk>[0-9]{1,10})/events\\.(?P<format>[a-z0-9]+)/?$": Rule(
        S("401 401 200 200 200 200 200 200 404 404"), kw=lambda s: {"pk": s.app.pk, "format": "json"}
    ),
    "api/^applications/(?P<pk>[0-9]{1,10})/transitions/$": Rule(
        S("401 401 405 405 405 405 405 405 405 405"),
        kw=app_kw,
        post_data=lambda s: {"action": "withdraw", "reason": "矩阵测试", "effective_date": "2026-11-30"},
        post_done=withdrawn,
        post_expect=S("401 401 200+ 403 403 403 403 403 404 404"),
    ),
    "api/^applications/(?P<pk>[0-9]{1,10})/transitions\\.(?P<format>[a-z0-9]+)/?$": Rule(
        S("401 401 405 405 405 405 405 405 405 405"), kw=lambda s: {"pk": s.app.pk, "format": "json"}
    ),
    # API read endpoints (issue 11 item 14) and the API token page
    "workbench/api-token/": Rule(S("302 302 200 200 200 200 200 200 200 200")),
    "workbench/imports/reports/<int:pk>/duplicate/": Rule(
        S("302 302 404 404 404 404 302 302 404 404"), kw=lambda s: {"pk": s.imported.pk}
    ),
    "api/proactive-counts/": Rule(S("401 401 400 400 400 400 400 400 400 400")),
    "api/^annual-reports/$": Rule(S("401 401 200 200 200 200 200 200 200 200")),
    "api/^annual-reports\\.(?P<format>[a-z0-9]+)/?$": Rule(
        S("401 401 200 200 200 200 200 200 200 200"), kw=lambda s: {"format": "json"}
    ),
    "api/^annual-reports/(?P<pk>[0-9]{1,10})/$": Rule(
        S("401 401 200 200 200 200 200 200 404 404"), kw=lambda s: {"pk": s.report.pk}
    ),
    "api/^annual-reports/(?P<pk>[0-9]{1,10})\\.(?P<format>[a-z0-9]+)/?$": Rule(
        S("401 401 200 200 200 200 200 200 404 404"), kw=lambda s: {"pk": s.report.pk, "format": "json"}
    ),
    "api/^appeals/$": Rule(S("401 401 200 200 200 200 200 200 200 200")),
    "api/^appeals\\.(?P<format>[a-z0-9]+)/?$": Rule(
        S("401 401 200 200 200 200 200 200 200 200"), kw=lambda s: {"format": "json"}
    ),
    "api/^appeals/(?P<pk>[0-9]{1,10})/$": Rule(
        S("401 401 200 200 200 200 200 200 404 404"), kw=lambda s: {"pk": s.appeal.pk}
    ),
    "api/^appeals/(?P<pk>[0-9]{1,10})\\.(?P<format>[a-z0-9]+)/?$": Rule(
        S("401 401 200 200 200 200 200 200 404 404"), kw=lambda s: {"pk": s.appeal.pk, "format": "json"}
    ),
    "api/^report-imports/$": Rule(S("401 401 200 200 200 200 200 200 200 200")),
    "api/^report-imports\\.(?P<format>[a-z0-9]+)/?$": Rule(
        S("401 401 200 200 200 200 200 200 200 200"), kw=lambda s: {"format": "json"}
    ),
    "api/^report-imports/(?P<pk>[0-9]{1,10})/$": Rule(
        S("401 401 200 200 200 200 200 200 404 404"), kw=lambda s: {"pk": s.imported.pk}
    ),
    "api/^report-imports/(?P<pk>[0-9]{1,10})\\.(?P<format>[a-z0-9]+)/?$": Rule(
        S("401 401 200 200 200 200 200 200 404 404"), kw=lambda s: {"pk": s.imported.pk, "format": "json"}
    ),
    "api/^annual-reports/(?P<pk>[0-9]{1,10})/versions/(?P<number>[0-9]{1,10})/$": Rule(
        S("401 401 200 200 200 200 200 200 404 404"),
        kw=lambda s: {"pk": s.report.pk, "number": s.version.number},
    ),
    # 个人信息检查, 依申请→主动公开 (Art. 44), 政策解读, 意见征集, 问答 (issue 10); no interpretation,
    # consultation or proposal is seeded: their object pages answer 404 to everyone
    "workbench/pii/": Rule(S("302 302 200 200 200 200 200 200 200 200")),
    "workbench/pii/<str:kind>/<int:pk>/": Rule(
        S("302 302 200 200 200 200 200 200 404 404"),
        kw=lambda s: {"kind": "records.record", "pk": s.record.pk},
    ),
    "workbench/frequent/": Rule(S("302 302 200 200 200 200 200 200 200 200")),
    "workbench/frequent/detect/": Rule(S("302 302 405 405 405 405 405 405 405 405")),
    "workbench/frequent/<int:pk>/": Rule(
        S("302 302 404 404 404 404 404 404 404 404"), kw=lambda s: {"pk": 999999}
    ),
    "interpretations/": Rule(S("200 200 200 200 200 200 200 200 200 200")),
    "interpretations/<int:pk>/": Rule(
        S("404 404 404 404 404 404 404 404 404 404"), kw=lambda s: {"pk": 999999}
    ),
    "interpretations/<int:pk>/images/<int:image_id>/": Rule(
        S("404 404 404 404 404 404 404 404 404 404"), kw=lambda s: {"pk": 999999, "image_id": 999999}
    ),
    "interpretations/<int:pk>/media/": Rule(
        S("404 404 404 404 404 404 404 404 404 404"), kw=lambda s: {"pk": 999999}
    ),
    "workbench/interpretations/": Rule(S("302 302 200 200 200 200 200 404 404 200")),
    "workbench/interpretations/new/": Rule(S("302 302 200 200 404 404 200 404 404 200")),
    "workbench/interpretations/supervision/": Rule(S("302 302 200 200 200 200 200 200 200 200")),
    "workbench/interpretations/<int:pk>/": Rule(
        S("302 302 404 404 404 404 404 404 404 404"), kw=lambda s: {"pk": 999999}
    ),
    "workbench/interpretations/<int:pk>/images/": Rule(
        S("302 302 405 405 405 405 405 405 405 405"), kw=lambda s: {"pk": 999999}
    ),
    "workbench/interpretations/<int:pk>/actions/<str:name>/": Rule(
        S("302 302 405 405 405 405 405 405 405 405"), kw=lambda s: {"pk": 999999, "name": "publish"}
    ),
    "consultations/": Rule(S("200 200 200 200 200 200 200 200 200 200")),
    "consultations/<int:pk>/": Rule(
        S("404 404 404 404 404 404 404 404 404 404"), kw=lambda s: {"pk": 999999}
    ),
    "consultations/<int:pk>/attachments/<int:att_id>/": Rule(
        S("404 404 404 404 404 404 404 404 404 404"), kw=lambda s: {"pk": 999999, "att_id": 999999}
    ),
    "workbench/consultations/": Rule(S("302 302 200 200 200 200 200 200 200 200")),
    "workbench/consultations/figures/": Rule(S("302 302 200 200 200 200 200 200 200 200")),
    "workbench/consultations/new/<int:record_id>/": Rule(
        S("302 302 404 200 200 200 200 404 404 404"), kw=lambda s: {"record_id": s.record.pk}
    ),
    "workbench/consultations/<int:pk>/": Rule(
        S("302 302 404 404 404 404 404 404 404 404"), kw=lambda s: {"pk": 999999}
    ),
    "workbench/consultations/<int:pk>/actions/<str:name>/": Rule(
        S("302 302 405 405 405 405 405 405 405 405"), kw=lambda s: {"pk": 999999, "name": "close"}
    ),
    "qa/": Rule(S("200 200 200 200 200 200 200 200 200 200")),
    "workbench/qa/": Rule(S("302 302 404 404 404 404 200 404 404 404")),
    "workbench/qa/actions/": Rule(S("302 302 405 405 405 405 405 405 405 405")),
    # Records API (issue 9): public read, staff write
    "api/catalogue/<int:agency_id>/": Rule(
        S("200 200 200 200 200 200 200 200 200 200"), kw=lambda s: {"agency_id": s.dept.pk}
    ),
    "api/^records/$": Rule(S("200 200 200 200 200 200 200 200 200 200")),
    "api/^records\\.(?P<format>[a-z0-9]+)/?$": Rule(
        S("200 200 200 200 200 200 200 200 200 200"), kw=lambda s: {"format": "json"}
    ),
    "api/^records/(?P<pk>[0-9]{1,10})/$": Rule(
        S("200 200 200 200 200 200 200 200 200 200"), kw=lambda s: {"pk": s.record.pk}
    ),
    "api/^records/(?P<pk>[0-9]{1,10})\\.(?P<format>[a-z0-9]+)/?$": Rule(
        S("200 200 200 200 200 200 200 200 200 200"), kw=lambda s: {"pk": s.record.pk, "format": "json"}
    ),
    "api/^staff/records/$": Rule(S("401 401 200 200 200 200 200 200 200 200")),
    "api/^staff/records\\.(?P<format>[a-z0-9]+)/?$": Rule(
        S("401 401 200 200 200 200 200 200 200 200"), kw=lambda s: {"format": "json"}
    ),
    "api/^staff/records/(?P<pk>[0-9]{1,10})/$": Rule(
        S("401 401 200 200 200 200 200 200 404 404"), kw=lambda s: {"pk": s.record.pk}
    ),
    "api/^staff/records/(?P<pk>[0-9]{1,10})\\.(?P<format>[a-z0-9]+)/?$": Rule(
        S("401 401 200 200 200 200 200 200 404 404"), kw=lambda s: {"pk": s.record.pk, "format": "json"}
    ),
    "api/^staff/records/(?P<pk>[0-9]{1,10})/events/$": Rule(
        S("401 401 200 200 200 200 200 200 404 404"), kw=lambda s: {"pk": s.record.pk}
    ),
    "api/^staff/records/(?P<pk>[0-9]{1,10})/events\\.(?P<format>[a-z0-9]+)/?$": Rule(
        S("401 401 200 200 200 200 200 200 404 404"), kw=lambda s: {"pk": s.record.pk, "format": "json"}
    ),
    "api/^staff/records/(?P<pk>[0-9]{1,10})/transitions/$": Rule(
        S("401 401 405 405 405 405 405 405 405 405"), kw=lambda s: {"pk": s.record.pk}
    ),
    "api/^staff/records/(?P<pk>[0-9]{1,10})/transitions\\.(?P<format>[a-z0-9]+)/?$": Rule(
        S("401 401 405 405 405 405 405 405 405 405"), kw=lambda s: {"pk": s.record.pk, "format": "json"}
    ),
    # 年度报告 (public)
    "reports/": Rule(S("200 200 200 200 200 200 200 200 200 200")),
    "reports/<int:agency_id>/<int:year>/": Rule(
        S("200 200 200 200 200 200 200 200 200 200"), kw=lambda s: {"agency_id": s.dept.pk, "year": 2025}
    ),
    "reports/<int:agency_id>/<int:year>/download.<str:fmt>": Rule(
        S("200 200 200 200 200 200 200 200 200 200"),
        kw=lambda s: {"agency_id": s.dept.pk, "year": 2025, "fmt": "json"},
    ),
    "reports/<int:agency_id>/<int:year>/v<int:number>/": Rule(
        S("200 200 200 200 200 200 200 200 200 200"),
        kw=lambda s: {"agency_id": s.dept.pk, "year": 2025, "number": 1},
    ),
    "reports/<int:agency_id>/<int:year>/v<int:number>/download.<str:fmt>": Rule(
        S("200 200 200 200 200 200 200 200 200 200"),
        kw=lambda s: {"agency_id": s.dept.pk, "year": 2025, "number": 1, "fmt": "csv"},
    ),
    # 政府信息公开专栏
    "": Rule(S("200 200 200 200 200 200 200 200 200 200")),
    "search/": Rule(S("200 200 200 200 200 200 200 200 200 200")),
    "gk/<int:agency_id>/": Rule(
        S("200 200 200 200 200 200 200 200 200 200"), kw=lambda s: {"agency_id": s.dept.pk}
    ),
    "region/<int:agency_id>/": Rule(
        S("200 200 200 200 200 200 200 200 200 200"), kw=lambda s: {"agency_id": s.city.pk}
    ),
    "gk/<int:agency_id>/statutory/": Rule(
        S("200 200 200 200 200 200 200 200 200 200"), kw=lambda s: {"agency_id": s.dept.pk}
    ),
    "region/<int:agency_id>/statutory/": Rule(
        S("200 200 200 200 200 200 200 200 200 200"), kw=lambda s: {"agency_id": s.city.pk}
    ),
    "gk/<int:agency_id>/catalogue/": Rule(
        S("200 200 200 200 200 200 200 200 200 200"), kw=lambda s: {"agency_id": s.dept.pk}
    ),
    "region/<int:agency_id>/catalogue/": Rule(
        S("200 200 200 200 200 200 200 200 200 200"), kw=lambda s: {"agency_id": s.city.pk}
    ),
    "gk/<int:agency_id>/policies/": Rule(
        S("200 200 200 200 200 200 200 200 200 200"), kw=lambda s: {"agency_id": s.dept.pk}
    ),
    "region/<int:agency_id>/policies/": Rule(
        S("200 200 200 200 200 200 200 200 200 200"), kw=lambda s: {"agency_id": s.city.pk}
    ),
    "gk/<int:agency_id>/guide/": Rule(
        S("200 200 200 200 200 200 200 200 200 200"), kw=lambda s: {"agency_id": s.dept.pk}
    ),
    "gk/<int:agency_id>/system/": Rule(
        S("200 200 200 200 200 200 200 200 200 200"), kw=lambda s: {"agency_id": s.dept.pk}
    ),
    "gk/<int:agency_id>/<str:kind>/edit/": Rule(
        S("302 302 403 403 403 403 200 403 403 403"), kw=lambda s: {"agency_id": s.dept.pk, "kind": "guide"}
    ),
    "gk/<int:agency_id>/feed.atom": Rule(
        S("200 200 200 200 200 200 200 200 200 200"), kw=lambda s: {"agency_id": s.dept.pk}
    ),
    "topics/<str:code>/feed.atom": Rule(
        S("200 200 200 200 200 200 200 200 200 200"), kw=lambda s: {"code": s.topic.code}
    ),
    "docs/<int:pk>/": Rule(S("200 200 200 200 200 200 200 200 200 200"), kw=lambda s: {"pk": s.record.pk}),
    "docs/<int:pk>/attachments/<int:attachment_id>/": Rule(
        S("200 200 200 200 200 200 200 200 200 200"),
        kw=lambda s: {"pk": s.record.pk, "attachment_id": s.record_attachment.pk},
    ),
    "sitemap.xml": Rule(S("200 200 200 200 200 200 200 200 200 200")),
    "sitemap-<section>.xml": Rule(
        S("200 200 200 200 200 200 200 200 200 200"), kw=lambda s: {"section": "records"}
    ),
    # 依申请公开 portal
    "ysq/": Rule(S("200 200 200 200 200 200 200 200 200 200")),
    "apply/": Rule(S("200 200 200 200 200 200 200 200 200 200")),
    "apply/receipt/": Rule(S("302 302 302 302 302 302 302 302 302 302")),
    "track/": Rule(S("200 200 200 200 200 200 200 200 200 200")),
    "track/status/": Rule(S("302 200 302 302 302 302 302 302 302 302")),
    "track/withdraw/": Rule(
        S("405 405 405 405 405 405 405 405 405 405"),
        post_data=lambda s: {"reason": "矩阵测试", "confirm": "on"},
        post_done=withdrawn,
        post_expect=S("302 302+ 302 302 302 302 302 302 302 302"),
    ),
    "track/correct/": Rule(S("405 405 405 405 405 405 405 405 405 405")),
    "track/documents/<int:pk>/<str:fmt>/": Rule(
        S("404 200 404 404 404 404 404 404 404 404"), kw=lambda s: {"pk": s.letter.pk, "fmt": "pdf"}
    ),
}
