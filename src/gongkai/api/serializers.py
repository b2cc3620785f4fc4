"""Serializers of the staff REST API (依申请公开)."""

from __future__ import annotations

from django.utils import timezone
from rest_framework import serializers

from gongkai.applications.models import (
    APPLICANT_TYPE_CHOICES,
    OPEN_STATES,
    OUTCOME_CHOICES,
    Application,
    ApplicationEvent,
    Channel,
    DeliveryMethod,
    FeeNotice,
    IdDocumentType,
    RequestedForm,
)
from gongkai.applications.services import TRANSITIONS, action_label, allowed_actions, personal_data

from .fast import FastRepresentation


class FeeNoticeSerializer(serializers.ModelSerializer):
    class Meta:
        model = FeeNotice
        fields = [
            "id",
            "method",
            "pages",
            "count_in_month",
            "amount",
            "breakdown",
            "waived",
            "waiver_reason",
            "issued_on",
            "pay_by",
            "paid_on",
            "paid_amount",
            "lapsed_on",
        ]
        read_only_fields = fields


class ApplicationSerializer(FastRepresentation, serializers.ModelSerializer):
    """A case as staff see it. The applicant's identity number, phone, e-mail and address are
    masked, except in a detail read by staff allowed to see them (logged; the view sets
    ``context["full_person_for"]``)."""

    agency_name = serializers.CharField(source="agency.name", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    outcome_label = serializers.CharField(source="get_outcome_display", read_only=True)
    channel_label = serializers.CharField(source="get_channel_display", read_only=True)
    email = serializers.CharField(read_only=True, help_text="电子邮箱（未填写时为空字符串）")
    outcome = serializers.ChoiceField(
        choices=OUTCOME_CHOICES,
        allow_blank=True,
        read_only=True,
        help_text="办理结果（尚未答复时为空字符串）",
    )
    overdue = serializers.SerializerMethodField(help_text="是否已超过答复期限（办理中且答复期限早于今天）")
    allowed_actions = serializers.SerializerMethodField(help_text="当前用户可执行的操作")

    class Meta:
        model = Application
        fields = [
            "id",
            "agency",
            "agency_name",
            "tracking_number",
            "year",
            "serial",
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
            "channel",
            "channel_label",
            "submitted_at",
            "received_date",
            "receipt_basis",
            "receipt_evidence",
            "state",
            "state_label",
            "handler",
            "registered_by",
            "correction_requested_on",
            "correction_deadline",
            "correction_received_on",
            "extension_days",
            "pauses",
            "due_date",
            "due_date_provisional",
            "due_date_error",
            "overdue",
            "outcome",
            "outcome_label",
            "answer_text",
            "answered_on",
            "delivered_on",
            "archived_on",
            "closed_on",
            "allowed_actions",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if self.context.get("full_person_for") != instance.pk:
            data.update(personal_data.masked(instance))
        return data

    def get_overdue(self, obj) -> bool:
        return bool(obj.state in OPEN_STATES and obj.due_date and obj.due_date < timezone.localdate())

    def get_allowed_actions(self, obj) -> list[str]:
        request = self.context.get("request")
        if request is None:
            return []
        return allowed_actions(obj, request.user)


class ApplicationDetailSerializer(ApplicationSerializer):
    fee_notices = FeeNoticeSerializer(many=True, read_only=True)

    class Meta(ApplicationSerializer.Meta):
        fields = ApplicationSerializer.Meta.fields + ["fee_notices"]
        read_only_fields = fields


def _required(message: str) -> dict:
    return {"required": message, "blank": message, "null": message}


class ApplicationCreateSerializer(serializers.Serializer):
    """Registration (登记) of an application received by staff; validated by the intake service.

    Required in every case: agency, channel, applicant type and name, identity number and the
    description. Also required, depending on other fields (answered 400 with the field's message):
    ``received_date`` unless the channel is ``in_person``; ``receipt_evidence`` for mail confirmed
    with the applicant, fax and e-mail; at least one of ``phone``/``email``/``postal_address``;
    ``email`` for delivery by e-mail, ``postal_address`` for delivery by post; for legal persons and
    other organisations ``legal_representative`` and ``contact_person``; ``fee_waiver_reason`` when
    a waiver is requested.
    """

    agency = serializers.IntegerField(help_text="受理机关 ID")
    channel = serializers.ChoiceField(
        choices=Channel.choices, help_text="申请渠道（第三十一条决定收到申请之日）"
    )
    submitted_at = serializers.DateTimeField(required=False, help_text="提交时间（默认当前时间）")
    received_date = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="收到申请之日：签收之日（邮寄）或双方确认之日（平常信函、传真、电子邮件）",
    )
    receipt_basis = serializers.CharField(
        required=False, allow_blank=True, help_text="信函：post_signed 或 mail_confirmed"
    )
    receipt_evidence = serializers.CharField(required=False, allow_blank=True, help_text="收到日期证明")
    applicant_type = serializers.ChoiceField(choices=APPLICANT_TYPE_CHOICES)
    applicant_name = serializers.CharField(
        max_length=200, help_text="申请人姓名或名称", error_messages=_required("请填写申请人姓名或名称")
    )
    id_document_type = serializers.ChoiceField(
        choices=IdDocumentType.choices, required=False, allow_blank=True
    )
    id_document_number = serializers.CharField(
        max_length=64,
        help_text="身份证明号码（居民身份证18位，统一社会信用代码18位）",
        error_messages=_required("请填写身份证明号码"),
    )
    legal_representative = serializers.CharField(required=False, allow_blank=True, max_length=100)
    contact_person = serializers.CharField(required=False, allow_blank=True, max_length=100)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=50)
    email = serializers.CharField(required=False, allow_blank=True, max_length=254)
    postal_address = serializers.CharField(required=False, allow_blank=True, max_length=300)
    postal_code = serializers.CharField(required=False, allow_blank=True, max_length=10)
    description = serializers.CharField(
        help_text="所需政府信息的名称、文号或者便于查询的其他特征性描述",
        error_messages=_required("请填写所需政府信息的名称、文号或者便于查询的其他特征性描述"),
    )
    purpose = serializers.CharField(required=False, allow_blank=True)
    requested_form = serializers.ChoiceField(choices=RequestedForm.choices, required=False, allow_blank=True)
    delivery_method = serializers.ChoiceField(
        choices=DeliveryMethod.choices, required=False, allow_blank=True
    )
    fee_waiver_requested = serializers.BooleanField(required=False, default=False)
    fee_waiver_reason = serializers.CharField(required=False, allow_blank=True)


