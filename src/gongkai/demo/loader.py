"""Loads the whole demo: region and staff, applications, proactive data, appeals, annual reports."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

from .applications import generate_applications
from .records import generate_records
from .region import build_region
from .reports import generate_appeals, generate_art20_counts, generate_replies, publish_reports
from .samples import import_samples, write_samples


def demo_calendar():
    from gongkai.workdays import get_calendar

    return get_calendar()


def load(*, seed: int, as_of: dt.date, log: Callable[[str], None] = print) -> str:
    from gongkai.letters.defaults import install_default_templates

    install_default_templates()  # a flushed database has lost the data migration's defaults
    agencies = build_region()
    log(f"机关 {len(agencies)} 个（含工作人员账号）")
    n = generate_applications(agencies, seed=seed, as_of=as_of, cal=demo_calendar())
    log(f"政府信息公开申请 {n} 件")
    t0 = time.monotonic()
    rec = generate_records(agencies, seed=seed, as_of=as_of)
    log(
        f"政府信息记录 {rec['records']} 件（已修改、废止或失效 {rec['ended']} 件，第二十六条逾期未公开 "
        f"{rec['overdue']} 件，不予公开待复核 {rec['withheld']} 件，文件清理 {rec['campaigns']} 次；"
        f"{time.monotonic() - t0:.1f} 秒）"
    )
    counts = generate_art20_counts(agencies, seed=seed)
    log(f"第二十条事项统计 {counts} 条")
    appeals = generate_appeals(seed=seed, as_of=as_of)
    log(f"行政复议、行政诉讼案件 {appeals} 件")
    replies = generate_replies(agencies["jb_housing"])
    log(f"答复告知书（DOCX/PDF）{replies} 份（{agencies['jb_housing'].name}近期办结的申请）")
    from .issue10 import generate_policy_work

    log(generate_policy_work(agencies, as_of=as_of, cal=demo_calendar()))
    reports = publish_reports(agencies)
    log(f"已发布年度报告 {reports} 份（2024、2025 年度，各机关及市、区本行政区域）")
    dest = write_samples(agencies)
    imported, failed = import_samples(dest)
    log(f"示例年报文件 {dest}（可在「年报导入」上传试用）：已导入 {imported} 份，{failed} 份无法读取")
    return f"{len(agencies)} 个机关，{n} 件申请，{appeals} 件复议诉讼，{reports} 份年度报告"
