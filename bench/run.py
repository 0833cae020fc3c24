"""`make bench`: the service under load, with raw baselines measured in the same run.

Prints a table, then one JSON object with every figure as the last line.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import threading
import time
from pathlib import Path

import httpx
import psutil
import psycopg
from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).parent))

from baselines import library_save_rate, raw_baselines
from floor import floor_server
from load import percentile, projection_lag, rebuild_seconds, seed_events, wrk
from service import aevon_up

from tests.support import registration

console = Console(stderr=True)
WRITE_LEVELS = (1, 8, 32, 48, 64)
# A closed loop's latency is its connections over its throughput: the targets pair a rate with a
# p99, so reads run at two concurrencies, and both kinds report the best rate within the p99.
READ_LEVELS = (16, 32)
WRITE_P99_MS, READ_P99_MS = 50, 20
PACED = 32  # connections of the paced load under which projection lag is sampled
LOAD = '{"firstName": "Load"}'
REBUILD_EVENTS = int(os.environ.get("BENCH_REBUILD_EVENTS", "200000"))
# One API process per core, as a deployment on this box would run (docs/performance.md).
API_WORKERS = os.cpu_count() or 1


class PeakRss(threading.Thread):
    def __init__(self, run_dir: Path) -> None:
        super().__init__(daemon=True)
        self.run_dir = run_dir
        self.peak = {"api": 0.0, "worker": 0.0, "engines": 0.0}
        self.running = True

    def run(self) -> None:
        while self.running:
            for name in self.peak:
                try:
                    pid = int((self.run_dir / f"{name}.pid").read_text())
                    parent = psutil.Process(pid)
                    # With several API processes, uvicorn's parent forks one per worker.
                    for process in [parent, *parent.children()]:
                        rss = process.memory_info().rss / 2**20
                        self.peak[name] = max(self.peak[name], rss)
                except (OSError, ValueError, psutil.Error):
                    pass
            time.sleep(0.2)


def main() -> None:
    workers = os.environ.get("AEVON_API_WORKERS", str(API_WORKERS))
    with aevon_up("aevon-bench-", AUTH_RATE_LIMIT="1000000", API_WORKERS=workers) as up:
        root, postgres, nats_server, env, base_url = up
        figures: dict[str, float] = {}
        rss = PeakRss(root / "data" / "run")
        rss.start()
        console.print("baselines…")
        figures |= raw_baselines(postgres.url)
        figures["library_save_per_s"] = library_save_rate(postgres.url)
        figures |= framework_floor(int(workers))

        owner = httpx.post(f"{base_url}/v1/auth/register", json=registration(), timeout=30).json()
        token = owner["accessToken"]
        auth = {"Authorization": f"Bearer {token}"}
        top_up = httpx.post(
            f"{base_url}/v1/billing/top-ups", json={"amount": 1_000_000}, headers=auth
        )
        httpx.post(
            f"{base_url}/v1/billing/transactions/{top_up.json()['id']}/confirm", headers=auth
        )
        for _ in range(50):
            contact = httpx.post(
                f"{base_url}/v1/contacts", json={"firstName": "Read"}, headers=auth
            )
        contact_id = contact.json()["id"]

        console.print("writes…")
        writes = [
            wrk(base_url, token, "POST", "/v1/contacts", c, body='{"firstName": "Bench"}')
            for c in WRITE_LEVELS
        ]
        best = max(writes, key=lambda w: w["rps"])
        ledger = [
            wrk(
                base_url,
                token,
                "POST",
                "/v1/billing/tributes",
                c,
                body='{"instrumentId": "SISYPHUSS_ASCENT", "amount": 0.01}',
            )
            for c in (8, 32)
        ]
        # Reads start once the writes before them are projected and answered: started the
        # moment the ledger load stopped, they met its queued requests (first level's p99
        # 69-199 ms, against 10-13 ms when repeated at once).
        caught_up(postgres.url)
        time.sleep(1)
        console.print("reads…")
        reads = [wrk(base_url, token, "GET", f"/v1/contacts/{contact_id}", c) for c in READ_LEVELS]
        one = reads[-1]
        page = wrk(base_url, token, "GET", "/v1/contacts?limit=50", 32)

        console.print("projection lag at ~70 % of the peak write rate…")
        sampled = 50  # writes/s of the lag sampler itself, part of the 70 %
        delay_ms = paced_delay_ms(base_url, token, max(10.0, 0.7 * best["rps"] - sampled))
        paced: dict[str, float] = {}
        load = threading.Thread(
            target=lambda: paced.update(
                wrk(base_url, token, "POST", "/v1/contacts", PACED, 6, LOAD, "eventual", delay_ms)
            )
        )
        load.start()
        time.sleep(0.5)
        lags = asyncio.run(projection_lag(base_url, nats_server.url, "aevon", token, 200, sampled))
        load.join()

        console.print(f"rebuild over {REBUILD_EVENTS} seeded events…")
        seeded = time.perf_counter()
        seed_events(postgres.url, REBUILD_EVENTS)
        # The live worker projects the seeded events too: time the rebuild once it is idle,
        # and report how fast it caught up.
        total_events = caught_up(postgres.url)
        catch_up_seconds = time.perf_counter() - seeded
        seconds = rebuild_seconds(env)
        rss.running = False

        figures |= {
            "writes_per_s": best["rps"],
            "write_p50_ms": best["p50_ms"],
            "write_p99_ms": best["p99_ms"],
            "write_errors": sum(w["errors"] for w in writes),
            "write_best_connections": best["connections"],
            "write_max_ms": max(w["max_ms"] for w in writes),
            "writes_per_s_within_p99_50ms": best_within(writes, WRITE_P99_MS),
            "ledger_writes_per_s": max(w["rps"] for w in ledger),
            "ledger_p99_ms": min(ledger, key=lambda w: -w["rps"])["p99_ms"],
            "reads_per_s": one["rps"],
            "read_p50_ms": one["p50_ms"],
            "read_p99_ms": one["p99_ms"],
            "read_errors": sum(r["errors"] for r in reads),
            "read_max_ms": max(r["max_ms"] for r in reads),
            "reads_per_s_within_p99_20ms": best_within(reads, READ_P99_MS),
            "list50_reads_per_s": page["rps"],
            "list50_p99_ms": page["p99_ms"],
            "lag_p50_ms": percentile(lags, 50),
            "lag_p99_ms": percentile(lags, 99),
            "lag_samples": len(lags),
            "lag_load_writes_per_s": paced["rps"],
            "rebuild_events_per_s": total_events / seconds,
            "rebuild_events": total_events,
            "live_catch_up_events_per_s": REBUILD_EVENTS / catch_up_seconds,
            "api_rss_mb": rss.peak["api"],
            # The worker (relay, projections) and the engines (Loom, Aegis): the larger one.
            "worker_rss_mb": max(rss.peak["worker"], rss.peak["engines"]),
            "api_processes": int(env["AEVON_API_WORKERS"]),
        }
        figures["writes_per_s_over_raw_insert_8"] = (
            figures["writes_per_s"] / figures["raw_insert_8_tps"]
        )
        figures["reads_per_s_over_raw_select"] = figures["reads_per_s"] / figures["raw_select_tps"]
        figures["writes_per_s_over_floor"] = figures["writes_per_s"] / figures["floor_writes_per_s"]
        figures["reads_per_s_over_floor"] = figures["reads_per_s"] / figures["floor_reads_per_s"]
        # The write target's ratio (0.3 x raw INSERT) as a share of what an empty endpoint does:
        # at 1 or more, no endpoint on this HTTP stack could reach it.
        figures["write_ratio_target_over_floor"] = (
            0.3 * figures["raw_insert_8_tps"] / figures["floor_writes_per_s"]
        )
        report(writes, reads, figures)


def framework_floor(workers: int) -> dict[str, float]:
    """The empty apps' rates (bench/floor.py), at the connections of the service's top write
    level and of `reads_per_s`, with as many processes as the service's API."""
    with floor_server(workers) as url:
        post = floor_posts(url)
        read = wrk(url, "", "GET", "/v1/contacts/floor", READ_LEVELS[-1])
    with floor_server(workers, "bare_app") as url:
        bare = floor_posts(url)
    if any(level["errors"] for level in (post, read, bare)):
        raise RuntimeError(f"the floor answered errors: {post}, {read}, {bare}")
    return {
        "floor_writes_per_s": post["rps"],
        "floor_write_p99_ms": post["p99_ms"],
        "floor_reads_per_s": read["rps"],
        "floor_read_p99_ms": read["p99_ms"],
        "bare_asgi_writes_per_s": bare["rps"],
    }


