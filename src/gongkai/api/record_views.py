"""REST API of government information records (政府信息记录).

Public (no login): disclosed records and each agency's catalogue (主动公开目录), read-only.
Staff (token or session): records of the agencies they may see, written only through
``gongkai.records.services.lifecycle`` (create, edit, transitions) with the per-agency role rules;
anything outside the visible agencies answers 404.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from gongkai.agencies import access
from gongkai.agencies.models import Agency
from gongkai.column.services import (
    ART_ITEM_LABELS,
    CATALOGUE_SORTS,
    CATEGORY_LABELS,
    FIRST_YEAR,
    VALIDITY_LABELS,
    ListParams,
    catalogue,
    public_records,
    record_row,
    scope_ids,
)
from gongkai.core import record_lifecycle as lc
from gongkai.records.models import Record
from gongkai.records.services import lifecycle

from . import params
from .bases import ReadViewSet
from .errors import error_responses
from .record_serializers import (
    STAFF_WRITABLE,
    PublicRecordDetailSerializer,
    PublicRecordSerializer,
    RecordEventSerializer,
    RecordTransitionSerializer,
    StaffRecordSerializer,
)

NO_NUL = "^[^\\x00]*$"
MAX_YEAR = 9999
# Exactly what the filters accept, so that every value the schema allows is answered 200.
LIST_PARAMS = [
    OpenApiParameter(
        "q", {"type": "string", "maxLength": 200, "pattern": NO_NUL}, description="标题、索引号或文号包含"
    ),
    OpenApiParameter(
        "issuer",
        {"type": "integer", "minimum": 1, "maximum": params.MAX_ID},
        description="发文机关 ID（含联合发文）",
    ),
    OpenApiParameter(
        "year", {"type": "integer", "minimum": FIRST_YEAR, "maximum": MAX_YEAR}, description="成文年份"
    ),
    OpenApiParameter(
        "topic", {"type": "string", "maxLength": 20, "pattern": NO_NUL}, description="主题分类代码"
    ),
    OpenApiParameter("category", str, enum=list(CATEGORY_LABELS), description="信息类别"),
    OpenApiParameter("validity", str, enum=list(VALIDITY_LABELS), description="有效性"),
    OpenApiParameter("item", str, enum=list(ART_ITEM_LABELS), description="条例条项，如 20-1"),
    OpenApiParameter("sort", str, enum=list(CATALOGUE_SORTS), description="排序"),
]


def _params(request) -> ListParams:
    p = ListParams.from_request(request, max_year=MAX_YEAR)
    if p.errors:
        raise ValidationError({"detail": p.errors})
    return p


@extend_schema_view(
    list=extend_schema(
        summary="已公开的政府信息（公开，无需登录）",
        parameters=LIST_PARAMS,
        responses={200: PublicRecordSerializer(many=True), **error_responses(400, 404, 429)},
    ),
    retrieve=extend_schema(
        summary="政府信息详情（公开）",
        responses={200: PublicRecordDetailSerializer, **error_responses(404, 429)},
    ),
)
class PublicRecordViewSet(ReadViewSet):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    serializer_class = PublicRecordSerializer
    detail_serializer_class = PublicRecordDetailSerializer

    def get_queryset(self):
        if self.action == "list":
            p = _params(self.request)
            return catalogue(list(Agency.objects.filter(active=True).values_list("pk", flat=True)), p)
        return public_records().select_related("agency", "topic").prefetch_related("attachments")


class CatalogueView(APIView):
    """主动公开目录 of an agency (``region=1``: with every agency below it)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        summary="机关主动公开目录（公开）",
        parameters=[*LIST_PARAMS, OpenApiParameter("region", bool, description="包括下级机关")],
        responses={200: dict, **error_responses(400, 404, 429)},
    )
    def get(self, request, agency_id: int):
        agency = get_object_or_404(Agency, pk=agency_id, active=True)
        region = request.query_params.get("region", "").lower() in ("1", "true", "yes")
        p = _params(request)
        qs = catalogue(scope_ids(agency, region), p)
        from rest_framework.pagination import PageNumberPagination

        pager = PageNumberPagination()
        page = pager.paginate_queryset(qs, request, view=self)
        return pager.get_paginated_response([record_row(r) for r in page])


def _refused(exc: lifecycle.TransitionError) -> Response:
    code = {"role": 403, "state": 409, "unknown": 404}.get(exc.code, 400)
    return Response({"detail": exc.message, "code": exc.code}, status=code)


