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
than wall times. POST lines also have ``client_cpu_ms``, what the load generator itself spent
per request on the same cores (``--client stdlib``, http.client, costs a third of httpx's).
SQLite runs on a fresh file in a temporary folder; PostgreSQL on a fresh schema
(``--pg-schema``, default ``lrs_bench``) of the given database. gunicorn runs one sync worker
per core unless ``--workers`` says otherwise.
"""

from __future__ import annotations

import argparse
import base64
import http.client
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
from urllib.parse import quote, urlencode, urlsplit

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


def run_clients(clients: int, work: Any) -> tuple[float, list[float], int, float]:
    """Run ``work(client_number, latencies)`` in threads.

    Return the wall time, the latencies, the count ``work`` returned and the CPU time this
    process (the clients) used meanwhile.
    """
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
    started, own_cpu = time.perf_counter(), time.process_time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    own_cpu = time.process_time() - own_cpu
    return time.perf_counter() - started, latencies, sum(counts), own_cpu


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


class LrsClient:
    """One client's keep-alive connection to the LRS: ``post`` and ``get`` raise on errors.

    ``kind`` "stdlib" (http.client) costs the shared cores far less CPU per request than
    "httpx", so more of the two cores are left to the server being measured.
    """

    def __init__(self, endpoint: str, auth: tuple[str, str], kind: str) -> None:
        self.endpoint = endpoint
        self.kind = kind
        token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
        self.headers = {"X-Experience-API-Version": "1.0.3", "Authorization": f"Basic {token}"}
        if kind == "httpx":
            self.http = httpx.Client(headers=self.headers, timeout=60)
        else:
            address = urlsplit(endpoint)
            self.path = address.path
            self.connection = http.client.HTTPConnection(address.netloc, timeout=60)

    def post(self, body: bytes) -> None:
        """POST a JSON body to the Statement resource."""
        headers = {**self.headers, "Content-Type": "application/json"}
        if self.kind == "httpx":
            self.http.post(
                f"{self.endpoint}/statements", content=body, headers=headers
            ).raise_for_status()
            return
        self._send("POST", f"{self.path}/statements", body, headers)

    def get(self, params: dict[str, str]) -> None:
        """GET the Statement resource with query ``params``."""
        if self.kind == "httpx":
            self.http.get(f"{self.endpoint}/statements", params=params).raise_for_status()
            return
        self._send("GET", f"{self.path}/statements?{urlencode(params)}", None, self.headers)

    def _send(self, method: str, path: str, body: bytes | None, headers: dict[str, str]) -> None:
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        content = response.read()
        if response.status >= 400:
            raise SystemExit(f"{method} {path}: {response.status} {content[:300]!r}")

    def close(self) -> None:
        """Close the connection."""
        if self.kind == "httpx":
            self.http.close()
        else:
            self.connection.close()


def post_phase(
    endpoint: str,
    auth: tuple[str, str],
    clients: int,
    requests: int,
    size: int,
    seed: int = 0,
    kind: str = "stdlib",
) -> Any:
    """POST ``requests`` requests of ``size`` statements per client."""

    bodies = []  # built before the clock starts
    for number in range(clients):
        factory = StatementFactory(seed=1000 * size + number + 100_000 * seed)
        bodies.append(
            [
                json.dumps(factory.statement() if size == 1 else factory.batch(size)).encode()
                for _ in range(requests)
            ]
        )

    def work(number: int, latencies: list[float]) -> int:
        client = LrsClient(endpoint, auth, kind)
        try:
            for body in bodies[number]:
                started = time.perf_counter()
                client.post(body)
                latencies.append(time.perf_counter() - started)
        finally:
            client.close()
        return requests * size

    return run_clients(clients, work)


def query_phase(
    endpoint: str, auth: tuple[str, str], queries: int, kind: str = "stdlib"
) -> list[float]:
    """Ask ``queries`` times for one learner's statements with one verb."""
    rnd = random.Random(3)
    latencies = []
    client = LrsClient(endpoint, auth, kind)
    try:
        for _ in range(queries):
            params = {
                "agent": json.dumps({"mbox": learner_mbox(rnd.randrange(LEARNERS))}),
                "verb": verb_id(rnd.choice(["experienced", "answered", "passed", "completed"])),
                "limit": "100",
            }
            started = time.perf_counter()
            client.get(params)
            latencies.append(time.perf_counter() - started)
    finally:
        client.close()
    return latencies


def main() -> None:
    """Run the phases and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--database-url", default=os.environ.get("LMS_CX_BENCH_DATABASE_URL"))
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 2,
        help="gunicorn worker processes (default: one per core)",
    )
    parser.add_argument("--singles", type=int, default=500, help="single POSTs per client")
    parser.add_argument("--batches", type=int, default=40, help="batch POSTs per client")
    parser.add_argument("--stored", type=int, default=1_000_000, help="ledger size for queries")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--client",
        choices=["stdlib", "httpx"],
        default="stdlib",
        help="HTTP client of the load generator (it shares the machine's cores with the server)",
    )
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
        post_phase(endpoint, auth, args.clients, WARM_UP_REQUESTS, size, 7, args.client)
        cpu = server_cpu_seconds(server)
        wall, latencies, count, own_cpu = post_phase(
            endpoint, auth, args.clients, requests, size, kind=args.client
        )
        cpu_ms = (server_cpu_seconds(server) - cpu) * 1000 / len(latencies)
        client_ms = own_cpu * 1000 / len(latencies)
        emit(name, args.db, count / wall, "statements/s", latencies,
             server_cpu_ms=round(cpu_ms, 2), client_cpu_ms=round(client_ms, 2),
             clients=args.clients, workers=args.workers, client=args.client)  # fmt: skip


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
    query_phase(endpoint, auth, 20, args.client)  # warm the caches
    cpu = server_cpu_seconds(server)
    latencies = query_phase(endpoint, auth, args.queries, args.client)
    cpu_ms = (server_cpu_seconds(server) - cpu) * 1000 / len(latencies)
    emit("lrs.query_agent_verb", args.db, percentile(latencies, 0.95), "ms", latencies,
         server_cpu_ms=round(cpu_ms, 2), stored=args.stored, client=args.client)  # fmt: skip


if __name__ == "__main__":
    main()
