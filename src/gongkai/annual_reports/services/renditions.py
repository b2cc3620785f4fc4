"""Renditions of published report versions (已发布版本的页面与下载文件), rendered once and stored.

A published version is frozen, so its web page body, its charts and its HTML, PDF, DOCX, CSV and
JSON downloads are the same for every visitor: :func:`rendition` renders one the first time it is
asked for (or when the version is published, :func:`prerender`) and stores it in
:class:`~gongkai.annual_reports.models.ReportRendition`; every later request reads the stored
bytes. The HTTP validators (ETag, Last-Modified) are known without reading them, so a revalidation
answers 304 with one query.

``REVISION`` names the renderers' output: change it when a renderer's output changes, and
versions are rendered again on their next request (older renditions stay as they were).
"""

from __future__ import annotations

import hashlib
import json
import logging

from django.db import IntegrityError, transaction

from ..models import ReportRendition, ReportVersion
from .export import FORMATS, render
from .reports import version_data

log = logging.getLogger(__name__)

REVISION = "2026-12-06"
# Besides the download formats: the report page's body (HTML fragment) and its chart data (JSON).
PAGE_PARTS = ("fragment", "charts")
KINDS = (*PAGE_PARTS, *FORMATS)


def etag(version: ReportVersion, kind: str) -> str:
    """Strong ETag of a rendition, derived from what identifies it (no content read)."""
    return etag_of(version.pk, kind, REVISION)


def etag_of(*parts) -> str:
    """Strong ETag naming ``parts`` (everything a response's content is made of)."""
    key = "\x1f".join(str(p) for p in parts)
    return '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'


def rendition_hashes(version: ReportVersion, kinds) -> dict[str, str]:
    """SHA-256 of each stored rendition of ``kinds`` (stored first when missing), without reading
    the contents: a page made of them is named by these hashes."""
    kinds = tuple(kinds)
    stored = dict(
        ReportRendition.objects.filter(version_id=version.pk, fmt__in=kinds, revision=REVISION).values_list(
            "fmt", "sha256"
        )
    )
    if len(stored) < len(kinds):
        return {k: hashlib.sha256(v).hexdigest() for k, v in renditions(version, kinds).items()}
    return stored


def chart_data(data) -> dict | None:
    """Data of the optional charts: Section 3 results (non-zero rows) and new applications by
    applicant type; labels from the schema. None when the report has no applications."""
    from gongkai.core.report_schema import outcome_choices

    t = data.template
    s3 = data.tables["applications"]
    total_col = next(c.key for c in t.applications.value_columns if c.is_total)
    labels = dict(outcome_choices(t.id))
    results = [(labels[r.key], s3[r.key][total_col]) for r in t.result_rows if s3[r.key][total_col]]
    flow = t.application_flow
    applicants = [(c.qualified_label, s3[flow.new_received][c.key]) for c in t.applicant_columns]
    if not results and not any(v for _, v in applicants):
        return None
    return {
        "results": {
            "title": "本年度办理结果（件）",
            "labels": [x for x, _ in results],
            "values": [v for _, v in results],
        },
        "applicants": {
            "title": t.applications.row(flow.new_received).label + "（按申请人，件）",
            "labels": [x for x, _ in applicants],
            "values": [v for _, v in applicants],
        },
    }


def _render(version: ReportVersion, kind: str) -> bytes:
    data = version_data(version)
    if kind == "fragment":
        from gongkai.core.report_render import render_html_fragment

        return render_html_fragment(data).encode("utf-8")
    if kind == "charts":
        return json.dumps(chart_data(data), ensure_ascii=False).encode("utf-8")
    return render(data, kind)


def renditions(version: ReportVersion, kinds) -> dict[str, bytes]:
    """The stored bytes of each of ``kinds`` for a published ``version`` (one query when all are
    stored); the missing ones are rendered from the version's data and stored."""
    kinds = tuple(kinds)
    unknown = set(kinds) - set(KINDS)
    if unknown:
        raise ValueError(f"unknown rendition {sorted(unknown)!r}")
    if version.published_at is None:
        raise ValueError("only published versions have stored renditions")
    found = {
        kind: bytes(content)
        for kind, content in ReportRendition.objects.filter(
            version_id=version.pk, fmt__in=kinds, revision=REVISION
        ).values_list("fmt", "content")
    }
    missing = [k for k in kinds if k not in found]
    if missing:
        full = ReportVersion.objects.get(pk=version.pk)  # with its data
        for kind in missing:
            found[kind] = _store(full, kind, _render(full, kind))
    return found


def rendition(version: ReportVersion, kind: str) -> bytes:
    """The stored bytes of ``kind`` for a published ``version``; rendered and stored on first use."""
    return renditions(version, (kind,))[kind]


def _store(version: ReportVersion, kind: str, content: bytes) -> bytes:
    try:
        with transaction.atomic():
            ReportRendition.objects.create(
                version_id=version.pk,
                fmt=kind,
                revision=REVISION,
                content=content,
                sha256=hashlib.sha256(content).hexdigest(),
            )
    except IntegrityError:  # another worker stored it first: serve what is stored
        stored = ReportRendition.objects.filter(version_id=version.pk, fmt=kind, revision=REVISION)
        return bytes(stored.values_list("content", flat=True).get())
    return content


def prerender(version_id: int) -> list[str]:
    """Render and store every rendition of a published version (after publication)."""
    version = ReportVersion.objects.get(pk=version_id)
    done = []
    for kind in KINDS:
        rendition(version, kind)
        done.append(kind)
    log.info("annual report version %s rendered: %s", version_id, ", ".join(done))
    return done
