"""Read endpoints of the staff API beside the applications: published annual reports (cells per
agency, year and version, and the region aggregate), proactive-disclosure counts (Section 2),
appeals (Section 4) and imported reports with their audit findings.

Same access rule as everywhere: only agencies in ``visible_agency_ids(user)``; anything else is a
404 (a filter naming an invisible agency returns nothing).
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from gongkai.agencies import access
from gongkai.agencies.models import Agency
from gongkai.annual_reports.models import AnnualReport, ReportStatus, ReportVersion, Scope
from gongkai.appeals.models import Appeal, AppealKind, AppealOutcome
from gongkai.core.report_schema import template_for_year
from gongkai.proactive.stats import section2
from gongkai.report_import.models import ImportedReport
from gongkai.report_import.models import ReportStatus as AuditStatus

from . import params
from .bases import ReadViewSet
from .errors import error_responses

YEAR = {"type": "integer", "minimum": 2008, "maximum": 2100}
ID = {"type": "integer", "minimum": 1, "maximum": params.MAX_ID}
AGENCY_PARAM = OpenApiParameter("agency", ID, description="机关 ID")
YEAR_PARAM = OpenApiParameter("year", YEAR, description="年度")


def _year(query, required: bool = False) -> int | None:
    year = params.integer(query, "year", minimum=YEAR["minimum"], maximum=YEAR["maximum"])
    if year is None and required:
        raise serializers.ValidationError({"year": "请指定年度"})
    return year


# -- annual reports ---------------------------------------------------------------------------------
class ReportVersionSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportVersion
        fields = ["number", "published_at", "error_count", "warning_count", "change_note"]
        read_only_fields = fields


class ReportVersionSerializer(ReportVersionSummarySerializer):
    data = serializers.JSONField(
        read_only=True, help_text="报告数据：各表格单元格（tables）、文字部分（text_sections）等"
    )
    findings = serializers.JSONField(read_only=True, help_text="发布时的校验结果（勾稽关系）")

    class Meta(ReportVersionSummarySerializer.Meta):
        fields = ReportVersionSummarySerializer.Meta.fields + [
            "computed_at",
            "override_reason",
            "data",
            "findings",
        ]
        read_only_fields = fields


class AnnualReportSerializer(serializers.ModelSerializer):
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    title = serializers.CharField(read_only=True)
    current_version = serializers.IntegerField(source="current_version.number", read_only=True)
    versions = ReportVersionSummarySerializer(
        source="published_list", many=True, read_only=True, help_text="已发布的各版本（更正版本号递增）"
    )

    class Meta:
        model = AnnualReport
        fields = [
            "id",
            "agency",
            "agency_name",
            "year",
            "scope",
            "template_id",
            "title",
            "first_published_at",
            "current_version",
            "versions",
        ]
        read_only_fields = fields


class AnnualReportDetailSerializer(AnnualReportSerializer):
    current = ReportVersionSerializer(
        source="current_version", read_only=True, help_text="现行版本的全部数据"
    )

    class Meta(AnnualReportSerializer.Meta):
        fields = AnnualReportSerializer.Meta.fields + ["current"]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(
        summary="已发布的年度报告（本机关或本行政区域汇总）",
        parameters=[
            AGENCY_PARAM,
            YEAR_PARAM,
            OpenApiParameter(
                "scope", str, enum=Scope.values, description="single：本机关；subtree：本行政区域汇总"
            ),
        ],
        responses={200: AnnualReportSerializer(many=True), **error_responses(400, 404)},
    ),
    retrieve=extend_schema(
        summary="年度报告及现行版本的单元格数据",
        responses={200: AnnualReportDetailSerializer, **error_responses(404)},
    ),
)
class AnnualReportViewSet(ReadViewSet):
    serializer_class = AnnualReportSerializer
    detail_serializer_class = AnnualReportDetailSerializer

    def get_queryset(self):
        published = ReportVersion.objects.filter(published_at__isnull=False).order_by("number")
        qs = (
            AnnualReport.objects.filter(
                agency_id__in=access.visible_agency_ids(self.request.user),
                status=ReportStatus.PUBLISHED,
                current_version__isnull=False,
            )
            .select_related("agency", "current_version")
            .prefetch_related(Prefetch("versions", queryset=published, to_attr="published_list"))
        )
        if self.action == "list":
            query = self.request.query_params
            agency = params.integer(query, "agency")
            if agency is not None:
                qs = qs.filter(agency_id=agency)
            year = _year(query)
            if year is not None:
                qs = qs.filter(year=year)
            scope = params.choice(query, "scope", Scope.values)
            if scope:
                qs = qs.filter(scope=scope)
        return qs.order_by("-year", "agency__path", "scope", "pk")

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])


class ReportVersionView(APIView):
    @extend_schema(
        summary="年度报告的某一发布版本（含单元格数据）",
        parameters=[
            OpenApiParameter("pk", ID, OpenApiParameter.PATH, description="年度报告 ID"),
            OpenApiParameter("number", ID, OpenApiParameter.PATH, description="版本号"),
        ],
        responses={200: ReportVersionSerializer, **error_responses(404)},
    )
    def get(self, request, pk: int, number: int):
        version = ReportVersion.objects.filter(
            report_id=pk,
            number=number,
            published_at__isnull=False,
            report__agency_id__in=access.visible_agency_ids(request.user),
        ).first()
        if version is None:
            raise NotFound("该版本不存在或未发布")
        return Response(ReportVersionSerializer(version).data)


# -- proactive disclosure counts (Section 2) --------------------------------------------------------
ProactiveCounts = inline_serializer(
    "ProactiveCounts",
    {
        "agency": serializers.IntegerField(),
        "agency_name": serializers.CharField(),
        "year": serializers.IntegerField(),
        "template_id": serializers.CharField(),
        "subtree": serializers.BooleanField(help_text="true：含下级机关（本行政区域）"),
        "tables": serializers.DictField(
            child=serializers.DictField(child=serializers.DictField()),
            help_text="第二部分各表：{表: {行: {列: 数值}}}（收费金额单位：万元）",
        ),
    },
)


class ProactiveCountsView(APIView):
    @extend_schema(
        summary="主动公开情况统计（年度报告第二部分）",
        parameters=[
            OpenApiParameter("agency", ID, required=True, description="机关 ID"),
            OpenApiParameter("year", YEAR, required=True, description="年度"),
            OpenApiParameter("subtree", bool, description="true：含下级机关（本行政区域汇总）"),
        ],
        responses={200: ProactiveCounts, **error_responses(400, 404)},
    )
    def get(self, request):
        query = request.query_params
        agency_id = params.integer(query, "agency")
        if agency_id is None:
            raise serializers.ValidationError({"agency": "请指定机关"})
        year = _year(query, required=True)
        subtree = bool(params.boolean(query, "subtree"))
        visible = access.visible_agency_ids(request.user)
        agency = Agency.objects.filter(pk=agency_id, pk__in=visible).first()
        if agency is None:
            raise NotFound("机关不存在")
        ids = (
            [a for a in agency.subtree().values_list("pk", flat=True) if a in visible]
            if subtree
            else [agency.pk]
        )
        template = template_for_year(year)
        tables = section2(ids, year, template.id)
        return Response(
            {
                "agency": agency.pk,
                "agency_name": agency.name,
                "year": year,
                "template_id": template.id,
                "subtree": subtree,
                "tables": {
                    t: {
                        r: {c: v if isinstance(v, int) else float(v) for c, v in row.items()}
                        for r, row in rows.items()
                    }
                    for t, rows in tables.items()
                },
            }
        )


# -- appeals (Section 4) ----------------------------------------------------------------------------
class AppealSerializer(serializers.ModelSerializer):
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    outcome_label = serializers.CharField(source="get_outcome_display", read_only=True)

    class Meta:
        model = Appeal
        fields = [
            "id",
            "kind",
            "kind_label",
            "agency",
            "agency_name",
            "application",
            "case_number",
            "body",
            "filed_date",
            "decided_date",
            "outcome",
            "outcome_label",
            "summary",
        ]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(
        summary="行政复议、行政诉讼案件",
        parameters=[
            AGENCY_PARAM,
            OpenApiParameter("year", YEAR, description="申请或立案年度"),
            OpenApiParameter("kind", str, enum=AppealKind.values, description="案件类型"),
            OpenApiParameter("outcome", str, enum=AppealOutcome.values, description="结果"),
        ],
        responses={200: AppealSerializer(many=True), **error_responses(400, 404)},
    ),
    retrieve=extend_schema(
        summary="复议或诉讼案件详情", responses={200: AppealSerializer, **error_responses(404)}
    ),
)
class AppealViewSet(ReadViewSet):
    serializer_class = AppealSerializer

    def get_queryset(self):
        qs = Appeal.objects.filter(agency_id__in=access.visible_agency_ids(self.request.user)).select_related(
            "agency"
        )
        if self.action == "list":
            query = self.request.query_params
            agency = params.integer(query, "agency")
            if agency is not None:
                qs = qs.filter(agency_id=agency)
            year = _year(query)
            if year is not None:
                qs = qs.filter(filed_date__year=year)
            kind = params.choice(query, "kind", AppealKind.values)
            if kind:
                qs = qs.filter(kind=kind)
            outcome = params.choice(query, "outcome", AppealOutcome.values)
            if outcome:
                qs = qs.filter(outcome=outcome)
        return qs.order_by("-filed_date", "pk")

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])


# -- imported reports and their findings ------------------------------------------------------------
class ImportedReportSerializer(serializers.ModelSerializer):
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = ImportedReport
        fields = [
            "id",
            "agency",
            "agency_name",
            "agency_name_printed",
            "year",
            "template_id",
            "source_name",
            "sha256",
            "status",
            "status_label",
            "finding_count",
            "error_count",
            "missing_count",
            "imported_at",
        ]
        read_only_fields = fields


class ImportedReportDetailSerializer(ImportedReportSerializer):
    findings = serializers.JSONField(read_only=True, help_text="审核发现：规则、级别、说明、涉及的单元格")
    tables = serializers.JSONField(read_only=True, help_text="读出的各表单元格")
    missing = serializers.JSONField(read_only=True, help_text="缺失的部分")

    class Meta(ImportedReportSerializer.Meta):
        fields = ImportedReportSerializer.Meta.fields + ["findings", "tables", "missing"]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(
        summary="已导入的年度报告（审核结果）",
        parameters=[
            AGENCY_PARAM,
            YEAR_PARAM,
            OpenApiParameter("status", str, enum=AuditStatus.values, description="审核状态"),
        ],
        responses={200: ImportedReportSerializer(many=True), **error_responses(400, 404)},
    ),
    retrieve=extend_schema(
        summary="已导入年度报告的单元格与审核发现",
        responses={200: ImportedReportDetailSerializer, **error_responses(404)},
    ),
)
class ImportedReportViewSet(ReadViewSet):
    serializer_class = ImportedReportSerializer
    detail_serializer_class = ImportedReportDetailSerializer

    def get_queryset(self):
        qs = ImportedReport.objects.filter(
            agency_id__in=access.visible_agency_ids(self.request.user)
        ).select_related("agency")
        if self.action == "list":
            query = self.request.query_params
            agency = params.integer(query, "agency")
            if agency is not None:
                qs = qs.filter(agency_id=agency)
            year = _year(query)
            if year is not None:
                qs = qs.filter(year=year)
            status = params.choice(query, "status", AuditStatus.values)
            if status:
                qs = qs.filter(status=status)
            return qs.defer("parsed", "findings").order_by("agency__name", "-year", "-imported_at", "pk")
        return qs.order_by("pk")

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
