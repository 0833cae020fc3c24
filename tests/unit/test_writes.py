"""In a rebuild, only INSERTs that COPY can do exactly the same way are loaded with COPY."""

from __future__ import annotations

from psycopg import sql

from projections.base import _as_copy

ROW = (1, "a")


def test_a_plain_insert_of_placeholders_becomes_a_copy() -> None:
    query = "INSERT INTO seen (position, type)\n VALUES (%s, %s)"
    assert _as_copy(query, [ROW, ROW]) == ("COPY seen (position, type) FROM STDIN", [ROW, ROW])


def test_what_copy_cannot_express_stays_an_insert() -> None:
    for query in (
        "INSERT INTO seen (position, type) VALUES (%s, %s) ON CONFLICT DO NOTHING",
        "INSERT INTO seen (position, type) VALUES (%s, %s) RETURNING position",
        "INSERT INTO seen (position, type) VALUES (%s, lower(%s))",
        "INSERT INTO seen (position, type) SELECT %s, %s",
        "INSERT INTO seen (position, type) VALUES (%s)",
        "UPDATE seen SET type=%s WHERE position=%s",
    ):
        assert _as_copy(query, [ROW]) is None, query
    composed = sql.SQL("INSERT INTO {} (position, type) VALUES (%s, %s)").format(
        sql.Identifier("seen")
    )
    assert _as_copy(composed, [ROW]) is None
    assert _as_copy("INSERT INTO seen (a, b) VALUES (%(a)s, %(b)s)", [{"a": 1, "b": 2}]) is None
