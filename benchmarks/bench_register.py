"""What a register on PostgreSQL costs against the SQLite file, in one process.

What is measured (issue 17), each backend on its own fresh register, alternating per
repetition, the best of ``--repeats`` (default 3) counting:

1. **record** – ``Register.record`` N times (``--count``, default 200): one write transaction
   each, under the register's write lock, a new organisation, assessment and entry number;
2. **remember** – ``Register.remember_result`` N times (a compressed consolidation.json each);
3. **lookups** – ``Register.entry`` and ``previous_result`` N times each (reads);
4. **round report** – :func:`kwl_office.batch.steps.report_round` with 2 workers on a round of
   ``--assessments`` (default 40) peer reviews, collected once and copied for each backend:
   what the secretariat waits for, of which the register is a small part (deciding and
   recording happen in the main process, in id order).

The PostgreSQL server is the tests' throw-away one (``tests/postgres.py``: a local cluster on
a Unix socket, fsync off): the cost of the protocol and the server, not of a network or a
disk. A real server across a network adds its round trip (~0.2–1 ms) to every statement.

This is a report, not a test: it asserts nothing and always exits with 0.

Run from the repository root::

    python benchmarks/bench_register.py
    python benchmarks/bench_register.py --count 50 --assessments 12   # quick try
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

_ROOT = Path(__file__).resolve().parent.parent
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

from common import machine_and_versions, run_report  # noqa: E402

from kwl_office.assessment import Organisation, Variant  # noqa: E402
from kwl_office.batch.folder import RoundFolder  # noqa: E402
from kwl_office.consolidation.model import Advice  # noqa: E402
from kwl_office.register import Register  # noqa: E402

TODAY = date(2026, 12, 1)


def _record(reg: Register, i: int) -> None:
    reg.record(assessment_id=f"2026-{i:04d}", organisation=Organisation(
        name=f"Welzijn {i} (fictief)", contact="J. Jansen", address=("Straat 1", "1000 AA")),
        variant=Variant.PEER_REVIEW, scope="", kind=Advice.REGISTRATION,
        granted_on=TODAY, valid_until=date(2029, 11, 30))


def _remember(reg: Register, i: int) -> None:
    reg.remember_result({"assessment_id": f"2026-{i:04d}", "catalogue_id": "voorbeeld",
                         "catalogue_version": "1", "norms": [{"id": f"V{n}", "rating": "V"}
                                                             for n in range(50)]},
                        organisation=f"Welzijn {i} (fictief)", reported_on=TODAY)


def _lookup(reg: Register, i: int) -> None:
    reg.entry(f"2026-{i:04d}")
    reg.previous_result(assessment_id="2027-0001", organisation=f"Welzijn {i} (fictief)",
                        before=date(2027, 12, 1))


def _timed(location: Any, count: int, step: Callable[[Register, int], None],
           prepare: Sequence[Callable[[Register, int], None]] = ()) -> float:
    with Register(location) as reg:
        for before in prepare:
            for i in range(count):
                before(reg, i)
        start = time.perf_counter()
        for i in range(count):
            step(reg, i)
        return time.perf_counter() - start


def _round(root: Path, assessments: int) -> RoundFolder:
    from kwl_office.batch.steps import collect_round, issue_round
    from kwl_office.catalogue import load_catalogue
    from tests.helpers import hand_in, make_round, row

    rows = [row(f"2026-{i:03d}", f"Welzijn {i} (fictief)", "intercollegiaal",
                f"Collega {i}a (fictief); Collega {i}b (fictief)")
            for i in range(1, assessments + 1)]
    folder = make_round(root, rows)
    issue_round(folder)
    hand_in(folder, load_catalogue(None))
    collect_round(folder)
    return folder


def _report(prepared: Path, target: Path, register: str) -> float:
    from kwl_office.batch.steps import report_round

    shutil.copytree(prepared, target)
    config = target / "ronde.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("kwaliteitsregister: kwaliteitsregister.sqlite",
                                   f"kwaliteitsregister: {register}"), encoding="utf-8")
    start = time.perf_counter()
    summary = report_round(RoundFolder(target), workers=2, today=TODAY)
    elapsed = time.perf_counter() - start
    assert summary.ok and all(r.number for r in summary.results)
    return elapsed


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--assessments", type=int, default=40)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    from tests.postgres import PostgresServer

    ver = machine_and_versions(("kwl-office", "psycopg"))
    print(f"kwl_office register benchmark – {ver['python']} ({ver['cpus']} cpus); "
          f"psycopg {ver['psycopg']}; load average before "
          f"{os.getloadavg()[0]:.2f}")
    tmp = Path(tempfile.mkdtemp(prefix="kwl-bench-register-"))
    server = PostgresServer()
    server.start()
    try:
        steps: list[tuple[str, Callable[[Register, int], None],
                          Sequence[Callable[[Register, int], None]]]] = [
            ("record", _record, ()), ("remember", _remember, ()),
            ("lookups", _lookup, (_record, _remember))]
        best: dict[tuple[str, str], float] = {}
        for rep in range(args.repeats):
            for name, step, prepare in steps:
                for backend in ("sqlite", "postgresql"):
                    location: Any = (tmp / f"{name}-{rep}.sqlite" if backend == "sqlite"
                                     else server.fresh_database())
                    took = _timed(location, args.count, step, prepare)
                    key = (name, backend)
                    best[key] = min(best.get(key, took), took)
        prepared = _round(tmp / "ronde", args.assessments)
        for rep in range(args.repeats):
            for backend in ("sqlite", "postgresql"):
                register = ("kwaliteitsregister.sqlite" if backend == "sqlite"
                            else server.fresh_database())
                took = _report(prepared.root, tmp / f"rapport-{backend}-{rep}", register)
                key = ("round report", backend)
                best[key] = min(best.get(key, took), took)
        print(f"load average after {os.getloadavg()[0]:.2f}; best of {args.repeats}\n")
        print(f"{'measurement':<34} {'SQLite':>12} {'PostgreSQL':>12} {'PG / SQLite':>12}")
        for name, _, _ in steps:
            lite, pg = best[(name, "sqlite")], best[(name, "postgresql")]
            label = f"{name} (ms per call, {args.count} calls)"
            print(f"{label:<34} {lite / args.count * 1000:>12.2f} "
                  f"{pg / args.count * 1000:>12.2f} {pg / lite:>12.2f}")
        lite, pg = best[("round report", "sqlite")], best[("round report", "postgresql")]
        label = f"round report, {args.assessments} assessments (s)"
        print(f"{label:<34} {lite:>12.2f} {pg:>12.2f} {pg / lite:>12.2f}")
    finally:
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    run_report(main)