@extend_schema_view(
    list=extend_schema(
        summary="政府信息记录（工作人员，仅限可见机关）",
        parameters=[
            OpenApiParameter("state", str, enum=[k for k, _ in lc.STATE_CHOICES], description="状态"),
            OpenApiParameter(
                "agency", {"type": "integer", "minimum": 1, "maximum": params.MAX_ID}, description="机关 ID"
            ),
        ],
        responses={200: StaffRecordSerializer(many=True), **error_responses(400, 404)},
    ),
    retrieve=extend_schema(
        summary="记录详情（工作人员）", responses={200: StaffRecordSerializer, **error_responses(404)}
    ),
    create=extend_schema(
        summary="起草记录（本机关起草人员）",
        responses={201: StaffRecordSerializer, **error_responses(400, 404)},
    ),
    partial_update=extend_schema(
        summary="修改记录（送审后仅可更正目录信息）",
        responses={200: StaffRecordSerializer, **error_responses(400, 404, 409)},
    ),
)
class StaffRecordViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = StaffRecordSerializer
    lookup_value_regex = params.ID_PATH
    # JSON only: records carry no files, and a form cannot send the lists, objects and nulls
    # the bodies contain (joint_agencies, a transition's data, a cleared date)
    parser_classes = [JSONParser]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        qs = Record.objects.filter(agency_id__in=access.visible_agency_ids(self.request.user)).select_related(
            "agency", "topic"
        )
        if self.action == "list":
            query = self.request.query_params
            state = params.choice(query, "state", [k for k, _ in lc.STATE_CHOICES])
            if state:
                qs = qs.filter(state=state)
            agency = params.integer(query, "agency")
            if agency is not None:
                qs = qs.filter(agency_id=agency)
        return qs.prefetch_related("joint_agencies").order_by("-pk")

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def _split(self, validated):
        data = {k: v for k, v in validated.items() if k in STAFF_WRITABLE}
        joint = validated.get("joint_agencies")
        return data, (list(joint) if joint is not None else None)

    def create(self, request, *args, **kwargs):
        # an agency the user cannot see (or none exists under that id) is a 404, as everywhere
        # in the API, before the body is validated against the agencies that exist
        body = request.data  # a body that is not JSON is a 415 here
        agency_id = body.get("agency") if isinstance(body, dict) else None
        if isinstance(agency_id, str) and agency_id.isascii() and agency_id.isdigit():  # a form field
            agency_id = int(agency_id)
        if isinstance(agency_id, int) and not isinstance(agency_id, bool):
            if agency_id not in access.visible_agency_ids(request.user):
                raise NotFound("机关不存在")
        ser = StaffRecordSerializer(data=request.data, context=self.get_serializer_context())
        ser.is_valid(raise_exception=True)
        agency = ser.validated_data.get("agency")
        if agency is None or agency.pk not in access.visible_agency_ids(request.user):
            raise NotFound("机关不存在")
        data, joint = self._split(ser.validated_data)
        try:
            rec = lifecycle.create_record(agency, data, actor=request.user, joint=joint or ())
        except lifecycle.TransitionError as exc:
            return _refused(exc)
        except DjangoValidationError as exc:
            raise ValidationError(
                exc.message_dict if hasattr(exc, "message_dict") else exc.messages
            ) from None
        return Response(StaffRecordSerializer(rec, context=self.get_serializer_context()).data, status=201)

    def partial_update(self, request, *args, **kwargs):
        rec = self.get_object()
        ser = StaffRecordSerializer(
            rec, data=request.data, partial=True, context=self.get_serializer_context()
        )
        ser.is_valid(raise_exception=True)
        if "agency" in ser.validated_data and ser.validated_data["agency"].pk != rec.agency_id:
            raise ValidationError({"agency": "发文机关不能修改"})
        data, joint = self._split(ser.validated_data)
        try:
            rec = lifecycle.update_record(
                rec, data, actor=request.user, joint=joint, reason=request.data.get("reason", "")
            )
        except lifecycle.TransitionError as exc:
            return _refused(exc)
        except DjangoValidationError as exc:
            raise ValidationError(
                exc.message_dict if hasattr(exc, "message_dict") else exc.messages
            ) from None
        return Response(StaffRecordSerializer(rec, context=self.get_serializer_context()).data)

    def update(self, request, *args, **kwargs):  # PUT is not offered; PATCH only
        return self.partial_update(request, *args, **kwargs)

    @extend_schema(
        summary="执行记录的状态操作",
        request=RecordTransitionSerializer,
        responses={200: StaffRecordSerializer, **error_responses(400, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def transitions(self, request, pk=None, format=None):
        rec = self.get_object()
        ser = RecordTransitionSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        v = ser.validated_data
        try:
            rec = lifecycle.transition(
                rec, v["action"], actor=request.user, reason=v["reason"], data=v["data"]
            )
        except lifecycle.TransitionError as exc:
            return _refused(exc)
        return Response(
            StaffRecordSerializer(rec, context=self.get_serializer_context()).data, status=status.HTTP_200_OK
        )

    @extend_schema(
        summary="记录办理日志（不可修改）",
        responses={200: RecordEventSerializer(many=True), **error_responses(404)},
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def events(self, request, pk=None, format=None):
        rec = self.get_object()
        return Response(
            RecordEventSerializer(rec.events.select_related("actor").order_by("seq"), many=True).data
        )
