"""Serializers of government information records (政府信息记录) for the public and staff API."""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from gongkai.core import record_lifecycle as lc
from gongkai.records.models import Record, RecordEvent

RECORD_ACTION_CHOICES = sorted(lc.TRANSITIONS)  # named in the schema as RecordActionEnum

PUBLIC_FIELDS = (
    "id",
    "index_number",
    "title",
    "doc_number",
    "agency",
    "agency_name",
    "joint_agencies",
    "category",
    "category_label",
    "doc_type",
    "topic",
    "topic_name",
    "keywords",
    "summary",
    "art_item",
    "written_on",
    "published_on",
    "validity",
    "validity_label",
    "validity_changed_on",
    "replaced_by",
    "url",
)


class PublicRecordSerializer(serializers.ModelSerializer):
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    category_label = serializers.CharField(source="get_category_display", read_only=True)
    validity_label = serializers.CharField(source="get_validity_display", read_only=True)
    topic = serializers.CharField(source="topic.code", default="", read_only=True)
    topic_name = serializers.CharField(source="topic.name", default="", read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Record
        fields = PUBLIC_FIELDS
        read_only_fields = fields

    def get_url(self, obj) -> str:
        return reverse("column:document", args=[obj.pk])


class PublicRecordDetailSerializer(PublicRecordSerializer):
    replaces = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()

    class Meta(PublicRecordSerializer.Meta):
        fields = (*PUBLIC_FIELDS, "body", "replaces", "attachments")
        read_only_fields = fields

    def get_replaces(self, obj) -> list[int]:
        return [r.pk for r in obj.replaces.filter(state__in=lc.DISCLOSED_STATES)]

    def get_attachments(self, obj) -> list[dict]:
        return [
            {
                "name": a.original_name,
                "size": a.size,
                "url": reverse("column:attachment", args=[obj.pk, a.pk]),
            }
            for a in obj.attachments.all()
        ]


STAFF_WRITABLE = (
    "category",
    "title",
    "doc_number",
    "written_on",
    "formed_on",
    "topic",
    "doc_type",
    "keywords",
    "summary",
    "art_item",
    "disclosure_mode",
    "body",
    "source_url",
)


class StaffRecordSerializer(serializers.ModelSerializer):
    """All fields staff see, with the state, the Art. 26 clock and the actions allowed now."""

    state_label = serializers.CharField(read_only=True)
    allowed_actions = serializers.SerializerMethodField()

    class Meta:
        model = Record
        fields = (
            "id",
            "agency",
            "joint_agencies",
            *STAFF_WRITABLE,
            "index_number",
            "published_on",
            "state",
            "state_label",
            "disclosure_attribute",
            "attribute_reason",
            "attribute_basis",
            "validity",
            "validity_changed_on",
            "replaced_by",
            "secrecy_reviewed",
            "consultation_held",
            "interpretation_ready",
            "publish_due",
            "next_reassessment_on",
            "allowed_actions",
        )
        read_only_fields = tuple(f for f in fields if f not in (*STAFF_WRITABLE, "agency", "joint_agencies"))

    def get_allowed_actions(self, obj) -> list[str]:
        from gongkai.records.services.lifecycle import actions_for

        request = self.context.get("request")
        return [t.action for t in actions_for(obj, request.user)] if request else []


class RecordTransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=RECORD_ACTION_CHOICES)
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    data = serializers.DictField(
        required=False, default=dict, help_text="操作所需的数据，如 date、disclosure_attribute、replaced_by"
    )


class RecordEventSerializer(serializers.ModelSerializer):
    actor_name = serializers.SerializerMethodField()

    class Meta:
        model = RecordEvent
        fields = (
            "seq",
            "action",
            "label",
            "from_state",
            "to_state",
            "actor_name",
            "role",
            "at",
            "effective_date",
            "reason",
            "data",
        )
        read_only_fields = fields

    def get_actor_name(self, obj) -> str:
        if obj.actor_id:
            return obj.actor.get_full_name() or obj.actor.get_username()
        return obj.actor_label
