"""Start-up of the ``kwl`` command, side by side with the floor of importing click.

Each command is started as a fresh process, alternating between the commands so that load on
the shared machine hits them alike; medians of ``--runs`` starts (default 15). Target
(issue 11): ``kwl --help`` at most 3× ``python -c "import click"``. Also shown: the bare
interpreter, ``kwl check`` of one filled workbook (what a single check costs) and the modules
``import kwl_office.cli`` loads.

This is a report, not a test: no absolute assertions, exit code 0.

Run from the repository root::

    python benchmarks/bench_startup.py [--runs 15]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import machine_and_versions, run_report

HEAVY = ("matplotlib", "numpy", "docxtpl", "docx", "pyopenvba", "openpyxl", "python_calamine",
         "pydantic")


def _kwl() -> list[str]:
    script = Path(sys.executable).parent / "kwl"
    return [str(script)] if script.exists() else [shutil.which("kwl") or "kwl"]


def _time(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        key = folder / "sleutel.key"
        workbook = folder / "zelfevaluatie.xlsx"
        subprocess.run([*_kwl(), "workbook", "selfeval", "--assessment", "2026-001", "--host",
                        "Stichting Start (fictief)", "--key", str(key), "-o", str(workbook)],
                       check=True, stdout=subprocess.DEVNULL)
        commands = {
            "python -c pass (interpreter)": [sys.executable, "-c", "pass"],
            'python -c "import click" (floor)': [sys.executable, "-c", "import click"],
            "kwl --help": [*_kwl(), "--help"],
            "kwl check (one workbook)": [*_kwl(), "check", str(workbook), "--allow-incomplete",
                                         "--key", str(key)],
        }
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, command in commands.items():
                times[name].append(_time(command))
    versions = machine_and_versions(["kwl-office", "click"])
    print("kwl start-up – " + ", ".join(f"{k} {v}" for k, v in versions.items()))
    print(f"medians of {args.runs} fresh processes, interleaved\n")
    medians = {name: statistics.median(values) for name, values in times.items()}
    for name, value in medians.items():
        print(f"  {name:<34} {value * 1000:7.1f} ms")
    floor = medians['python -c "import click" (floor)']
    ratio = medians["kwl --help"] / floor
    verdict = "PASS" if ratio <= 3 else "MISS"
    print(f"\nkwl --help / import click: {ratio:.2f}×  (target ≤ 3×)  {verdict}")
    code = ("import sys, kwl_office.cli; "
            f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True).stdout.strip()
    print(f"heavy libraries loaded by 'import kwl_office.cli': {loaded}")


if __name__ == "__main__":
    run_report(main)
