"""Planted personal data: records with IDs, phones and cards in text, DOCX and PDF attachments."""

import datetime as dt

from django.core.files.base import ContentFile

from gongkai.core import pii
from gongkai.pii import extract
from gongkai.records.models import RecordAttachment
from gongkai.records.services import lifecycle


def make_id(region: int, born: dt.date, seq: int) -> str:
    first17 = f"{region:06d}{born:%Y%m%d}{seq:03d}"
    return first17 + pii.id_check_char(first17)


def wrong_check(number: str) -> str:
    return number[:17] + pii.ID_CHECK_CHARS[(pii.ID_CHECK_CHARS.index(number[17]) + 1) % 11]


ID_IN_TEXT = make_id(330102, dt.date(1985, 3, 14), 27)
ID_IN_DOCX = make_id(110105, dt.date(1949, 12, 31), 2)
ID_IN_PDF = make_id(440305, dt.date(2001, 7, 9), 518)
INVALID_IDS = [wrong_check(ID_IN_TEXT), wrong_check(ID_IN_DOCX), wrong_check(ID_IN_PDF)]
CARD = "6222020200112233" + pii.luhn_check_digit("6222020200112233")


def attach(record, name: str, data: bytes, ctype: str) -> RecordAttachment:
    att = RecordAttachment(record=record, original_name=name, content_type=ctype, size=len(data))
    att.file.save(name, ContentFile(data), save=False)
    att.save()
    return att


def docx_bytes(paragraphs) -> bytes:
    return extract.build("\n".join(paragraphs), "docx")


def pdf_bytes(paragraphs) -> bytes:
    return extract.build("\n".join(paragraphs), "pdf")


def planted_record(agency, staff):
    """An approved record with personal data in its body and both attachments."""
    rec = lifecycle.create_record(
        agency,
        {
            "category": "normative",
            "title": "某市教育局关于公布校外培训机构处罚决定的通知",
            "doc_number": "市教发〔2026〕9号",
            "written_on": dt.date(2026, 11, 2),
            "body": (
                f"当事人身份证号码{ID_IN_TEXT}，联系电话13812345678。"
                f"另有编号{INVALID_IDS[0]}的登记表（不是身份证号）。"
            ),
        },
        actor=staff["handler"],
    )
    attach(
        rec,
        "处罚决定书.docx",
        docx_bytes(
            ["行政处罚决定书", f"身份证号：{ID_IN_DOCX}", f"退款账户：{CARD}", f"备案号{INVALID_IDS[1]}"]
        ),
        extract.DOCX,
    )
    attach(
        rec,
        "名单.pdf",
        pdf_bytes(["附件名单", f"证件号码 {ID_IN_PDF}", f"流水号 {INVALID_IDS[2]}"]),
        "application/pdf",
    )
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
    rec.refresh_from_db()
    return rec


def read(fieldfile, name) -> str:
    with fieldfile.open("rb") as fh:
        return extract.text_of(fh.read(), name)
