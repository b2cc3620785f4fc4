"""The 政府信息公开指南 (Regulation Art. 12) generated from an agency's settings. Pure Python.

Art. 12: the guide states the classification and arrangement of the information, how to obtain
it, and the disclosure office's name, address, office hours, phone, fax and online contact; the
catalogue states each item's index number, name, summary and date generated. The text below is
the platform's default wording; the agency administrator edits it (each edit is a new version).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass
class GuideFacts:
    agency_name: str
    office_name: str = ""  # 政府信息公开工作机构
    address: str = ""
    postal_code: str = ""
    office_hours: str = ""
    phone: str = ""
    fax: str = ""
    email: str = ""
    column_url: str = ""  # 政府信息公开专栏
    apply_url: str = ""  # 依申请公开 online form
    report_url: str = ""  # 年度报告
    reconsideration_body: str = ""
    court: str = ""


NOT_SET = "（未设置，请机关管理员补充）"


def guide_text(facts: GuideFacts, categories: Sequence[str], topics: Sequence[str]) -> str:
    """The guide as plain text: headed sections (一、…), one paragraph a line."""
    f = facts
    office = f.office_name or f"{f.agency_name}政府信息公开工作机构"
    lines = [
        f"为了保障公民、法人和其他组织依法获取政府信息，根据《中华人民共和国政府信息公开条例》（以下简称《条例》），"
        f"编制本指南。{f.agency_name}的政府信息公开工作按本指南办理。",
        "一、主动公开",
        "（一）公开范围。《条例》第二十条、第二十一条规定的政府信息，以及本机关确定应当主动公开的其他政府信息。",
        "（二）信息分类与编排。主动公开的政府信息按信息类别（"
        + "、".join(categories)
        + "）和主题分类编排"
        + ("（" + "、".join(topics) + "）" if topics else "")
        + "；每条信息列明索引号、名称、内容概述和生成日期，编入政府信息公开目录。",
        f"（三）公开方式。主要通过政府信息公开专栏（{f.column_url or '本平台'}）公开，并可通过政府公报、新闻发布会、"
        "报刊、广播、电视以及查阅场所等方式公开。",
        "（四）公开时限。属于主动公开范围的政府信息，自该政府信息形成或者变更之日起20个工作日内予以公开（《条例》第二十六条）。",
        "二、依申请公开",
        "（一）受理机构。" + office + "。",
        f"（二）提出申请。申请人可以通过互联网（{f.apply_url or '在线申请'}）、信函、传真或者当面提交书面申请；"
        "书面申请确有困难的，可以口头提出，由受理机构代为填写。申请内容应当包括申请人的姓名或者名称、身份证明、联系方式，"
        "申请公开的政府信息的名称、文号或者便于查询的其他特征性描述，以及获取信息的方式、途径。",
        "（三）答复期限。能够当场答复的，当场予以答复；不能当场答复的，自收到申请之日起20个工作日内予以答复；"
        "需要延长答复期限的，经负责人同意并告知申请人，延长的期限最长不得超过20个工作日（《条例》第三十三条）。",
        "（四）收费。行政机关依申请提供政府信息，不收取费用；申请人申请公开政府信息的数量、频次明显超过合理范围的，"
        "可以收取信息处理费（《条例》第四十二条）。",
        "三、政府信息公开工作机构",
        f"名称：{office}",
        f"办公地址：{f.address or NOT_SET}" + (f"（邮政编码：{f.postal_code}）" if f.postal_code else ""),
        f"办公时间：{f.office_hours or NOT_SET}",
        f"联系电话：{f.phone or NOT_SET}",
        f"传真：{f.fax or NOT_SET}",
        f"电子邮箱：{f.email or NOT_SET}",
        "四、监督和救济",
        "公民、法人或者其他组织认为行政机关在政府信息公开工作中侵犯其合法权益的，可以向上一级行政机关或者政府信息公开"
        "工作主管部门投诉、举报，也可以依法申请行政复议或者提起行政诉讼（《条例》第五十一条）。"
        + (f"行政复议机关：{f.reconsideration_body}。" if f.reconsideration_body else "")
        + (f"管辖人民法院：{f.court}。" if f.court else ""),
    ]
    if f.report_url:
        lines += ["五、年度报告", f"本机关政府信息公开工作年度报告于每年按规定时限公布（{f.report_url}）。"]
    return "\n".join(lines)


def guide_sections(text: str) -> list[tuple[str, list[str]]]:
    """Split guide text into (heading, paragraphs); a line like ``一、主动公开`` starts a section."""
    import re

    head = re.compile(r"^[一二三四五六七八九十]+、")
    out: list[tuple[str, list[str]]] = [("", [])]
    for line in (ln.strip() for ln in text.splitlines()):
        if not line:
            continue
        if head.match(line) and len(line) <= 30:
            out.append((line, []))
        else:
            out[-1][1].append(line)
    return [s for s in out if s[0] or s[1]]