class ApplicationCreateUploadSerializer(ApplicationCreateSerializer):
    """The same registration as multipart/form-data, with files (身份证明、申请书扫描件等)."""

    attachments = serializers.ListField(child=serializers.FileField(), required=False, write_only=True)


APPLICATION_ACTION_CHOICES = [(a, t.label) for a, t in TRANSITIONS.items()]  # ApplicationActionEnum


class TransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(
        choices=APPLICATION_ACTION_CHOICES, help_text="操作（见 GET /api/transitions/）"
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="", help_text="理由或说明")
    effective_date = serializers.DateField(required=False, allow_null=True, help_text="事件日期（默认今天）")
    data = serializers.JSONField(required=False, default=dict, help_text='操作所需的事实，如 {"days": 10}')

    def validate_data(self, value):
        if value in (None, ""):
            return {}
        if isinstance(value, str):  # multipart form: data sent as a JSON string
            import json

            try:
                value = json.loads(value)
            except ValueError:
                raise serializers.ValidationError("data 应为 JSON 对象") from None
        if not isinstance(value, dict):
            raise serializers.ValidationError("data 应为 JSON 对象")
        return value


class TransitionUploadSerializer(TransitionSerializer):
    """The same action as multipart/form-data, with files; ``data`` is then a JSON string."""

    attachments = serializers.ListField(child=serializers.FileField(), required=False, write_only=True)


class EventSerializer(serializers.ModelSerializer):
    action_label = serializers.SerializerMethodField()
    actor_name = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()

    class Meta:
        model = ApplicationEvent
        fields = [
            "seq",
            "action",
            "action_label",
            "from_state",
            "to_state",
            "actor",
            "actor_name",
            "actor_label",
            "at",
            "effective_date",
            "reason",
            "data",
            "attachments",
        ]
        read_only_fields = fields

    def get_action_label(self, obj) -> str:
        return action_label(obj.action)

    def get_actor_name(self, obj) -> str:
        if obj.actor_id:
            return obj.actor.get_full_name() or obj.actor.get_username()
        return obj.actor_label

    def get_attachments(self, obj) -> list[dict]:
        return [
            {"id": a.pk, "name": a.original_name, "content_type": a.content_type, "size": a.size}
            for a in obj.attachments.all()
        ]


class TransitionTableSerializer(serializers.Serializer):
    action = serializers.CharField()
    label = serializers.CharField()
    to = serializers.CharField(allow_null=True)
    roles = serializers.ListField(child=serializers.CharField())
    reason_required = serializers.BooleanField()
    basis = serializers.CharField()
    sources = serializers.ListField(child=serializers.CharField(), source="from")
