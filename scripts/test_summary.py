"""Print the number of tests per tier from JUnit XML files; fail when a tier failed or ran nothing.

    python scripts/test_summary.py unit=build/junit-unit.xml qgis=build/junit-qgis.xml
"""

import sys
import xml.etree.ElementTree as ElementTree  # noqa: N813 - stdlib parses our own pytest output
from pathlib import Path


def tier_counts(junit_path: Path) -> dict:
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    if not junit_path.is_file():
        return counts
    root = ElementTree.parse(junit_path).getroot()  # noqa: S314 - local file pytest just wrote
    for suite in root.iter("testsuite"):
        for key in counts:
            counts[key] += int(suite.get(key, 0))
    return counts


def main(argv: list) -> int:
    ok = True
    total = {"passed": 0, "failed": 0, "skipped": 0}
    print("\nTests per tier:")
    for arg in argv:
        tier, _, path = arg.partition("=")
        counts = tier_counts(Path(path))
        failed = counts["failures"] + counts["errors"]
        passed = counts["tests"] - failed - counts["skipped"]
        total["passed"] += passed
        total["failed"] += failed
        total["skipped"] += counts["skipped"]
        verdict = "ok" if failed == 0 and passed > 0 else "FAILED"
        if counts["tests"] == 0:
            verdict = "FAILED (no test ran)"
        ok = ok and verdict == "ok"
        print(
            f"  {tier:<8} {passed:4d} passed {failed:4d} failed"
            f" {counts['skipped']:4d} skipped  {verdict}"
        )
    print(f"{total['passed']} passed, {total['failed']} failed, {total['skipped']} skipped")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
