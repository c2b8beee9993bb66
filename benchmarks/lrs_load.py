"""Load the embedded LRS served by gunicorn and print its figures as JSON lines.

    python benchmarks/lrs_load.py --db sqlite
    python benchmarks/lrs_load.py --db postgresql --database-url postgresql+psycopg://postgres@127.0.0.1/bench

Phases, each printed as one JSON object:
- ``lrs.post_single``: 4 clients POST one statement per request (value: statements/s);
- ``lrs.post_batch50``: 4 clients POST batches of 50 (value: statements/s);
- ``lrs.query_agent_verb``: after the ledger is seeded to ``--stored`` statements (1,000,000 by
  default, bulk-inserted by ``lrs_data.seed_ledger``), one client asks for one learner's
  statements with one verb (value: p95 ms).
Each POST phase starts with ``WARM_UP_REQUESTS`` untimed requests per client (the workers'
first requests import and build what they need lazily). Every line has ``db``, ``p50_ms``,
``p95_ms``, the one-minute load average when the phase ended (``load_1min``: the machine is
shared) and ``server_cpu_ms``: the CPU time gunicorn's workers spent per request (with SQLite
inside them; PostgreSQL's own processes are not counted), which the load inflates far less
than wall times. SQLite runs on a fresh file in a temporary folder; PostgreSQL on a fresh
schema (``--pg-schema``, default ``lrs_bench``) of the given database.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lrs_data import LEARNERS, StatementFactory, learner_mbox, seed_ledger, verb_id  # noqa: E402

SECRET = "benchmark-secret-key-0123456789abcdef"
#: Requests per client before each POST phase is timed.
WARM_UP_REQUESTS = 10


def prepare_database(
    db: str, database_url: str | None, folder: str, keep: bool, schema: str = "lrs_bench"
) -> str:
    """Return the URL of the run's database: empty, or the kept one of an earlier run."""
    if db == "sqlite":
        return f"sqlite:///{folder}/lrs_bench.sqlite"
    if not database_url:
        raise SystemExit("--database-url is required with --db postgresql")
    if not schema.isidentifier():
        raise SystemExit(f"--pg-schema {schema!r} is not a plain SQL name")
    admin = sa.create_engine(database_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        if not keep:
            connection.execute(sa.text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        connection.execute(sa.text(f"CREATE SCHEMA IF NOT EXISTS {schema}"))
    admin.dispose()
    separator = "&" if "?" in database_url else "?"
    return f"{database_url}{separator}options={quote(f'-csearch_path={schema}')}"


def server_cpu_seconds(server: subprocess.Popen) -> float:
    """Return the CPU time (user + system) gunicorn's workers have used so far (Linux)."""
    total = 0
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == server.pid:  # ppid: a worker of this gunicorn
            total += int(fields[11]) + int(fields[12])
    return total / tick


def setup_app(url: str) -> tuple[Any, str, str]:
    """Create the schema and a credential; return the app, key and secret."""
    from lms_cx import create_app, schema
    from lms_cx.db import get_engine, get_session
    from lms_cx.xapi.credentials import create_credential

    app = create_app({"SECRET_KEY": SECRET, "LMS_CX_DATABASE_URL": url})
    with app.app_context():
        schema.upgrade(get_engine(), "head")
        credential, secret = create_credential(
            get_session(), name="benchmark", scopes=["all"], homepage="https://lms-cx.example.com"
        )
        get_session().commit()
        return app, credential.key, secret


def start_server(url: str, port: int, workers: int) -> subprocess.Popen:
    """Start gunicorn on the standalone app; return once the LRS answers."""
    env = dict(os.environ, SECRET_KEY=SECRET, LMS_CX_DATABASE_URL=url)
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning", "lms_cx.app:create_app()"],
        env=env,
    )  # fmt: skip
    for _ in range(100):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/xapi/about").status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start")


