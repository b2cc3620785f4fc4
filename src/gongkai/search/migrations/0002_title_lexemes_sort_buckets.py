"""Search at a million documents (PostgreSQL only):

- every vector gains the title's words as ``t:`` lexemes, the two-character pieces of title and
  文号 as ``b:`` lexemes and its ordering bucket
  (``f:sort:<in force>:<yyyymm>``), which the backend uses to rank a bounded set of candidates
  when a query matches more than it can sort (existing rows are completed here);
- the table keeps its row narrow: ``toast_tuple_target`` 128 moves the text, the vector, the
  summary and the display values out of line, while titles, 文号 and the sort columns stay in
  the row (storage MAIN), so reading the sort keys of a thousand matches touches few pages.
"""

from django.db import migrations

NARROW_SQL = """
ALTER TABLE search_searchentry SET (toast_tuple_target = 128);
ALTER TABLE search_searchentry
  ALTER COLUMN kind SET STORAGE MAIN,
  ALTER COLUMN issuer_ids SET STORAGE MAIN,
  ALTER COLUMN title SET STORAGE MAIN,
  ALTER COLUMN title_norm SET STORAGE MAIN,
  ALTER COLUMN doc_number SET STORAGE MAIN,
  ALTER COLUMN doc_number_norm SET STORAGE MAIN,
  ALTER COLUMN index_number SET STORAGE MAIN,
  ALTER COLUMN topic SET STORAGE MAIN,
  ALTER COLUMN doc_type SET STORAGE MAIN,
  ALTER COLUMN validity SET STORAGE MAIN,
  ALTER COLUMN url SET STORAGE MAIN;
"""
WIDE_SQL = """
ALTER TABLE search_searchentry RESET (toast_tuple_target);
"""


def complete_vectors(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from gongkai.core.search_text import (
        index_words,
        piece_lexemes,
        sort_facet,
        title_lexeme,
        vector_literal,
    )

    schema_editor.execute(NARROW_SQL)
    with schema_editor.connection.cursor() as cur:
        cur.execute(
            "SELECT id, title_norm, doc_number_norm, in_force, published_on FROM search_searchentry ORDER BY id"
        )
        rows = cur.fetchall()
        for pk, title_norm, doc_number_norm, in_force, published_on in rows:
            words = {title_lexeme(w) for w in index_words(title_norm)}
            words |= piece_lexemes(title_norm) | piece_lexemes(doc_number_norm)
            extra = vector_literal(words, [sort_facet(in_force, published_on)])
            cur.execute(
                "UPDATE search_searchentry SET vector = vector || %s::tsvector WHERE id = %s", [extra, pk]
            )


def narrow_off(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(WIDE_SQL)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(complete_vectors, narrow_off, elidable=False)]
