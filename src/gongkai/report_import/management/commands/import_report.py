"""``gongkai import-report PATH... [--json] [--save]`` — parse and audit published annual reports.

Each PATH is a report file (.txt/.html/.htm/.docx/.pdf) or a directory (searched recursively).
``--json`` prints one JSON object per report (JSON lines) with the parse result
(``gongkai.core.report_parse.parse_report``); without it a Chinese summary is printed.
``--save`` stores each result through ``report_import.services.save_parsed_report``.
"""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

SUFFIXES = {".txt", ".html", ".htm", ".shtml", ".docx", ".pdf"}
JSON_KEYS = (
    "source",
    "agency",
    "year",
    "template",
    "tables",
    "text_sections",
    "fees",
    "missing",
    "blank_cells",
    "findings",
)
SECTION_LABELS = {
    "overview": "第一部分",
    "proactive": "第二部分",
    "applications": "第三部分",
    "review_litigation": "第四部分",
    "problems": "第五部分",
    "other_matters": "第六部分",
    "document": "文件",
}


def expand_paths(paths: list[str]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            out += sorted(f for f in path.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES)
        elif path.is_file():
            out.append(path)
        else:
            raise CommandError(f"找不到文件或目录：{p}")
    return out


def _count_cells(tables: dict) -> int:
    return sum(len(cells) for rows in tables.values() for cells in rows.values())


def summary(result: dict) -> str:
    """Chinese human summary of one parse result."""
    lines = [f"【{result['source']}】"]
    lines.append(
        f"  机关：{result.get('agency') or '（未识别）'}　年度：{result.get('year') or '（未识别）'}　"
        f"格式：{(result.get('template') + '年版') if result.get('template') else '（未识别）'}"
    )
    tables = result.get("tables") or {}
    lines.append(
        f"  读取表格 {len(tables)} 张，数值 {_count_cells(tables)} 个；空白单元格 {len(result.get('blank_cells') or [])} 个"
    )
    fees = result.get("fees") or {}
    if fees:
        parts = []
        if "notices_issued" in fees:
            parts.append(f"发出收费通知 {fees['notices_issued']} 件")
        if "amount_notified" in fees:
            parts.append(f"通知金额 {fees['amount_notified']} 元")
        if "amount_collected" in fees:
            parts.append(f"实际收取 {fees['amount_collected']} 元")
        lines.append("  信息处理费：" + "，".join(parts))
    missing = result.get("missing") or []
    if missing:
        lines.append(f"  未能读取（{len(missing)} 项）：")
        for m in missing:
            lines.append(f"    - {m.get('reason')}")
    findings = result.get("findings") or []
    errors = [f for f in findings if f.get("severity") == "error"]
    if findings:
        lines.append(f"  审核发现 {len(findings)} 项（错误 {len(errors)} 项）：")
        for f in findings:
            tag = "错误" if f.get("severity") == "error" else "提示"
            lines.append(f"    - [{tag}] {f.get('message')}")
    else:
        lines.append("  审核未发现问题")
    return "\n".join(lines)


class Command(BaseCommand):
    # No system checks: they import every URLconf and view (a second of start-up); the command
    # only reads the calendar/parses files and needs no URL, admin or template check.
    requires_system_checks = []
    help = "导入并审核已发布的政府信息公开工作年度报告（txt/html/docx/pdf）"

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="报告文件或目录")
        parser.add_argument("--json", action="store_true", help="每份报告输出一行 JSON")
        parser.add_argument("--save", action="store_true", help="保存到数据库（年报导入记录）")
        parser.add_argument(
            "--on-duplicate",
            choices=("ask", "replace", "keep", "skip"),
            default=None,
            help="与此前导入的报告（机关、年度和各表数据相同）重复时：ask 逐份询问，replace 替换此前的，"
            "keep 两份都保留，skip 不保存本次的（默认：在终端中询问，否则 skip 并提示）",
        )

    def handle(self, *args, **options):
        from gongkai.core.report_parse import parse_report
        from gongkai.core.report_parse.ocr import folder_assets
        from gongkai.core.sandbox import LimitedRunFailed
        from gongkai.core.untrusted import member_cap
        from gongkai.report_import.limits import import_limits, parse_limited

        files = expand_paths(options["paths"])
        if not files:
            raise CommandError("没有找到可导入的报告文件（支持 txt、html、docx、pdf）")
        save = None
        if options["save"]:
            try:
                from gongkai.report_import.services import save_parsed_report as save
            except ImportError as exc:
                raise CommandError(
                    f"保存功能不可用（report_import.services.save_parsed_report 尚未提供）：{exc}"
                ) from exc
        failures = 0
        limits = import_limits()
        for path in files:
            # read inside the size cap, parsed in a limited child process (as the workers do)
            size, cap = Path(path).stat().st_size, member_cap(str(path), limits)
            try:
                if size > cap:
                    raise LimitedRunFailed("rejected", f"文件过大（上限 {cap // 1024 // 1024} MB）")
                # an HTML page's pictures (tables printed as images) are read from its folder
                parse = functools.partial(parse_report, assets=folder_assets(Path(path).parent))
                result = parse_limited(parse, Path(path).read_bytes(), str(path))
            except LimitedRunFailed as exc:
                failures += 1
                self.stderr.write(f"{path}：{exc}")
                continue
            if options["json"]:
                obj = {k: result.get(k) for k in JSON_KEYS}
                self.stdout.write(json.dumps(obj, ensure_ascii=False, default=str))
            else:
                self.stdout.write(summary(result))
            if any(m.get("section") == "document" for m in result.get("missing") or []):
                failures += 1
            if save is not None:
                try:
                    saved = save(result)
                except Exception as exc:  # noqa: BLE001 - per-file error, batch goes on
                    failures += 1
                    self.stderr.write(f"{path}：保存失败：{exc}")
                    continue
                self._after_save(saved, options)
        if failures:
            raise CommandError(f"{failures} 份报告未能完整导入或保存")

    def _after_save(self, saved, options) -> None:
        """Say what was saved; a repeat of an earlier import (same file, or same agency, year
        and cells) is said and handled as ``--on-duplicate`` asks (messages on stderr when
        ``--json`` keeps stdout for the results)."""
        from gongkai.report_import.duplicates import describe, earlier_copies, resolve

        out = self.stderr if options["json"] else self.stdout
        if not getattr(saved, "created_now", False):
            out.write(f"  同一文件此前已导入：{describe(saved)}，未重复导入")
            return
        earlier = earlier_copies(saved)
        if not earlier:
            if not options["json"]:
                out.write(f"  已保存（记录编号 {saved.pk}）")
            return
        how = options["on_duplicate"] or ("ask" if sys.stdin.isatty() else "skip")
        out.write(
            f"  与此前导入的{'、'.join(describe(e) for e in earlier)}重复（机关、年度和各表数据完全相同）"
        )
        if how == "ask":
            how = self._ask()
        choice = {"skip": "cancel"}.get(how, how)
        kept = resolve(saved, choice)
        text = {
            "replace": f"已替换此前导入的报告，保存为记录编号 {saved.pk}",
            "keep": f"两份都保留，本次保存为记录编号 {saved.pk}",
            "cancel": f"未保存本次导入，保留记录编号 {getattr(kept, 'pk', '?')}"
            + ("（可用 --on-duplicate=replace 或 keep 改变）" if how == "skip" else ""),
        }[choice]
        out.write("  " + text)

    def _ask(self) -> str:
        answers = {"r": "replace", "k": "keep", "s": "skip", "": "skip"}
        while True:
            self.stdout.write(
                "  请选择：[r] 替换此前的  [k] 两份都保留  [s] 不保存本次的（默认 s）：", ending=""
            )
            self.stdout.flush()
            try:
                a = input().strip().lower()
            except EOFError:
                return "skip"
            if a in answers:
                return answers[a]