def run_clients(clients: int, work: Any) -> tuple[float, list[float], int]:
    """Run ``work(client_number, latencies)`` in threads; return wall time, latencies, count."""
    latencies: list[float] = []
    counts: list[int] = []
    lock = threading.Lock()

    def runner(number: int) -> None:
        mine: list[float] = []
        done = work(number, mine)
        with lock:
            latencies.extend(mine)
            counts.append(done)

    threads = [threading.Thread(target=runner, args=(n,)) for n in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, latencies, sum(counts)


def percentile(values: list[float], share: float) -> float:
    """Return the ``share`` percentile of ``values`` (milliseconds)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] * 1000


def emit(name: str, db: str, value: float, unit: str, latencies: list[float], **extra: Any) -> None:
    """Print one figure as a JSON line."""
    line = {"benchmark": name, "db": db, "value": round(value, 1), "unit": unit,
            "p50_ms": round(percentile(latencies, 0.50), 1),
            "p95_ms": round(percentile(latencies, 0.95), 1),
            "load_1min": round(os.getloadavg()[0], 2)} | extra  # fmt: skip
    print(json.dumps(line), flush=True)


def post_phase(
    endpoint: str, auth: tuple[str, str], clients: int, requests: int, size: int, seed: int = 0
) -> Any:
    """POST ``requests`` requests of ``size`` statements per client."""

    def work(number: int, latencies: list[float]) -> int:
        factory = StatementFactory(seed=1000 * size + number + 100_000 * seed)
        bodies = [
            factory.statement() if size == 1 else factory.batch(size) for _ in range(requests)
        ]
        with httpx.Client(auth=auth, headers={"X-Experience-API-Version": "1.0.3"}) as http:
            for body in bodies:
                started = time.perf_counter()
                response = http.post(f"{endpoint}/statements", json=body, timeout=60)
                latencies.append(time.perf_counter() - started)
                response.raise_for_status()
        return requests * size

    return run_clients(clients, work)


def query_phase(endpoint: str, auth: tuple[str, str], queries: int) -> list[float]:
    """Ask ``queries`` times for one learner's statements with one verb."""
    rnd = random.Random(3)
    latencies = []
    with httpx.Client(auth=auth, headers={"X-Experience-API-Version": "1.0.3"}) as http:
        for _ in range(queries):
            params = {
                "agent": json.dumps({"mbox": learner_mbox(rnd.randrange(LEARNERS))}),
                "verb": verb_id(rnd.choice(["experienced", "answered", "passed", "completed"])),
                "limit": "100",
            }
            started = time.perf_counter()
            response = http.get(f"{endpoint}/statements", params=params, timeout=60)
            latencies.append(time.perf_counter() - started)
            response.raise_for_status()
    return latencies


def main() -> None:
    """Run the phases and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--database-url", default=os.environ.get("LMS_CX_BENCH_DATABASE_URL"))
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--singles", type=int, default=500, help="single POSTs per client")
    parser.add_argument("--batches", type=int, default=40, help="batch POSTs per client")
    parser.add_argument("--stored", type=int, default=1_000_000, help="ledger size for queries")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--pg-schema", default="lrs_bench", help="PostgreSQL schema to use")
    parser.add_argument(
        "--keep",
        metavar="FOLDER",
        help="keep the database for the next run (SQLite: in FOLDER; PostgreSQL: the schema)",
    )
    parser.add_argument(
        "--phases", default="post,query", help="comma-separated: post (writes), query (reads)"
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or scratch
        url = prepare_database(args.db, args.database_url, folder, bool(args.keep), args.pg_schema)
        app, key, secret = setup_app(url)
        server = start_server(url, args.port, args.workers)
        endpoint = f"http://127.0.0.1:{args.port}/xapi"
        auth = (key, secret)
        phases = set(args.phases.split(","))
        try:
            if "post" in phases:
                post_phases(args, endpoint, auth, server)
            if "query" in phases:
                query_phases(args, app, endpoint, auth, server)
        finally:
            server.terminate()
            server.wait(timeout=30)


def post_phases(
    args: argparse.Namespace, endpoint: str, auth: tuple[str, str], server: subprocess.Popen
) -> None:
    """Time single and batched POSTs."""
    for name, requests, size in (
        ("lrs.post_single", args.singles, 1),
        ("lrs.post_batch50", args.batches, 50),
    ):
        # Untimed: every worker's first requests import and build what it lazily needs.
        post_phase(endpoint, auth, args.clients, WARM_UP_REQUESTS, size, seed=7)
        cpu = server_cpu_seconds(server)
        wall, latencies, count = post_phase(endpoint, auth, args.clients, requests, size)
        cpu_ms = (server_cpu_seconds(server) - cpu) * 1000 / len(latencies)
        emit(name, args.db, count / wall, "statements/s", latencies,
             server_cpu_ms=round(cpu_ms, 2), clients=args.clients,
             workers=args.workers)  # fmt: skip


def query_phases(
    args: argparse.Namespace,
    app: Any,
    endpoint: str,
    auth: tuple[str, str],
    server: subprocess.Popen,
) -> None:
    """Seed the ledger to ``--stored`` statements, then time agent+verb queries."""
    from lms_cx.db import get_session

    with app.app_context():
        started = time.perf_counter()
        added = seed_ledger(get_session(), args.stored)
        seeded_in = time.perf_counter() - started
        get_session().execute(sa.text("ANALYZE"))
        get_session().commit()
    print(json.dumps({"seeded": added, "seconds": round(seeded_in, 1)}), file=sys.stderr)
    query_phase(endpoint, auth, 20)  # warm the caches
    cpu = server_cpu_seconds(server)
    latencies = query_phase(endpoint, auth, args.queries)
    cpu_ms = (server_cpu_seconds(server) - cpu) * 1000 / len(latencies)
    emit("lrs.query_agent_verb", args.db, percentile(latencies, 0.95), "ms", latencies,
         server_cpu_ms=round(cpu_ms, 2), stored=args.stored)  # fmt: skip


if __name__ == "__main__":
    main()
