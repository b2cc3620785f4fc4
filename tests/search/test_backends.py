"""Both search backends (PostgreSQL tsvector + pg_trgm, and the simple LIKE one) on the same
documents: words, phrases, 文号, every filter, ranking, paging, removal."""

import dataclasses
import datetime as dt
import itertools

import pytest
from django.db import connection

from gongkai.core.search_text import SearchDocument
from gongkai.search.backends.base import SearchFilters
from gongkai.search.backends.postgres import PostgresSearchBackend
from gongkai.search.backends.simple import SimpleSearchBackend
from gongkai.search.models import SearchEntry

pytestmark = pytest.mark.django_db

KIND = "tests.doc"


def doc(pk, title, body="", **kw):
    kw.setdefault("published_on", dt.date(2024, 3, pk % 28 + 1))
    return SearchDocument(KIND, pk, title, url=f"/doc/{pk}/", body=body, **kw)


DOCS = [
    doc(
        1,
        "临江市人民政府关于促进中小企业高质量发展的若干措施",
        "为进一步优化营商环境，支持中小企业发展，制定本措施。对吸纳就业的企业给予补贴。",
        doc_number="临政发〔2024〕12号",
        agency_id=1,
        issuer_ids=[1],
        topic="industry",
        doc_type="normative",
        validity="in_force",
    ),
    doc(
        2,
        "临江市稳岗就业补贴实施办法",
        "本办法所称稳岗补贴，是指对不裁员或者少裁员的参保企业返还失业保险费。",
        doc_number="临人社规〔2023〕3号",
        agency_id=2,
        issuer_ids=[2, 3],
        topic="labor",
        doc_type="normative",
        validity="repealed",
        in_force=False,
        published_on=dt.date(2023, 5, 4),
    ),
    doc(
        3,
        "临江市稳岗就业补贴实施办法（2024年修订）",
        "本办法所称稳岗补贴，是指对不裁员或者少裁员的参保企业返还失业保险费。",
        doc_number="临人社规〔2024〕1号",
        agency_id=2,
        issuer_ids=[2, 3],
        topic="labor",
        doc_type="normative",
        validity="in_force",
        published_on=dt.date(2024, 1, 10),
    ),
    doc(
        4,
        "关于做好2024年义务教育招生工作的通知",
        "各区教育局：现就义务教育阶段招生入学工作通知如下。随迁子女就业地入学。",
        doc_number="临教发〔2024〕7号",
        agency_id=3,
        issuer_ids=[3],
        topic="education",
        doc_type="notice",
        validity="in_force",
        published_on=dt.date(2024, 4, 1),
    ),
    doc(
        5,
        "临江市政府信息公开指南",
        "政府資訊公開工作機構的名稱、辦公地址、辦公時間。",  # traditional body
        agency_id=1,
        issuer_ids=[1],
        topic="government",
        doc_type="guide",
        validity="in_force",
        published_on=dt.date(2022, 6, 1),
    ),
]


@pytest.fixture(params=["postgres", "simple"])
def backend(request):
    if request.param == "postgres" and connection.vendor != "postgresql":
        pytest.fail("the PostgreSQL backend test needs DATABASE_URL=postgres://…")
    b = PostgresSearchBackend() if request.param == "postgres" else SimpleSearchBackend()
    assert b.index(DOCS) == len(DOCS)
    return b


def ids(page):
    return [h.object_id for h in page.hits]


def test_two_character_word_in_body(backend):
    page = backend.search("补贴")
    assert set(ids(page)) == {1, 2, 3}
    assert page.total == 3
    # a sub-word of a compound (企业 inside 中小企业) is found too
    assert 1 in ids(backend.search("企业"))


def test_phrase_across_word_boundaries(backend):
    # 业高质 cuts across 企业 / 高质量: found in the title by substring (pg_trgm)
    assert ids(backend.search("业高质")) == [1]
    # quoted phrase spanning several words, checked as a whole
    assert ids(backend.search('"促进中小企业高质量发展"')) == [1]
    # the same words apart do not make the phrase
    assert ids(backend.search('"中小企业返还"')) == []
    # a quoted phrase across word boundaries inside the body only
    assert ids(backend.search('"业返还失业"')) == [3, 2]


def test_doc_number_any_bracket_style(backend):
    for q in ("临政发〔2024〕12号", "临政发[2024]12号", "临政发(2024)12号", "临政发［2024］12号"):
        assert ids(backend.search(q)) == [1], q
    assert ids(backend.search("临人社规")) == [3, 2]  # partial 文号, in force first


