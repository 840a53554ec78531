"""Bringing a read copy up to date with the warehouse by copying only what changed since it was last synced.

The writer ATTACHes the copy and, in one transaction on it, applies the difference per table:
- `raw_snapshots`: rows whose metadata (every column but the payload bytes) differs, or that are new;
  every rewrite of a snapshot's rows (load, reparse, compaction) bumps its `revision`, so this finds them;
- `observations`: left out. Only writers use them (the guard, interval building, reparse, compaction,
  `tokentide check` and `tokentide export --parquet` read the warehouse file); readers get their counts from
  the snapshot metadata (`n_records - n_folded`). A catalogue's worth of rows per write is what made a copy
  grow with the catalogue;
- `quarantine`, `benchmark_scores`: the rows of exactly those changed snapshots;
- `price_intervals`: new ids, rows closed by a changed snapshot, and (only when ids vanished) deletions:
  an interval changes only by being closed by a snapshot, or by being deleted and inserted anew;
- `runs`: new ids and runs the copy still shows as running;
- `model_facts`, `observation_folds`: rows stamped with a changed snapshot, replaced by key (facts are
  written only on change, so a fact's snapshot is the one that last changed it);
- every other table: a row-hash difference (they are small), checked by count, else replaced whole.
The cost follows the size of the change, not of the history (benchmarks/scaling.py measures it).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

COPY = "tt_read_copy"  # the alias the copy is attached under in the writer's connection
PAYLOAD_COLUMN = "payload_gzip"
WRITER_ONLY_TABLES: tuple[str, ...] = ("observations",)  # kept empty in read copies (see above)
BY_SNAPSHOT: tuple[str, ...] = ("quarantine", "benchmark_scores")  # rows written once per snapshot


@dataclass(frozen=True)
class SyncCounts:
    """Rows written into the copy, per table, by one sync (for benchmarks and tests)."""

    rows_by_table: dict[str, int]

    @property
    def rows(self) -> int:
        return sum(self.rows_by_table.values())


def _scalar(conn: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None) -> int:
    row = conn.execute(sql, params or []).fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def table_columns(conn: duckdb.DuckDBPyConnection, database: str) -> dict[str, list[str]]:
    """Base tables of one attached database and their columns, in order."""
    rows = conn.execute(
        "SELECT table_name, column_name FROM duckdb_columns() WHERE database_name = ? AND schema_name = 'main' "
        "AND table_name IN (SELECT table_name FROM duckdb_tables() WHERE database_name = ? AND schema_name = 'main' "
        "AND NOT temporary) ORDER BY table_name, column_index",
        [database, database],
    ).fetchall()
    tables: dict[str, list[str]] = {}
    for table, column in rows:
        tables.setdefault(str(table), []).append(str(column))
    return tables


def schema_signature(conn: duckdb.DuckDBPyConnection, database: str) -> list[tuple[str, str, str]]:
    """Tables, views and columns with types: a copy is synced only when this matches the warehouse."""
    rows = conn.execute(
        "SELECT table_name, column_name, data_type FROM duckdb_columns() WHERE database_name = ? "
        "AND schema_name = 'main' ORDER BY table_name, column_index",
        [database],
    ).fetchall()
    return [(str(a), str(b), str(c)) for a, b, c in rows]


class _Sync:
    def __init__(self, conn: duckdb.DuckDBPyConnection, main: str, columns: dict[str, list[str]]) -> None:
        self.conn, self.columns = conn, columns
        self.main, self.copy = quoted(main), quoted(COPY)
        self.rows: dict[str, int] = {}
        self.changed_snapshots: list[int] = []

    def src(self, table: str) -> str:
        return f"{self.main}.main.{quoted(table)}"

    def dst(self, table: str) -> str:
        return f"{self.copy}.main.{quoted(table)}"

    def _insert(self, table: str, where: str, params: list[object] | None = None) -> None:
        sql = f"INSERT INTO {self.dst(table)} SELECT * FROM {self.src(table)} WHERE {where}"  # noqa: S608 - names
        self.rows[table] = self.rows.get(table, 0) + _scalar(self.conn, sql, params)

    def snapshots(self) -> None:
        """Changed or new snapshots into temp table tt_changed_snapshots(snapshot_id)."""
        meta = [c for c in self.columns["raw_snapshots"] if c != PAYLOAD_COLUMN]
        row_hash = "hash(" + ", ".join(quoted(c) for c in meta) + ")"
        sql = (
            "CREATE OR REPLACE TEMP TABLE tt_changed_snapshots AS "  # noqa: S608 - quoted catalog names only
            f"SELECT snapshot_id FROM {self.src('raw_snapshots')} WHERE (snapshot_id, {row_hash}) NOT IN "
            f"(SELECT (snapshot_id, {row_hash}) FROM {self.dst('raw_snapshots')})"
        )
        self.conn.execute(sql)
        ids = [int(r[0]) for r in self.conn.execute("SELECT snapshot_id FROM tt_changed_snapshots").fetchall()]
        self.changed_snapshots = ids
        if ids:
            self.conn.execute(f"DELETE FROM {self.dst('raw_snapshots')} WHERE {self._changed()}", self._ids())  # noqa: S608
            self._insert("raw_snapshots", self._changed(), self._ids())

    def _changed(self) -> str:
        """The changed snapshots as constants with their range, so DuckDB skips row groups by min/max
        (observations are stored in snapshot order) instead of scanning the whole table."""
        return "snapshot_id BETWEEN ? AND ? AND snapshot_id IN (SELECT unnest(CAST(? AS BIGINT[])))"

    def _ids(self) -> list[object]:
        ids = self.changed_snapshots
        return [min(ids), max(ids), ids]

    def by_snapshot(self, table: str) -> None:
        if not self.changed_snapshots:
            return
        self.conn.execute(f"DELETE FROM {self.dst(table)} WHERE {self._changed()}", self._ids())  # noqa: S608
        self._insert(table, self._changed(), self._ids())

    def keyed(self, table: str, key: str, volatile_in_copy: str, changed_in_source: str = "false") -> None:
        """New keys, rows that may have changed since, and (only when keys vanished) deletions."""
        k = quoted(key)
        top = _scalar(self.conn, f"SELECT max({k}) FROM {self.dst(table)}")  # noqa: S608
        redo = (
            f"CREATE OR REPLACE TEMP TABLE tt_redo AS SELECT {k} AS k FROM {self.dst(table)} "  # noqa: S608
            f"WHERE {volatile_in_copy} UNION SELECT {k} FROM {self.src(table)} "
            f"WHERE {k} <= ? AND ({changed_in_source})"
        )
        self.conn.execute(redo, [top])
        kept = _scalar(self.conn, f"SELECT count(*) FROM {self.src(table)} WHERE {k} <= ?", [top])  # noqa: S608
        if kept != _scalar(self.conn, f"SELECT count(*) FROM {self.dst(table)}"):  # noqa: S608 - rows vanished
            self.conn.execute(
                f"INSERT INTO tt_redo SELECT {k} FROM {self.dst(table)} "  # noqa: S608
                f"WHERE {k} NOT IN (SELECT {k} FROM {self.src(table)})"
            )
        self.conn.execute(f"DELETE FROM {self.dst(table)} WHERE {k} IN (SELECT k FROM tt_redo)")  # noqa: S608
        self._insert(table, f"{k} > ? OR {k} IN (SELECT k FROM tt_redo)", [top])  # noqa: S608

    def stamped(self, table: str, stamps: tuple[str, ...], keys: tuple[str, ...]) -> None:
        """Rows that name the snapshot that last changed them: rows stamped with a changed snapshot are
        replaced by key; a count that then differs (a row vanished some other way) copies the table whole."""
        hit = " OR ".join(f"{quoted(s)} IN (SELECT snapshot_id FROM tt_changed_snapshots)" for s in stamps)  # noqa: S608
        key = ", ".join(quoted(k) for k in keys)
        src, dst = self.src(table), self.dst(table)
        if self.changed_snapshots:
            self.conn.execute(
                f"DELETE FROM {dst} WHERE ({hit}) OR ({key}) IN (SELECT ({key}) FROM {src} WHERE {hit})"  # noqa: S608
            )
            self._insert(table, hit)
        n_src = _scalar(self.conn, f"SELECT count(*) FROM {src}")  # noqa: S608
        if n_src != _scalar(self.conn, f"SELECT count(*) FROM {dst}"):  # noqa: S608
            self.conn.execute(f"DELETE FROM {dst}")  # noqa: S608
            self._insert(table, "true")

    def hashed(self, table: str) -> None:
        """Small tables: the rows whose hash is not on the other side; replaced whole if counts then differ."""
        row_hash = "hash(" + ", ".join(quoted(c) for c in self.columns[table]) + ")"
        src, dst = self.src(table), self.dst(table)
        fingerprint = f"count(*), coalesce(sum({row_hash}), 0)"  # one statement decides most tables are equal
        same = self.conn.execute(
            f"SELECT (SELECT ({fingerprint}) FROM {src}) = (SELECT ({fingerprint}) FROM {dst})"  # noqa: S608
        ).fetchone()
        if same and same[0]:
            return
        self.conn.execute(f"DELETE FROM {dst} WHERE {row_hash} NOT IN (SELECT {row_hash} FROM {src})")  # noqa: S608
        self._insert(table, f"{row_hash} NOT IN (SELECT {row_hash} FROM {dst})")  # noqa: S608
        n_src = _scalar(self.conn, f"SELECT count(*) FROM {src}")  # noqa: S608
        if n_src != _scalar(self.conn, f"SELECT count(*) FROM {dst}"):  # noqa: S608
            self.conn.execute(f"DELETE FROM {dst}")  # noqa: S608 - duplicate rows: copy the table whole
            self._insert(table, "true")


CHANGED_BY_SNAPSHOT = "closed_by_snapshot IN (SELECT snapshot_id FROM tt_changed_snapshots)"
# Tables whose rows carry the snapshot(s) that last wrote them (stamp columns) and their key.
STAMPED: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "model_facts": (("snapshot_id",), ("source", "canonical_model_id")),
    "observation_folds": (
        ("first_snapshot_id", "last_snapshot_id"),
        ("source", "model_id", "source_provider", "price_hash", "interval_valid_from"),
    ),
}


def empty_writer_only_tables(conn: duckdb.DuckDBPyConnection) -> None:
    """After a whole-file copy: drop the rows readers never get (the copy must look the same either way)."""
    tables = table_columns(conn, COPY)
    for table in WRITER_ONLY_TABLES:
        if table in tables:
            conn.execute(f"DELETE FROM {quoted(COPY)}.main.{quoted(table)}")  # noqa: S608 - constant names


def sync_tables(conn: duckdb.DuckDBPyConnection, main: str) -> SyncCounts:
    """Apply the difference from `main` to the attached copy, in one transaction on the copy."""
    columns = table_columns(conn, main)
    sync = _Sync(conn, main, columns)
    conn.execute("BEGIN TRANSACTION")
    try:
        special = {"raw_snapshots", *BY_SNAPSHOT, "price_intervals", "runs", *WRITER_ONLY_TABLES}
        if "raw_snapshots" in columns:
            sync.snapshots()
            for table in BY_SNAPSHOT:
                if table in columns:
                    sync.by_snapshot(table)
        if "price_intervals" in columns:
            sync.keyed("price_intervals", "interval_id", "false", CHANGED_BY_SNAPSHOT)
        if "runs" in columns:
            sync.keyed("runs", "run_id", "finished_at IS NULL OR status = 'running'")
        for table in sorted(set(columns) - special):
            if table in STAMPED:
                sync.stamped(table, *STAMPED[table])
            else:
                sync.hashed(table)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return SyncCounts(dict(sync.rows))
