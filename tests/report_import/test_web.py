"""Import workbench: upload (files, zip), list, report page, comparison, export, permissions."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.agencies.models import Agency, AgencyKind, Membership, Role
from gongkai.report_import.corpus import fixtures_dir
from gongkai.report_import.models import ImportBatch, ImportedReport
from gongkai.report_import.services import save_parsed_report

pytestmark = pytest.mark.django_db

PINGTAN = ["2019_pingtan_flattext.txt", "2020_pingtan_flattext.txt", "2021_pingtan_flattext.txt"]


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def agencies():
    pt = Agency.objects.create(name="平潭综合实验区", kind=AgencyKind.GOVERNMENT, tracking_prefix="平政依申")
    gaj = Agency.objects.create(
        name="平潭综合实验区公安局", kind=AgencyKind.DEPARTMENT, parent=pt, tracking_prefix="平公依申"
    )
    sh = Agency.objects.create(name="上海市人民政府", kind=AgencyKind.GOVERNMENT, tracking_prefix="沪政依申")
    return pt, gaj, sh


def user_with(role=None, agency=None, superuser=False, name="u"):
    U = get_user_model()
    u = (
        U.objects.create_superuser(name, password="x")
        if superuser
        else U.objects.create_user(name, password="x")
    )
    if role:
        Membership.objects.create(user=u, agency=agency, role=role)
    return u


def fixture_upload(name):
    data = (fixtures_dir() / name).read_bytes()
    return SimpleUploadedFile(name, data, content_type="text/plain")


def test_zip_upload_by_supervisor_imports_and_shows(client, agencies):
    pt, gaj, sh = agencies
    sup = user_with(Role.SUPERVISOR, pt, name="sup")
    client.force_login(sup)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for n in PINGTAN + ["2021_pingtan-gaj_flattext.txt", "2019_shanghai-bgt_html.html"]:
            zf.writestr(n, (fixtures_dir() / n).read_bytes())
        zf.writestr("readme.md", "ignored")
    resp = client.post(
        reverse("report_import:upload"),
        {"files": SimpleUploadedFile("reports.zip", buf.getvalue(), content_type="application/zip")},
    )
    assert resp.status_code == 302, resp.content.decode()[-1500:]
    batch = ImportBatch.objects.get()
    assert resp["Location"] == reverse("report_import:batch", args=[batch.pk])
    assert (batch.total, batch.done, batch.failed) == (5, 4, 1)
    # the Shanghai report's agency is outside the supervisor's view and is not created for them
    failed = batch.items.get(status="failed")
    assert "shanghai" in failed.path and "上海" in failed.error
    assert not Agency.objects.filter(name__startswith="上海市人民政府办公厅").exists()
    assert set(ImportedReport.objects.values_list("agency__name", "year")) == {
        ("平潭综合实验区", 2019),
        ("平潭综合实验区", 2020),
        ("平潭综合实验区", 2021),
        ("平潭综合实验区公安局", 2021),
    }
    page = client.get(resp["Location"])
    assert page.status_code == 200 and "上海" in page.content.decode()

    lst = client.get(reverse("report_import:list")).content.decode()
    assert "平潭综合实验区公安局" in lst and lst.count("查看") == 4

    # report page: tables in the template layout, findings on the offending cells
    gaj_rep = ImportedReport.objects.get(agency=gaj)
    assert gaj_rep.error_count >= 1
    html = client.get(reverse("report_import:detail", args=[gaj_rep.pk])).content.decode()
    assert "三、收到和处理政府信息公开申请情况" in html
    assert "结转下年度继续办理" in html and "申请人情况" in html
    assert (
        'class="gk-value ri-error"' in html
        and 'data-cell="applications.carried_forward.natural_person"' in html
    )
    assert "勾稽" in html or "≠" in html

    # missing parts listed with reasons, missing cells shown as ？ not 0
    rep19 = ImportedReport.objects.get(agency=pt, year=2019)
    assert rep19.missing_count >= 1
    html = client.get(reverse("report_import:detail", args=[rep19.pk])).content.decode()
    assert "未能读出的部分" in html and rep19.missing[0]["reason"] in html
    assert "ri-missing" in html and "？" in html

    # comparison: one column per year, carry-over between consecutive years
    cmp = client.get(reverse("report_import:compare", args=[pt.pk])).content.decode()
    assert "2019年" in cmp and "2020年" in cmp and "2021年" in cmp
    assert "2019→2020" in cmp and "2020→2021" in cmp
    assert "二、上年结转政府信息公开申请数量" in cmp
    cmp2 = client.get(reverse("report_import:compare", args=[pt.pk]), {"table": "review_litigation"})
    assert "行政复议－结果维持" in cmp2.content.decode()


def test_carry_over_values_in_comparison(client, agencies):
    pt, gaj, sh = agencies
    client.force_login(user_with(superuser=True, name="root"))
    from gongkai.core.report_parse import audit_carry_over, parse_path

    parsed = [parse_path(fixtures_dir() / n) for n in PINGTAN]
    reps = [save_parsed_report(p) for p in parsed]
    resp = client.get(
        reverse("report_import:compare", args=[pt.pk]), {"table": "applications", "column": "total"}
    )
    ctx_checks = resp.context["checks"]
    for (prev, this), check in zip(zip(parsed, parsed[1:]), ctx_checks, strict=True):
        expected = audit_carry_over(prev, this)
        assert check["ok"] is (not expected)
    row = next(r for r in resp.context["rows"] if r["row"] == "carried_over_from_prior_year")
    assert [c["value"] for c in row["cells"]] == [
        r.tables["applications"]["carried_over_from_prior_year"]["total"] for r in reps
    ]


def test_single_file_upload_goes_to_report_and_dedupes(client, agencies):
    pt, gaj, sh = agencies
    client.force_login(user_with(Role.ADMIN, gaj, name="adm"))
    url = reverse("report_import:upload")
    r1 = client.post(url, {"files": fixture_upload("2021_pingtan-gaj_flattext.txt")})
    rep = ImportedReport.objects.get()
    assert r1["Location"] == reverse("report_import:detail", args=[rep.pk])
    r2 = client.post(url, {"files": fixture_upload("2021_pingtan-gaj_flattext.txt")})
    assert ImportedReport.objects.count() == 1
    assert r2["Location"] == reverse("report_import:detail", args=[rep.pk])


def test_upload_checks_type_and_size(client, agencies, monkeypatch):
    client.force_login(user_with(superuser=True, name="root"))
    url = reverse("report_import:upload")
    r = client.post(url, {"files": SimpleUploadedFile("x.exe", b"MZ....")})
    assert r.status_code == 200 and "文件类型不支持" in r.content.decode()
    r = client.post(url, {"files": SimpleUploadedFile("x.pdf", b"not a pdf")})
    assert "不是有效的PDF文件" in r.content.decode()
    r = client.post(url, {"files": SimpleUploadedFile("x.zip", b"PK\x03\x04broken")})
    assert "压缩包已损坏" in r.content.decode()
    from gongkai.report_import import uploads

    monkeypatch.setattr(uploads, "MAX_UPLOAD_FILE", 100)
    r = client.post(url, {"files": fixture_upload("2021_pingtan-gaj_flattext.txt")})
    assert "超过大小限制" in r.content.decode()
    assert ImportBatch.objects.count() == 0


def test_superuser_upload_creates_unknown_agency_and_agency_override(client, agencies):
    pt, gaj, sh = agencies
    client.force_login(user_with(superuser=True, name="root"))
    client.post(
        reverse("report_import:upload"), {"files": fixture_upload("2023_hongze-district_pdftext.txt")}
    )
    assert ImportedReport.objects.get().agency.name == "淮安市洪泽区人民政府"
    # an explicit agency wins over the printed name
    client.post(
        reverse("report_import:upload"),
        {"files": fixture_upload("2024_shanghai-kewei_pdfmd.txt"), "agency": sh.pk},
    )
    assert ImportedReport.objects.get(year=2024).agency == sh


def test_permissions_404(client, agencies):
    pt, gaj, sh = agencies
    rep_sh = save_parsed_report({**_parsed("2019_shanghai-bgt_html.html")}, agency=sh)
    rep_gaj = save_parsed_report(_parsed("2021_pingtan-gaj_flattext.txt"))
    # admin of the police bureau sees its report, not Shanghai's
    client.force_login(user_with(Role.ADMIN, gaj, name="adm"))
    assert client.get(reverse("report_import:detail", args=[rep_gaj.pk])).status_code == 200
    assert client.get(reverse("report_import:detail", args=[rep_sh.pk])).status_code == 404
    assert client.get(reverse("report_import:compare", args=[sh.pk])).status_code == 404
    assert "上海" not in client.get(reverse("report_import:list")).content.decode()
    csv_text = b"".join(client.get(reverse("report_import:export")).streaming_content).decode("utf-8-sig")
    assert "平潭综合实验区公安局" in csv_text and "上海" not in csv_text
    other_batch = ImportBatch.objects.create(source="/x", source_kind="directory")
    assert client.get(reverse("report_import:batch", args=[other_batch.pk])).status_code == 404
    # a handler (no supervisor/admin role) may not use the import workbench
    client.force_login(user_with(Role.HANDLER, gaj, name="handler"))
    assert client.get(reverse("report_import:list")).status_code == 404
    assert client.get(reverse("report_import:detail", args=[rep_gaj.pk])).status_code == 404
    # anonymous: login
    client.logout()
    assert client.get(reverse("report_import:list")).status_code == 302


def _parsed(name):
    from gongkai.core.report_parse import parse_path

    return parse_path(fixtures_dir() / name)


def test_upload_with_workers_queues_chunks_and_batch_page_refreshes(client, agencies, monkeypatch):
    """Not eager: the upload only queues the chunks (dispatch_pending) and the batch page polls.
    Celery itself is still eager in tests, so the queued chunk runs at apply_async."""
    from gongkai.report_import import batch as batch_mod
    from gongkai.report_import.tasks import process_chunk

    pt, gaj, sh = agencies
    client.force_login(user_with(Role.SUPERVISOR, pt, name="sup"))
    monkeypatch.setattr(batch_mod, "_eager", lambda: False)
    sent = []
    real = process_chunk.apply_async

    def fake_apply_async(args, **kw):
        sent.append(list(args[0]))
        if len(sent) == 1:
            return None  # the first chunk stays queued: the page must show it pending
        return real(args, **kw)

    monkeypatch.setattr(process_chunk, "apply_async", fake_apply_async)
    files = [fixture_upload(n) for n in PINGTAN]
    resp = client.post(reverse("report_import:upload"), {"files": files})
    batch = ImportBatch.objects.get()
    assert resp["Location"] == reverse("report_import:batch", args=[batch.pk])
    assert sum(len(c) for c in sent) == 3
    page = client.get(resp["Location"]).content.decode()
    assert 'http-equiv="refresh"' in page and "待处理" in page


def test_report_page_shows_low_confidence_ocr_cells_with_their_image(client, agencies):
    """A report read from images: cells Tesseract was unsure of are listed and marked in the
    rebuilt table, each with the image of the cell beside the value and what the identities said."""
    import base64

    from PIL import Image

    from gongkai.core.report_parse import parse_path

    pt, gaj, sh = agencies
    parsed = parse_path(fixtures_dir() / "2021_pingtan-gaj_flattext.txt")
    b = io.BytesIO()
    Image.new("L", (60, 24), 255).save(b, "PNG")
    crop = base64.b64encode(b.getvalue()).decode()
    parsed["ocr"] = {
        "template": "2021",
        "confidence": {},
        "low": [
            {
                "table": "applications",
                "row": "granted",
                "col": "natural_person",
                "text": "7",
                "confidence": 61.0,
                "page": 1,
                "box": [1, 2, 3, 4],
                "crop": crop,
                "status": "confirmed",
            },
            {
                "table": "review_litigation",
                "row": "count",
                "col": "review_total",
                "text": "",
                "confidence": 0.0,
                "page": 2,
                "box": [1, 2, 3, 4],
                "crop": crop,
                "status": "unread",
            },
        ],
    }
    rep = save_parsed_report(parsed)
    client.force_login(user_with(superuser=True, name="root"))
    html = client.get(reverse("report_import:detail", args=[rep.pk])).content.decode()
    assert "图片识别（OCR）需核对的单元格（2）" in html
    assert "（一）予以公开" in html and "已由勾稽关系确认" in html and "未能识别" in html
    assert html.count(f"data:image/png;base64,{crop}") >= 3  # list + both cells in the rebuilt tables
    assert 'class="gk-num ri-ocr-low"' in html or "ri-ocr-low" in html
