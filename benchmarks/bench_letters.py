"""Letters: render one official reply (公文 layout, Chinese) to PDF and DOCX, and assess fees.

Figures: warm PDF render (WeasyPrint + Noto Serif CJK, goal 1 s: a letter is generated inside a
workflow transition), the first (cold) PDF render of the process (font loading), DOCX render, and
10,000 fee assessments. Pure core functions: no database.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time

from gongkai.core import answers, fees
from gongkai.core.official_doc import Letter, render_docx, render_pdf

RUNS = 7


def _letter() -> Letter:
    decision = answers.decision_text(
        "partial",
        {
            "withheld_part": "中标单位项目负责人的身份证号码、联系电话",
            "withheld_ground": "withheld_third_party",
            "reason": "上述内容属于个人信息，公开会对第三方合法权益造成损害",
            "access_method": "现将其余内容以电子邮件方式发送至您提供的电子邮箱。",
        },
    )
    return Letter(
        title="政府信息公开申请答复告知书",
        doc_number="某住建依申〔2026〕0123号",
        addressee="张三",
        paragraphs=[
            "本机关于2026年11月3日收到您提交的政府信息公开申请（受理编号：某住建依申〔2026〕0123号），"
            "您申请获取“2025年度某某街道老旧小区改造项目的招标文件及中标结果”。现答复如下：",
            decision,
            answers.remedy_for("partial", dt.date(2026, 11, 23), "某某区人民政府", "某某区人民法院").text,
            "特此告知。",
        ],
        agency_name="某某区住房和城乡建设委员会",
        date=dt.date(2026, 11, 23),
        notes=["联系电话：010-12345678"],
    )


def _median(fn, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def run() -> list[dict]:
    letter = _letter()
    t = time.perf_counter()
    render_pdf(letter)
    cold = time.perf_counter() - t
    pdf = _median(lambda: render_pdf(letter))
    docx = _median(lambda: render_docx(letter))

    def fee_batch():
        for i in range(1, 10_001):
            fees.assess(
                "by_volume" if i % 2 else "by_count",
                **({"pages": i % 3000} if i % 2 else {"position": i % 300 + 1}),
            )

    fee = _median(fee_batch, 3)
    return [
        {"name": "reply letter PDF (warm)", "median_s": pdf, "goal_s": 1.0},
        {"name": "reply letter PDF (first in process, font loading)", "median_s": cold, "note": "single run"},
        {"name": "reply letter DOCX", "median_s": docx, "goal_s": 0.5},
        {"name": "10,000 fee assessments", "median_s": fee},
    ]