def test_traditional_query_and_body(backend):
    assert ids(backend.search("政府資訊")) == [5]
    assert ids(backend.search("办公地址")) == [5]


def test_multiple_terms_and_negation(backend):
    assert ids(backend.search("就业 补贴")) == [3, 2, 1]
    assert ids(backend.search("就业 -补贴")) == [4]
    assert ids(backend.search('就业 -"稳岗"')) == [4, 1]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (SearchFilters(issuer=3), {2, 3}),
        (SearchFilters(agencies=[1]), {1}),
        (SearchFilters(agencies=[1, 3]), {1}),
        (SearchFilters(year=2023), {2}),
        (SearchFilters(topic="labor"), {2, 3}),
        (SearchFilters(doc_type="normative", year=2024), {1, 3}),
        (SearchFilters(doc_type=["notice", "guide"]), set()),
        (SearchFilters(doc_type=["normative", "guide"], issuer=2), {2, 3}),
        (SearchFilters(validity="repealed"), {2}),
        (SearchFilters(in_force=True), {1, 3}),
        (SearchFilters(in_force=False), {2}),
        (SearchFilters(kind=KIND), {1, 2, 3}),
        (SearchFilters(kind="other.kind"), set()),
    ],
)
def test_every_filter(backend, filters, expected):
    assert set(ids(backend.search("补贴", filters))) == expected


def test_filters_without_words_browse_newest_in_force_first(backend):
    assert ids(backend.search("", SearchFilters(issuer=3))) == [4, 3, 2]


def test_ranking_title_then_in_force_then_newest(backend):
    page = backend.search("稳岗补贴")
    # 3 and 2 have both words in the title (1 has them only in the body): the one in force first
    assert ids(page) == [3, 2]
    page = backend.search("补贴")
    assert ids(page) == [3, 2, 1]
    # at equal relevance the repealed one comes after the one in force even when it is newer
    SearchEntry.objects.filter(object_id=2).update(published_on=dt.date(2025, 1, 1))
    assert ids(backend.search("稳岗补贴")) == [3, 2]


def test_highlighted_title_and_snippet(backend):
    hit = backend.search("中小企业 补贴").hits[0]
    assert hit.object_id == 1
    assert "<mark>中小企业</mark>" in hit.title_html
    assert "<mark>补贴</mark>" in hit.snippet_html
    assert hit.url == "/doc/1/" and hit.doc_number == "临政发〔2024〕12号"
    assert hit.as_json()["published_on"] == hit.published_on.isoformat()


def test_paging(backend):
    more = [
        doc(
            100 + i,
            f"第{i}号公告",
            "公共资源交易结果公示",
            published_on=dt.date(2024, 1, 1) + dt.timedelta(i),
        )
        for i in range(25)
    ]
    backend.index(more)
    p1 = backend.search("公示", per_page=10)
    p3 = backend.search("公示", page=3, per_page=10)
    assert p1.total == 25 and p1.num_pages == 3
    assert ids(p1) == [124 - i for i in range(10)]
    assert ids(p3) == [104, 103, 102, 101, 100]
    assert backend.search("公示", page="x").page == 1


def test_reindex_replaces_and_remove_deletes(backend):
    changed = doc(
        2, "临江市稳岗就业补贴实施办法", "全文已更新：技能提升补贴。", agency_id=2, validity="in_force"
    )
    backend.index([changed])
    assert SearchEntry.objects.filter(kind=KIND, object_id=2).count() == 1
    assert ids(backend.search("技能提升")) == [2]
    assert backend.remove(KIND, [2]) == 1
    assert ids(backend.search("技能提升")) == []
    assert backend.clear(KIND) == 4


def test_nothing_for_punctuation_only(backend):
    page = backend.search("，。")
    # an empty query lists everything (browse), newest in force first
    assert page.total == 5


def test_partial_term_across_words_found_by_title_pieces(backend):
    # "企业高质" is no word of the title (中小企业 / 高质量) but a run of its characters
    assert ids(backend.search("企业高质")) == [1]
    assert ids(backend.search("企业高质 -补贴")) == []