def floor_posts(url: str) -> dict[str, float]:
    # Readiness is the first process's: a short run first, while the others start.
    wrk(url, "", "POST", "/v1/contacts", WRITE_LEVELS[-1], 2, LOAD)
    return wrk(url, "", "POST", "/v1/contacts", WRITE_LEVELS[-1], body=LOAD)


def paced_delay_ms(base_url: str, token: str, rate: float) -> int:
    """The pause per connection that makes PACED connections send `rate` eventual writes/s.
    Each request's own latency adds to its pause, and grows with the load: two short trials
    each measure it at the pause chosen so far."""
    pause = PACED / rate
    for _ in range(2):
        trial = wrk(
            base_url, token, "POST", "/v1/contacts", PACED, 2, LOAD, "eventual", int(pause * 1000)
        )
        latency = max(0.0, PACED / trial["rps"] - pause)
        pause = max(0.001, PACED / rate - latency)
    return int(pause * 1000)


def caught_up(url: str, within: float = 600) -> int:
    """Waits until every projection has the store's last event; returns that position."""
    deadline = time.monotonic() + within
    with psycopg.connect(url, autocommit=True) as conn:
        head = conn.execute("SELECT max(notification_id) FROM aevon_events").fetchone()
        assert head is not None
        while time.monotonic() < deadline:
            row = conn.execute(
                "SELECT min(position) FROM aevon_tracking WHERE projection NOT LIKE %s",
                ("%\\_\\_rebuild",),
            ).fetchone()
            if row is not None and row[0] is not None and row[0] >= head[0]:
                return int(head[0])
            time.sleep(0.2)
    raise TimeoutError("the live projections did not catch up")


def best_within(levels: list[dict[str, float]], p99_ms: float) -> float:
    """The highest rate among the concurrencies whose p99 is within `p99_ms`; 0 if none."""
    return max((level["rps"] for level in levels if level["p99_ms"] <= p99_ms), default=0.0)


def report(
    writes: list[dict[str, float]], reads: list[dict[str, float]], figures: dict[str, float]
) -> None:
    table = Table("figure", "value", title="ΛΞVON OS benchmark (same-run baselines)")
    for name, levels in (("POST /contacts", writes), ("GET /contacts/{id}", reads)):
        for level in levels:
            table.add_row(
                f"{name} c={level['connections']}",
                f"{level['rps']:.0f}/s p50 {level['p50_ms']:.1f} ms"
                f" p99 {level['p99_ms']:.1f} ms max {level['max_ms']:.0f} ms"
                f" errors {level['errors']}",
            )
    for key, value in figures.items():
        table.add_row(key, f"{value:.3f}" if isinstance(value, float) else str(value))
    Console().print(table)
    print(json.dumps({k: round(v, 3) if isinstance(v, float) else v for k, v in figures.items()}))


if __name__ == "__main__":
    main()
