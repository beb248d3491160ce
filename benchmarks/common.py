"""What the benchmark scripts share: the machine and library versions, and running a report.

Imported by the scripts as ``common`` (Python puts the script's own folder first on the path).
"""

from __future__ import annotations

import os
import platform
import sys
import traceback
from collections.abc import Callable, Iterable
from importlib.metadata import PackageNotFoundError, version


def machine_and_versions(dists: Iterable[str]) -> dict[str, str]:
    """Python, platform, cores and the installed version of each distribution."""
    result = {
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "platform": platform.platform(),
        "cpus": str(os.cpu_count()),
    }
    for dist in dists:
        try:
            result[dist] = version(dist)
        except PackageNotFoundError:
            result[dist] = "not installed"
    return result


def run_report(main: Callable[[], object]) -> None:
    """Run a benchmark's ``main``: a report, not a test — say what broke, exit 0 anyway."""
    try:
        main()
    except Exception:
        traceback.print_exc()
        print("benchmark failed (see above)", file=sys.stderr)
    sys.exit(0)
