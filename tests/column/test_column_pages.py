"""The public disclosure column: search through records, document pages, catalogue, guide,
exports, feeds and sitemap — with records taken through the real lifecycle and indexed by the
record_changed receiver."""

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from gongkai.column.models import ColumnPageVersion, PageKind
from gongkai.search.models import SearchEntry

pytestmark = pytest.mark.django_db


def titles(resp):
    return [r["title"] for r in resp.json()["results"]]


def test_published_records_are_indexed_drafts_are_not(docs):
    indexed = set(SearchEntry.objects.filter(kind="records.record").values_list("object_id", flat=True))
    assert indexed == {docs[k].pk for k in ("old", "new", "measures", "notice")}
    old = SearchEntry.objects.get(object_id=docs["old"].pk)
    assert old.validity == "repealed" and not old.in_force  # the repeal re-indexed it


def test_search_page_json_and_ranking(client, docs):
    r = client.get("/search/", {"q": "稳岗补贴", "format": "json"})
    assert r.status_code == 200
    data = r.json()
    # both versions have the words in the title: the one in force first
    assert [h["id"] for h in data["results"]][:2] == [docs["new"].pk, docs["old"].pk]
    assert data["results"][0]["url"].startswith("http://testserver/docs/")
    assert "<mark>稳岗</mark>" in data["results"][0]["title_html"]
    html = client.get("/search/", {"q": "稳岗补贴"}).content.decode()
    assert "<mark>" in html and "已废止" in html


def test_search_two_char_word_phrase_doc_number_and_filters(client, docs, region):
    def ids(**params):
        return [h["id"] for h in client.get("/search/", {**params, "format": "json"}).json()["results"]]

    assert set(ids(q="补贴")) == {docs["old"].pk, docs["new"].pk, docs["measures"].pk}
    assert ids(q='"促进中小企业高质量发展"') == [docs["measures"].pk]
    assert ids(q="临政发[2024]12号") == [docs["measures"].pk]
    # issuer includes joint issuers
    assert set(ids(q="补贴", issuer=region["labor"].pk)) == {
        docs["old"].pk,
        docs["new"].pk,
        docs["measures"].pk,
    }
    assert ids(q="补贴", issuer=region["city"].pk) == [docs["measures"].pk]
    assert ids(q="补贴", year=2023) == [docs["old"].pk]
    assert ids(q="补贴", validity="repealed") == [docs["old"].pk]
    assert ids(topic=docs["topics"][2].code) == [docs["notice"].pk]
    assert ids(category="policy") == [docs["notice"].pk]


def test_bad_filters_are_ignored_with_a_chinese_message(client, docs):
    r = client.get("/search/", {"q": "补贴", "year": "二〇二四", "validity": "x", "format": "json"})
    assert r.status_code == 200
    assert r.json()["ignored"] == ["年份“二〇二四”不是有效的数字，已忽略", "有效性“x”无效，已忽略"]
    assert len(r.json()["results"]) == 3
    html = client.get("/search/", {"q": "补贴", "year": "abc"}).content.decode()
    assert "年份“abc”不是有效的数字，已忽略" in html


