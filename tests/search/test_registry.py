"""The registry and the service: any model can register what to index (here: agencies, as a
stand-in for another app's model); index(obj), remove(obj), reindex and the command."""

import io

import pytest
from django.core.management import CommandError, call_command

from gongkai.agencies.models import Agency, AgencyKind
from gongkai.core.search_text import SearchDocument
from gongkai.search import registry, services
from gongkai.search.models import SearchEntry

pytestmark = pytest.mark.django_db


def agency_document(a):
    if not a.active:
        return None  # not public: removed from the index
    return SearchDocument(
        "tests.agency", a.pk, a.name, url=f"/agency/{a.pk}/", body=a.address, agency_id=a.pk
    )


@pytest.fixture
def registered():
    reg = registry.register(Agency, kind="tests.agency", document=agency_document, label="机关")
    yield reg
    registry.unregister("tests.agency")


def make(name, address="", **kw):
    return Agency.objects.create(
        name=name, kind=AgencyKind.DEPARTMENT, tracking_prefix="测", address=address, **kw
    )


def test_index_remove_and_not_public(registered):
    a = make("临江市人力资源和社会保障局", "临江市人民路1号")
    assert services.index(a) is True
    assert [h.object_id for h in services.search("人力资源").hits] == [a.pk]
    a.active = False
    assert services.index(a) is False
    assert services.search("人力资源").total == 0
    a.active = True
    services.index(a)
    services.remove(a)
    assert not SearchEntry.objects.exists()


def test_unregistered_object_is_refused():
    with pytest.raises(LookupError):
        services.index(make("某局"))


def test_reindex_rebuilds_and_drops_stale(registered):
    a, b = make("临江市教育局", "学府路"), make("临江市民政局", "和平路")
    SearchEntry.objects.create(kind="tests.agency", object_id=999999, title="已删除", title_norm="已删除")
    b.active = False
    b.save()
    assert services.reindex(["tests.agency"]) == {"tests.agency": 1}
    assert list(SearchEntry.objects.values_list("object_id", flat=True)) == [a.pk]
    out = io.StringIO()
    call_command("reindex", stdout=out)
    assert "tests.agency: 已索引 1 条" in out.getvalue()
    with pytest.raises(CommandError, match="未注册的检索类型"):
        call_command("reindex", "nope.nope")


def test_backend_setting(settings):
    settings.GONGKAI_SEARCH_BACKEND = "gongkai.search.backends.simple.SimpleSearchBackend"
    assert services.get_backend().name == "simple"
    settings.GONGKAI_SEARCH_BACKEND = None
    assert services.get_backend().name in {"postgres", "simple"}
