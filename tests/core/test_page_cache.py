"""Plain logic of the public page cache (gongkai.core.page_cache)."""

import pytest

from gongkai.core.page_cache import (
    CONTENT,
    CREDENTIALS,
    Entry,
    LocalStore,
    Varies,
    cache_control_allows,
    digest,
    path_cacheable,
    vary_fields,
    write_kind,
    written_table,
)


@pytest.mark.parametrize(
    ("sql", "table"),
    [
        ('INSERT INTO "records_record" ("title") VALUES (%s)', "records_record"),
        ('UPDATE "records_record" SET "title" = %s WHERE "id" = %s', "records_record"),
        ('  delete from "django_session" where "session_key" = %s', "django_session"),
        ('TRUNCATE "records_record", "search_searchentry" RESTART IDENTITY', "records_record"),
        ("TRUNCATE TABLE agencies_agency", "agencies_agency"),
        ("WITH moved AS (DELETE FROM a RETURNING *) INSERT INTO b SELECT * FROM moved", "*"),
        ("CREATE INDEX foo ON bar (baz)", "*"),
        ('SELECT "records_record"."id" FROM "records_record" FOR UPDATE', None),
        ("WITH x AS (SELECT 1) SELECT * FROM x", None),
        ("SAVEPOINT s1", None),
        ("RELEASE SAVEPOINT s1", None),
    ],
)
def test_written_table(sql, table):
    assert written_table(sql) == table


def test_write_kinds():
    ignored, credentials = frozenset({"qa_querylog"}), frozenset({"django_session", "authtoken_token"})
    assert write_kind('UPDATE "qa_querylog" SET count = 2', ignored, credentials) is None
    assert write_kind('SELECT * FROM "records_record"', ignored, credentials) is None
    assert write_kind('UPDATE "records_record" SET x = 1', ignored, credentials) == CONTENT
    assert write_kind('DELETE FROM "django_session" WHERE 1', ignored, credentials) == CREDENTIALS
    assert write_kind('INSERT INTO "authtoken_token" VALUES (1)', ignored, credentials) == CREDENTIALS
    assert write_kind("WITH d AS (DELETE FROM django_session) DELETE FROM x", ignored, credentials) == CONTENT


def test_paths_headers_and_identity():
    assert path_cacheable("/", ("/",), ("/gk/",)) and path_cacheable("/gk/3/catalogue/", ("/",), ("/gk/",))
    assert not path_cacheable("/workbench/", ("/",), ("/gk/",))
    assert cache_control_allows("public, max-age=300") and cache_control_allows("")
    assert not cache_control_allows("max-age=0, no-cache, no-store, must-revalidate, private")
    assert not cache_control_allows("private")
    assert vary_fields("Cookie, Accept-Language") == {"cookie", "accept-language"}
    assert digest("") == "" and digest("Token abc") != "Token abc" and len(digest("k")) == 64


def test_nonce_is_replaced_in_the_body():
    entry = Entry(
        200, [], b'<script nonce="OLDNONCE1==">x</script><style nonce="OLDNONCE1==">', nonce="OLDNONCE1=="
    )
    assert (
        entry.with_nonce("NEWNONCE2==")
        == b'<script nonce="NEWNONCE2==">x</script><style nonce="NEWNONCE2==">'
    )
    assert Entry(200, [], b"plain").with_nonce("N") == b"plain"


def test_store_bounds_age_and_generation():
    store = LocalStore(max_entries=2, max_bytes=800, max_age=10)
    store.use_generation("g1")
    store.put(("a",), Entry(200, [], b"x" * 50), now=0)
    store.put(("b",), Varies(("cookie",)), now=0)
    assert store.get(("b",), now=5) == Varies(("cookie",)) and store.get(("a",), now=5).content == b"x" * 50
    store.put(("c",), Entry(200, [], b"y"), now=6)  # over two entries: the least recently used goes
    assert store.get(("b",), now=6) is None and store.get(("a",), now=6) is not None
    assert store.get(("a",), now=11) is None  # older than max_age
    store.put(("big",), Entry(200, [], b"z" * 101), now=12)  # more than an eighth of the bytes
    assert store.get(("big",), now=12) is None
    store.put(("d",), Entry(200, [], b"d"), now=12)
    store.use_generation("g2")
    assert len(store) == 0 and store.get(("d",), now=12) is None