def test_search_csv(client, docs):
    r = client.get("/search/", {"q": "补贴", "format": "csv"})
    text = b"".join(r.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["标题", "发文字号", "索引号"]
    assert len(rows) == 4


def test_document_page_metadata_banner_and_replacement(client, docs):
    old, new = docs["old"], docs["new"]
    html = client.get(f"/docs/{old.pk}/").content.decode()
    assert 'id="validity-banner"' in html and "本文件已废止" in html
    assert f'href="/docs/{new.pk}/"' in html
    for label in ("索引号", "发文机关", "成文日期", "发文字号", "发布日期", "主题分类", "有效性"):
        assert f'<th scope="row">{label}</th>' in html
    assert old.index_number in html
    page = client.get(f"/docs/{new.pk}/").content.decode()
    assert 'id="validity-banner"' not in page and "现行有效" in page
    assert "本文件替代的文件" in page


def test_document_joint_issuers_and_drafts_hidden(client, docs):
    html = client.get(f"/docs/{docs['measures'].pk}/").content.decode()
    assert "临江市人民政府、临江市人力资源和社会保障局" in html
    assert client.get(f"/docs/{docs['draft'].pk}/").status_code == 404


def test_document_context_hook_fills_interpretations(client, docs):
    from gongkai.column import hooks

    def fake(request, record):
        return {"interpretations": [{"title": f"《{record.title}》政策解读", "url": "/x/"}]}

    hooks.add_document_context(fake)
    try:
        html = client.get(f"/docs/{docs['new'].pk}/").content.decode()
    finally:
        hooks.document_context.remove(fake)
    assert 'id="interpretations"' in html and "政策解读" in html


def test_attachment_served_through_view(client, docs, settings, tmp_path):
    from django.core.files.base import ContentFile

    from gongkai.records.models import RecordAttachment

    settings.MEDIA_ROOT = tmp_path
    att = RecordAttachment(record=docs["new"], original_name="申领表.txt", content_type="text/plain", size=6)
    att.file.save("form.txt", ContentFile("申领表".encode()), save=True)
    r = client.get(f"/docs/{docs['new'].pk}/attachments/{att.pk}/")
    assert r.status_code == 200 and b"".join(r.streaming_content).decode() == "申领表"
    draft_att = RecordAttachment(
        record=docs["draft"], original_name="a.txt", content_type="text/plain", size=1
    )
    draft_att.file.save("a.txt", ContentFile(b"a"), save=True)
    assert client.get(f"/docs/{docs['draft'].pk}/attachments/{draft_att.pk}/").status_code == 404
    assert client.get(f"/docs/{docs['old'].pk}/attachments/{att.pk}/").status_code == 404


def test_catalogue_sort_filter_page_json_csv(client, docs, region):
    url = reverse("column:agency_catalogue", args=[region["labor"].pk])
    r = client.get(url, {"format": "json"})
    data = r.json()
    assert data["count"] == 2
    assert [x["title"] for x in data["results"]] == [
        docs["new"].title,
        docs["old"].title,
    ]  # 生成日期 newest first
    assert set(data["results"][0]) >= {"index_number", "title", "summary", "generated_on"}
    assert titles(client.get(url, {"format": "json", "sort": "generated"}))[0] == docs["old"].title
    assert titles(client.get(url, {"format": "json", "validity": "repealed"})) == [docs["old"].title]
    assert titles(client.get(url, {"format": "json", "per_page": 1, "page": 2})) == [docs["old"].title]
    csv_text = b"".join(client.get(url, {"format": "csv"}).streaming_content).decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("索引号,名称,内容概述,生成日期")
    html = client.get(url).content.decode()
    assert docs["old"].index_number in html and "主动公开目录" in html
    # the region's catalogue has every agency below the city
    region_url = reverse("column:region_catalogue", args=[region["city"].pk])
    assert client.get(region_url, {"format": "json"}).json()["count"] == 4
    assert client.get(url, {"sort": "drop table"}).status_code == 200


def test_statutory_items(client, docs, region):
    url = reverse("column:region_statutory", args=[region["city"].pk])
    html = client.get(url).content.decode()
    assert "第二十条第（十一）项" in html and "（3）" in html
    data = client.get(url, {"item": "20-11", "format": "json"}).json()
    assert data["count"] == 3


def test_policy_library_searches_policy_categories(client, docs, region):
    url = reverse("column:region_policies", args=[region["city"].pk])
    data = client.get(url, {"q": "补贴", "format": "json"}).json()
    assert {h["id"] for h in data["results"]} == {docs["old"].pk, docs["new"].pk, docs["measures"].pk}
    data = client.get(url, {"category": "policy", "format": "json"}).json()
    assert [h["id"] for h in data["results"]] == [docs["notice"].pk]
    one = reverse("column:agency_policies", args=[region["edu"].pk])
    assert client.get(one, {"q": "补贴", "format": "json"}).json()["count"] == 0


def test_home_search_first_and_links(client, docs):
    html = client.get("/").content.decode().split("<main")[1]
    assert html.index("我要找政策") < html.index("最新公开")
    assert 'href="/ysq/"' in html or 'href="/apply/"' in html
    assert 'href="/reports/"' in html
    assert docs["new"].title in html


def test_guide_generated_then_edited_and_versioned(client, region, django_user_model):
    from gongkai.agencies.models import Membership, Role

    city = region["city"]
    url = reverse("column:guide", args=[city.pk])
    html = client.get(url).content.decode()
    assert "临江市人民大道1号" in html and "0571-12345678" in html and "本页内容根据机关信息自动生成" in html
    edit = reverse("column:edit_page", args=[city.pk, "guide"])
    assert client.get(edit).status_code == 302  # login first
    outsider = django_user_model.objects.create_user("outsider")
    client.force_login(outsider)
    assert client.get(edit).status_code == 403
    admin = django_user_model.objects.create_user("admin1")
    Membership.objects.create(user=admin, agency=city, role=Role.ADMIN)
    client.force_login(admin)
    r = client.post(edit, {"body": "", "note": ""})
    assert "内容不能为空" in r.content.decode()
    assert not ColumnPageVersion.objects.exists()
    client.post(edit, {"body": "一、主动公开\n传真：0571-87654321", "note": "补充传真"})
    client.post(edit, {"body": "一、主动公开\n传真：0571-87654322", "note": "更正传真"})
    versions = list(
        ColumnPageVersion.objects.filter(agency=city, kind=PageKind.GUIDE).values_list("number", flat=True)
    )
    assert versions == [2, 1]
    html = client.get(url).content.decode()
    assert "0571-87654322" in html and "第 2 版" in html and "最后更新" in html
    with pytest.raises(ValueError):
        ColumnPageVersion.objects.get(number=1).save()


def test_system_page_lists_disclosure_rule_documents(client, region, django_capture_on_commit_callbacks):
    from column_fixtures import publish

    with django_capture_on_commit_callbacks(execute=True):
        rec = publish(region["city"], title="临江市人民政府政府信息公开工作规定", category="policy")
    html = client.get(reverse("column:system", args=[region["city"].pk])).content.decode()
    assert "中华人民共和国政府信息公开条例" in html and rec.title in html


def test_feeds_per_agency_and_topic(client, docs, region):
    r = client.get(reverse("column:agency_feed", args=[region["labor"].pk]))
    assert r["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(r.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert [e.findtext("a:title", namespaces=ns) for e in root.findall("a:entry", ns)] == [
        docs["new"].title,
        docs["old"].title,
    ]
    r = client.get(reverse("column:topic_feed", args=[docs["topics"][2].code]))
    root = ET.fromstring(r.content)
    assert [e.findtext("a:title", namespaces=ns) for e in root.findall("a:entry", ns)] == [
        docs["notice"].title
    ]
    assert client.get("/topics/nope/feed.atom").status_code == 404


def test_sitemap(client, docs):
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    sections = [
        loc.text
        for loc in ET.fromstring(index.content).iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
    ]
    urls = []
    for s in sections:
        body = client.get(s.replace("http://testserver", "")).content
        urls += [
            loc.text for loc in ET.fromstring(body).iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
        ]
    assert f"http://testserver/docs/{docs['new'].pk}/" in urls
    assert f"http://testserver/docs/{docs['draft'].pk}/" not in urls
    assert "http://testserver/search/" in urls


def test_reindex_command_rebuilds_records(docs):
    from django.core.management import call_command

    SearchEntry.objects.all().delete()
    out = io.StringIO()
    call_command("reindex", "records.record", stdout=out)
    assert "records.record: 已索引 4 条" in out.getvalue()


def test_json_is_utf8_not_escaped(client, docs):
    r = client.get("/search/", {"q": "补贴", "format": "json"})
    assert "稳岗" in r.content.decode()
    json.loads(r.content)


def test_search_count_capped_shows_plus(client, docs, settings):
    settings.GONGKAI_SEARCH_MAX_COUNT = 2  # three records have 补贴
    html = client.get("/search/", {"q": "补贴"}).content.decode()
    assert "共 2+ 条" in html
    data = client.get("/search/", {"q": "补贴", "format": "json"}).json()
    assert data["count_capped"] is True and data["num_pages"] == 1
    settings.GONGKAI_SEARCH_MAX_COUNT = 1000
    assert "共 3 条" in client.get("/search/", {"q": "补贴"}).content.decode()
