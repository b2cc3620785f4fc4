"""Staff REST API of disclosure applications (依申请公开).

Everything writes through ``gongkai.applications.services`` (the same intake and workflow the
workbench uses). Cases outside the agencies the user may see answer 404, never 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from gongkai.agencies import access
from gongkai.agencies.models import Agency
from gongkai.applications.models import OPEN_STATES, Application, ApplicationEvent, ApplicationState
from gongkai.applications.services import (
    TransitionError,
    personal_data,
    submit_application,
    transition,
    transition_table,
)
from gongkai.applications.services.query_codes import send_code_email

from . import params
from .errors import error_responses
from .serializers import (
    ApplicationCreateSerializer,
    ApplicationCreateUploadSerializer,
    ApplicationDetailSerializer,
    ApplicationSerializer,
    EventSerializer,
    TransitionSerializer,
    TransitionTableSerializer,
    TransitionUploadSerializer,
)

INTAKE_KEYS = (
    "applicant_type",
    "applicant_name",
    "id_document_type",
    "id_document_number",
    "legal_representative",
    "contact_person",
    "phone",
    "email",
    "postal_address",
    "postal_code",
    "description",
    "purpose",
    "requested_form",
    "delivery_method",
    "fee_waiver_requested",
    "fee_waiver_reason",
    "receipt_basis",
)


def _django_errors(exc: DjangoValidationError):
    if hasattr(exc, "message_dict"):
        return exc.message_dict
    return {"non_field_errors": exc.messages}


def _files(request, validated) -> list:
    files = list(validated.get("attachments") or [])
    if not files and hasattr(request, "FILES"):
        files = request.FILES.getlist("attachments")
    return files


HANDLER_PARAM = {"type": "string", "pattern": "^([0-9]{1,10}|me)$"}


@extend_schema_view(
    list=extend_schema(
        summary="申请列表（仅限可见机关）",
        parameters=[
            OpenApiParameter("state", str, description="办理状态", enum=ApplicationState.values),
            OpenApiParameter(
                "agency",
                {"type": "integer", "minimum": 1, "maximum": params.MAX_ID},
                description="受理机关 ID",
            ),
            OpenApiParameter("overdue", bool, description="true：仅列出已超过答复期限的办理中申请"),
            OpenApiParameter("open", bool, description="true：仅列出办理中的申请"),
            OpenApiParameter(
                "q",
                {"type": "string", "maxLength": 200, "pattern": "^[^\\x00]*$"},
                description="受理编号或申请人名称包含",
            ),
            OpenApiParameter("handler", HANDLER_PARAM, description="承办人 ID，或 me 表示本人承办"),
        ],
        responses={200: ApplicationSerializer(many=True), **error_responses(400, 404)},
    ),
    retrieve=extend_schema(
        summary="申请详情", responses={200: ApplicationDetailSerializer, **error_responses(404)}
    ),
)
class ApplicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    serializer_class = ApplicationSerializer
    lookup_value_regex = params.ID_PATH

    def get_queryset(self):
        user = self.request.user
        qs = Application.objects.filter(agency_id__in=access.visible_agency_ids(user)).select_related(
            "agency"
        )
        if self.action == "list":
            qs = self._filtered(qs, self.request.query_params)
            # What allowed_actions needs for every row, read in two queries for the whole page.
            asked = ApplicationEvent.objects.filter(application=OuterRef("pk"), action="request_explanation")
            qs = qs.annotate(explanation_requested=Exists(asked)).prefetch_related("fee_notices")
        if self.action == "retrieve":
            qs = qs.prefetch_related("fee_notices")
        return qs.order_by("-received_date", "-serial", "-pk")

    def _filtered(self, qs, query):
        state = params.choice(query, "state", ApplicationState.values)
        if state:
            qs = qs.filter(state=state)
        agency = params.integer(query, "agency")
        if agency is not None:
            qs = qs.filter(agency_id=agency)
        if params.boolean(query, "overdue"):
            qs = qs.filter(state__in=OPEN_STATES, due_date__lt=timezone.localdate())
        if params.boolean(query, "open"):
            qs = qs.filter(state__in=OPEN_STATES)
        handler = params.pattern(query, "handler", HANDLER_PARAM["pattern"][1:-1], "承办人应为 ID 或 me")
        if handler == "me":
            qs = qs.filter(handler=self.request.user)
        elif handler:
            qs = qs.filter(handler_id=int(handler))
        q = params.text(query, "q")
        if q:
            qs = qs.filter(Q(tracking_number__icontains=q) | Q(applicant_name__icontains=q))
        return qs

    def get_serializer_class(self):
        if self.action == "retrieve":
            return ApplicationDetailSerializer
        if self.action == "create":
            return ApplicationCreateSerializer
        if self.action == "transitions":
            return TransitionSerializer
        if self.action == "events":
            return EventSerializer
        return ApplicationSerializer

    @extend_schema(
        summary="登记申请（工作人员代为登记，第三十一条确定收到申请之日）",
        request={
            "application/json": ApplicationCreateSerializer,
            "multipart/form-data": ApplicationCreateUploadSerializer,
        },
        responses={201: ApplicationDetailSerializer, **error_responses(400, 404)},
    )
    def create(self, request, *args, **kwargs):
        ser = ApplicationCreateUploadSerializer(data=request.data)
        params.declared_form_fields(request, ser)
        ser.is_valid(raise_exception=True)
        v = ser.validated_data
        agency = Agency.objects.filter(pk=v["agency"], pk__in=access.visible_agency_ids(request.user)).first()
        if agency is None:
            raise NotFound("机关不存在")
        data = {k: v[k] for k in INTAKE_KEYS if k in v}
        try:
            app = submit_application(
                agency,
                data,
                channel=v["channel"],
                actor=request.user,
                submitted_at=v.get("submitted_at"),
                receipt_evidence=v.get("receipt_evidence", ""),
                received_date=v.get("received_date"),
                attachments=_files(request, v),
            )
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from None
        except DjangoValidationError as exc:
            raise ValidationError(_django_errors(exc)) from None
        out = ApplicationDetailSerializer(app, context=self.get_serializer_context()).data
        # The query code exists in clear only here, once, for the registering system to hand to
        # the applicant (it is also e-mailed when there is an address); it is never readable again.
        out["issued_query_code"] = app.issued_query_code
        if app.email:
            send_code_email(app, app.issued_query_code)
        return Response(out, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="执行办理操作（状态流转）",
        request={"application/json": TransitionSerializer, "multipart/form-data": TransitionUploadSerializer},
        responses={200: ApplicationDetailSerializer, **error_responses(400, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def transitions(self, request, pk=None, format=None):
        app = self.get_object()  # 404 outside the visible agencies
        if not access.roles_in(request.user, app.agency_id):
            # read-only (supervisors): refused before the input or the state is looked at
            raise PermissionDenied(f"您在{app.agency.name}只能查看，不能办理")
        ser = TransitionUploadSerializer(data=request.data)
        params.declared_form_fields(request, ser)
        ser.is_valid(raise_exception=True)
        v = ser.validated_data
        try:
            app = transition(
                app,
                v["action"],
                request.user,
                reason=v.get("reason", ""),
                effective_date=v.get("effective_date"),
                data=v.get("data") or {},
                attachments=_files(request, v),
            )
        except TransitionError as exc:
            body = {"detail": exc.message, "code": exc.code}
            if exc.field:
                body["field"] = exc.field
            code = {"role": 403, "state": 409}.get(exc.code, 400)
            return Response(body, status=code)
        out = ApplicationDetailSerializer(app, context=self.get_serializer_context())
        return Response(out.data)

    @extend_schema(
        summary="办理记录（不可修改）", responses={200: EventSerializer(many=True), **error_responses(404)}
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def events(self, request, pk=None, format=None):
        app = self.get_object()
        events = (
            ApplicationEvent.objects.filter(application=app)
            .select_related("actor")
            .prefetch_related(Prefetch("attachments"))
            .order_by("seq")
        )
        return Response(EventSerializer(events, many=True).data)

    def get_object(self):
        qs = self.get_queryset()
        return get_object_or_404(qs, pk=self.kwargs["pk"])

    def retrieve(self, request, *args, **kwargs):
        """Detail: full personal data for the staff allowed to see it (the read is logged as a
        reveal through the API), masked for everyone else."""
        app = self.get_object()
        context = self.get_serializer_context()
        if personal_data.may_reveal(request.user, app):
            personal_data.reveal(
                app, request.user, channel="api", client_address=request.META.get("REMOTE_ADDR", "")
            )
            context["full_person_for"] = app.pk
        return Response(ApplicationDetailSerializer(app, context=context).data)


class TransitionTableView(APIView):
    """The workflow's transition table (操作、原状态、新状态、角色)."""

    @extend_schema(
        summary="办理流程状态转换表",
        responses={200: TransitionTableSerializer(many=True), **error_responses()},
    )
    def get(self, request):
        return Response(TransitionTableSerializer(transition_table(), many=True).data)
