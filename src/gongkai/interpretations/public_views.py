"""Public pages of policy interpretations (政策解读): the list with search and filters (the same
search backend as documents) and each interpretation's page, linking back to its documents.
Images and media are served through views that check the interpretation is published."""

from __future__ import annotations

import mimetypes

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from gongkai.agencies.models import Agency
from gongkai.core import interpretation_rules as rules
from gongkai.files import protected_response
from gongkai.search import services as search
from gongkai.search.backends.base import SearchFilters

from .hooks import KIND
from .models import Interpretation, InterpretationImage


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@require_GET
def interpretation_list(request):
    q = (request.GET.get("q") or "").strip()[:200]
    params = {
        "q": q,
        "agency": _int(request.GET.get("agency")),
        "form": request.GET.get("form") if request.GET.get("form") in rules.FORM_LABELS else "",
        "year": _int(request.GET.get("year")),
    }
    page_no = _int(request.GET.get("page")) or 1
    published = Interpretation.objects.filter(state=rules.PUBLISHED)
    if q:
        filters = SearchFilters(
            kind=KIND, issuer=params["agency"], year=params["year"], doc_type=params["form"] or None
        )
        result = search.search(q, filters, page=page_no, per_page=20)
        by_pk = {
            i.pk: i
            for i in published.filter(pk__in=[h.object_id for h in result.hits]).select_related("agency")
        }
        items = [
            {"obj": by_pk[h.object_id], "snippet": h.snippet_html}
            for h in result.hits
            if h.object_id in by_pk
        ]
        total, num_pages = result.total, result.num_pages
    else:
        qs = published.select_related("agency").prefetch_related("records")
        if params["agency"]:
            qs = qs.filter(agency_id=params["agency"])
        if params["form"]:
            qs = qs.filter(form=params["form"])
        if params["year"]:
            qs = qs.filter(published_on__year=params["year"])
        pages = Paginator(qs.order_by("-published_on", "-pk"), 20)
        page = pages.get_page(page_no)
        items = [{"obj": i, "snippet": ""} for i in page.object_list]
        total, num_pages = pages.count, pages.num_pages
    years = sorted({d.year for d in published.dates("published_on", "year")}, reverse=True)
    agencies = Agency.objects.filter(pk__in=published.values("agency_id")).order_by("path")
    return render(
        request,
        "interpretations/list.html",
        {
            "items": items,
            "total": total,
            "page_no": page_no,
            "num_pages": num_pages,
            "params": params,
            "forms": rules.FORM_CHOICES,
            "years": years,
            "agencies": agencies,
        },
    )


def _published(pk: int) -> Interpretation:
    return get_object_or_404(
        Interpretation.objects.select_related("agency").prefetch_related("records", "images", "qa_pairs"),
        pk=pk,
        state=rules.PUBLISHED,
    )


@require_GET
def detail(request, pk: int):
    interp = _published(pk)
    return render(
        request,
        "interpretations/detail.html",
        {
            "i": interp,
            "documents": [r for r in interp.records.all() if r.is_disclosed],
            "paragraphs": [p for p in interp.body.splitlines() if p.strip()],
            "transcript": [p for p in interp.transcript.splitlines() if p.strip()],
            "media_kind": _media_kind(interp),
        },
    )


def _media_kind(interp) -> str:
    if not interp.media_file:
        return ""
    ctype = mimetypes.guess_type(interp.media_file.name)[0] or ""
    return ctype.split("/")[0] if ctype.startswith(("audio/", "video/")) else "file"


def _serve(fieldfile, name: str):
    return protected_response(fieldfile, filename=name.rsplit("/", 1)[-1], inline=True, private=False)


@require_GET
def image(request, pk: int, image_id: int):
    img = get_object_or_404(InterpretationImage, pk=image_id, interpretation_id=pk)
    if img.interpretation.state != rules.PUBLISHED and not _staff_may_see(request.user, img.interpretation):
        raise Http404
    return _serve(img.image, img.image.name)


@require_GET
def media(request, pk: int):
    interp = get_object_or_404(Interpretation, pk=pk)
    if interp.state != rules.PUBLISHED and not _staff_may_see(request.user, interp):
        raise Http404
    if not interp.media_file:
        raise Http404
    return _serve(interp.media_file, interp.media_file.name)


def _staff_may_see(user, interp) -> bool:
    from gongkai.agencies.access import visible_agency_ids

    return user.is_authenticated and interp.agency_id in visible_agency_ids(user)