def _spread(n_title: int, n_body: int) -> list[SearchDocument]:
    """Documents with 公示 in the title or only in the body, over several months, some repealed,
    eight in one month (more than the small cap below)."""
    out = []
    for i in range(n_title + n_body):
        month = 1 + (i * 5) % 12 if i % 4 else 6
        repealed = i % 7 == 3
        out.append(
            doc(
                200 + i,
                f"第{i}号公示" if i < n_title else f"第{i}号公告",
                "公共资源交易结果公示",
                published_on=dt.date(2024, month, 1 + i % 27),
                validity="repealed" if repealed else "in_force",
                in_force=not repealed,
            )
        )
    return out


def test_capped_count_and_bounded_ranking_equal_the_exact_one(settings):
    backend = PostgresSearchBackend()
    backend.index(_spread(3, 40))
    exact = {p: ids(backend.search("公示", page=p, per_page=5)) for p in (1, 2, 3)}
    first = backend.search("公示", per_page=5)
    assert first.total == 43 and not first.capped and first.count_label == "43"
    settings.GONGKAI_SEARCH_MAX_COUNT = 6
    for p in (1, 2):
        page = backend.search("公示", page=p, per_page=5)
        assert page.capped and page.count_label == "6+" and page.num_pages == 2
        assert ids(page) == exact[p], p
    # the three with the word in the title first
    titles = [h.title for h in backend.search("公示", per_page=5).hits[:3]]
    assert sorted(titles) == ["第0号公示", "第1号公示", "第2号公示"]
    # only documents not in force: the in-force months are skipped, the order is the same
    repealed = SearchFilters(in_force=False)
    settings.GONGKAI_SEARCH_MAX_COUNT = 1000
    exact_repealed = ids(backend.search("公示", repealed, per_page=4))
    settings.GONGKAI_SEARCH_MAX_COUNT = 3
    assert ids(backend.search("公示", repealed, per_page=4)) == exact_repealed and len(exact_repealed) == 4
    settings.GONGKAI_SEARCH_MAX_COUNT = 6
    # the capped page number is clamped to the pages shown
    assert backend.search("公示", page=9, per_page=5).page == 2


def test_index_row_carries_title_words_pieces_and_sort_bucket(backend):
    row = SearchEntry.objects.get(kind=KIND, object_id=3)
    vector = str(row.vector)
    assert "'t:稳岗'" in vector and "'b:稳岗'" in vector and "'b:〔2'" in vector
    assert "'f:sort:1:202401'" in vector
    repealed = str(SearchEntry.objects.get(kind=KIND, object_id=2).vector)
    assert "'f:sort:0:202305'" in repealed


def test_bounded_ranking_with_year_and_validity_filters_equals_the_exact_one(settings):
    """The walk reads only the filtered year's months and the half the validity filter leaves;
    caps 2 / 3 / 6 take each way through the title set (more than the cap, more than half of
    it, fewer)."""
    backend = PostgresSearchBackend()
    docs = _spread(3, 40)
    docs += [
        dataclasses.replace(
            d, object_id=d.object_id + 100, published_on=d.published_on.replace(year=2023), year=2023
        )
        for d in docs
    ]
    backend.index(docs)
    for filters in (
        SearchFilters(year=2024),
        SearchFilters(year=2023, validity="repealed"),
        SearchFilters(validity="in_force"),
        SearchFilters(kind=KIND),
    ):
        settings.GONGKAI_SEARCH_MAX_COUNT = 1000
        exact = [ids(backend.search("公示", filters, page=p, per_page=1)) for p in (1, 2)]
        total = backend.search("公示", filters).total
        # probed first, or (dense: 0) walked by buckets without a scan over every match
        for dense, cap in itertools.product((20, 0), (2, 3, 6, 1000)):
            settings.GONGKAI_SEARCH_MAX_COUNT, settings.GONGKAI_SEARCH_DENSE = cap, dense
            got = [backend.search("公示", filters, page=p, per_page=1) for p in (1, 2)]
            assert [ids(g) for g in got] == exact, (filters, dense, cap, got, exact)
            assert got[0].total == min(total, cap + 1), (filters, dense, cap)


def test_vector_statistics_keep_ten_times_the_common_lexemes(db):
    """The planner knows the frequency of a topic word (5–10 % of documents) only with the larger
    statistics target; the dense route depends on that estimate (search 0003)."""
    with connection.cursor() as cur:
        cur.execute(
            "SELECT attstattarget FROM pg_attribute "
            "WHERE attrelid = 'search_searchentry'::regclass AND attname = 'vector'"
        )
        assert cur.fetchone()[0] == 1000
