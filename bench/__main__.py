"""Run every benchmark (or those named) and print a summary table.

    .venv/bin/python -m bench [--strict] [throughput] [memory] [resume] [paging] [dock_listing]
                              [gui_stall]

With --strict the exit status is 1 when a benchmark misses its target (for a CI job that watches
for regressions); by default the table is the result, since the throughput target is out of reach
with MD5 verification on small machines (docs/PERFORMANCE.md says why).
"""

import platform
import sys
import time
from typing import Callable, Dict, List

from bench import dock_listing, gui_stall, memory, paging, resume, throughput
from bench.common import Outcome, cpu_count

BENCHMARKS: Dict[str, Callable[[], Outcome]] = {
    "throughput": throughput.run,
    "memory": memory.run,
    "resume": resume.run,
    "paging": paging.run,
    # After the others: it starts a QgsApplication in this process, and a process gets only one.
    "dock_listing": dock_listing.run,
    "gui_stall": gui_stall.run,
}


def main(arguments: List[str]) -> int:
    strict = "--strict" in arguments
    names = [name for name in arguments if name != "--strict"]
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
        return 2
    print(f"{platform.platform()}, {cpu_count()} CPU(s), Python {platform.python_version()}")
    outcomes = []
    for name in names or list(BENCHMARKS):
        started = time.monotonic()
        outcomes.append(BENCHMARKS[name]())
        print(f"({name} took {time.monotonic() - started:.0f} s)\n")
    print(f"{'benchmark':<13} {'measured':<22} {'target':<26} {'met':<4} notes")
    for outcome in outcomes:
        print(f"{outcome.name:<13} {outcome.measured:<22} {outcome.target:<26} "
              f"{'yes' if outcome.met else 'NO':<4} {outcome.notes}")
    return 1 if strict and not all(outcome.met for outcome in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
