"""Time the readiness reports on an organisation of 10,000 people, on SQLite and PostgreSQL.

    python benchmarks/readiness.py                      # SQLite, and PostgreSQL when
    LMS_CX_BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench \\
        python benchmarks/readiness.py --db both        # ...the URL names the database

Builds the organisation of ``benchmarks/readiness_data.py`` in a fresh database (a temporary
SQLite file; a new schema in the PostgreSQL database, dropped afterwards), signs in through the
real login and times whole requests through Flask's test client: the team page of a manager
of 50 people, the organisation report (10,000 people), and the team's CSV and PDF exports.
Prints one JSON object per figure, e.g.
``{"benchmark": "readiness.team_page", "db": "sqlite", "value": 31.2, "unit": "ms", ...}``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from readiness_data import PASSWORD, BenchOrg, build_organisation  # noqa: E402

from lms_cx import create_app  # noqa: E402
from lms_cx.db import Base, get_session  # noqa: E402


@contextmanager
def database(
    kind: str, sqlite_path: str | None, pg_schema: str | None = None
) -> Iterator[tuple[str, bool]]:
    """Yield ``(url, fresh)``: an empty database of ``kind``, or the SQLite file or PostgreSQL
    schema to reuse (kept afterwards)."""
    if kind == "sqlite":
        if sqlite_path and Path(sqlite_path).exists():
            yield f"sqlite:///{sqlite_path}", False
            return
        with tempfile.TemporaryDirectory(prefix="lms_cx-bench-") as folder:
            path = sqlite_path or str(Path(folder) / "readiness.sqlite")
            yield f"sqlite:///{path}", True
        return
    url = os.environ.get("LMS_CX_BENCH_DATABASE_URL")
    if not url:
        raise SystemExit("set LMS_CX_BENCH_DATABASE_URL to benchmark PostgreSQL")
    schema = pg_schema or f"bench_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.execute(
            sa.text("SELECT 1 FROM pg_namespace WHERE nspname = :name"), {"name": schema}
        ).first()
        if not exists:
            connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in url else "?"
    try:
        yield f"{url}{separator}options={quote(f'-csearch_path={schema}')}", not exists
    finally:
        if pg_schema is None:
            with admin.connect() as connection:
                connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def timings(
    call: Callable[[], object], runs: int, warmup: int = 1
) -> tuple[list[float], list[float]]:
    """Return the wall and CPU milliseconds of ``runs`` calls, after ``warmup`` untimed ones.

    The CPU time is this process's (the app and, on SQLite, the database): on a machine shared
    with other work it shows what the wall time would be on an idle one.
    """
    for _ in range(warmup):
        call()
    walls, cpus = [], []
    for _ in range(runs):
        start, cpu = time.perf_counter(), time.process_time()
        call()
        walls.append((time.perf_counter() - start) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return walls, cpus


def report(name: str, kind: str, values: tuple[list[float], list[float]], **extra: object) -> None:
    """Print one figure as a JSON line: the median as ``value``, with p50, p95 and CPU p50."""
    walls, cpus = values
    ordered = sorted(walls)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    line = {
        "benchmark": name,
        "db": kind,
        "value": round(statistics.median(ordered), 1),
        "unit": "ms",
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(p95, 1),
        "cpu_p50_ms": round(statistics.median(cpus), 1),
        "load_1min": round(os.getloadavg()[0], 2),
        "runs": len(ordered),
        **extra,
    }
    print(json.dumps(line), flush=True)


def run(kind: str, runs: int, sqlite_path: str | None, pg_schema: str | None) -> None:
    """Build (or reuse) the organisation on ``kind`` and print its figures."""
    with (
        database(kind, sqlite_path, pg_schema) as (url, fresh),
        tempfile.TemporaryDirectory() as instance,
    ):
        app = create_app(
            {
                "SECRET_KEY": "benchmark-secret-key",
                "LMS_CX_DATABASE_URL": url,
                "WTF_CSRF_ENABLED": False,
            },
            instance_path=instance,
        )
        with app.app_context():
            engine = app.extensions["sqlalchemy"].engine
            if fresh:
                Base.metadata.create_all(engine)
                start = time.perf_counter()
                with app.test_request_context("/"):
                    org = build_organisation(get_session(), datetime.now(UTC))
                with engine.begin() as connection:  # fresh statistics, as autovacuum would keep
                    connection.execute(sa.text("ANALYZE"))
                print(
                    f"# {kind}: built {org.employees} people, {org.teams} teams, "
                    f"{org.progress_rows} progress rows in {time.perf_counter() - start:.0f} s",
                    file=sys.stderr,
                )
            else:
                org = BenchOrg("manager@bench.example", "admin@bench.example", 0, 0, 0)
        manager, admin = app.test_client(), app.test_client()
        for client, email in ((manager, org.manager_email), (admin, org.admin_email)):
            response = client.post("/cx/account/login", data={"email": email, "password": PASSWORD})
            assert response.status_code == 302, response.get_data(as_text=True)

        def get(client, path: str) -> Callable[[], object]:
            def call() -> object:
                response = client.get(path)
                assert response.status_code == 200, (path, response.status_code)
                return response.data

            return call

        report("readiness.team_page", kind, timings(get(manager, "/cx/manager/"), runs), people=50)
        report(
            "readiness.org_report",
            kind,
            timings(get(admin, "/cx/manager/organisation"), max(3, runs // 6)),
            people=10_000,
        )
        report(
            "readiness.team_csv",
            kind,
            timings(get(manager, "/cx/manager/readiness.csv"), max(5, runs // 3)),
            people=50,
        )
        report(
            "readiness.team_pdf",
            kind,
            timings(get(manager, "/cx/manager/readiness.pdf"), max(3, runs // 6)),
            people=50,
        )
        with app.app_context():
            app.extensions["sqlalchemy"].engine.dispose()


def main() -> None:
    """Parse the command line and run the benchmark on the chosen databases."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default=None)
    parser.add_argument("--runs", type=int, default=30, help="timed team page requests")
    parser.add_argument(
        "--sqlite-path", help="build the SQLite database here, or reuse it if it exists"
    )
    parser.add_argument(
        "--pg-schema", help="build in this PostgreSQL schema (kept), or reuse it if it exists"
    )
    arguments = parser.parse_args()
    kinds = {
        "sqlite": ["sqlite"],
        "postgresql": ["postgresql"],
        "both": ["sqlite", "postgresql"],
        None: ["sqlite"] + (["postgresql"] if os.environ.get("LMS_CX_BENCH_DATABASE_URL") else []),
    }[arguments.db]
    for kind in kinds:
        run(kind, arguments.runs, arguments.sqlite_path, arguments.pg_schema)


if __name__ == "__main__":
    main()
