"""In a rebuild, only INSERTs that COPY can do exactly the same way are loaded with COPY."""

from __future__ import annotations

from psycopg import sql
from psycopg.abc import Query

from projections.base import _as_copy, _Run

ROW = (1, "a")
BY_COLUMN = "INSERT INTO seen (position, type) SELECT * FROM unnest(%b::bigint[], %b::text[])"


def copied(query: Query, rows: list[tuple[int, str]], columns: bool = False) -> object:
    return _as_copy(_Run(query, list(rows), columns))


def test_a_plain_insert_of_placeholders_becomes_a_copy() -> None:
    query = "INSERT INTO seen (position, type)\n VALUES (%s, %s)"
    assert copied(query, [ROW, ROW]) == ("COPY seen (position, type) FROM STDIN", [ROW, ROW])


def test_a_plain_insert_of_rows_added_by_column_becomes_a_copy() -> None:
    copy = ("COPY seen (position, type) FROM STDIN", [ROW, ROW])
    assert copied(BY_COLUMN, [ROW, ROW], columns=True) == copy


def test_what_copy_cannot_express_stays_an_insert() -> None:
    for query in (
        "INSERT INTO seen (position, type) VALUES (%s, %s) ON CONFLICT DO NOTHING",
        "INSERT INTO seen (position, type) VALUES (%s, %s) RETURNING position",
        "INSERT INTO seen (position, type) VALUES (%s, lower(%s))",
        "INSERT INTO seen (position, type) SELECT %s, %s",
        "INSERT INTO seen (position, type) VALUES (%s)",
        "UPDATE seen SET type=%s WHERE position=%s",
    ):
        assert copied(query, [ROW]) is None, query
    composed = sql.SQL("INSERT INTO {} (position, type) VALUES (%s, %s)").format(
        sql.Identifier("seen")
    )
    assert copied(composed, [ROW]) is None
    named = _Run("INSERT INTO seen (a, b) VALUES (%(a)s, %(b)s)", [{"a": 1, "b": 2}], False)
    assert _as_copy(named) is None


def test_rows_by_column_copy_only_from_a_plain_insert_of_every_column() -> None:
    for query in (
        f"{BY_COLUMN} ON CONFLICT DO NOTHING",
        "INSERT INTO seen (position, type) SELECT * FROM unnest(%b::bigint[])",
        "SELECT link_events(%b::bigint[], %b::text[])",
    ):
        assert copied(query, [ROW], columns=True) is None, query
    # A statement of one row, queued by column, or one by column queued a row at a time.
    assert copied("INSERT INTO seen (position, type) VALUES (%s, %s)", [ROW], True) is None
    assert copied(BY_COLUMN, [ROW]) is None
