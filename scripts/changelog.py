"""Keep metadata.txt's `changelog` field generated from CHANGELOG.md (the one place it is written).

    python scripts/changelog.py --write   rewrite metadata.txt
    python scripts/changelog.py --check   exit 1 if metadata.txt is out of date
"""

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RELEASE_HEADING = re.compile(r"^##\s+(?P<version>\d+\.\d+\.\d+)\b.*$")
FIELD = re.compile(r"^changelog=.*?(?=^\S|\Z)", re.MULTILINE | re.DOTALL)
INDENT = "    "


def changelog_lines(changelog_md: str) -> list:
    """Release headings become `X.Y.Z` lines, their bullets follow indented; prose is skipped."""
    lines = []
    in_release = False
    for raw in changelog_md.splitlines():
        heading = RELEASE_HEADING.match(raw)
        if heading:
            lines.append(heading.group("version"))
            in_release = True
        elif raw.startswith("#"):
            in_release = False
        elif in_release and raw.strip():
            # A bullet's wrapped continuation keeps one line per source line, re-indented.
            lines.append(raw.strip() if raw.lstrip().startswith("-") else "  " + raw.strip())
    return lines


def metadata_with_changelog(metadata: str, changelog_md: str) -> str:
    field = "changelog=" + "".join("\n" + INDENT + line for line in changelog_lines(changelog_md))
    if not FIELD.search(metadata):
        return metadata.rstrip("\n") + "\n" + field + "\n"
    return FIELD.sub(lambda _: field + "\n", metadata, count=1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", action="store_true")
    mode.add_argument("--check", action="store_true")
    args = parser.parse_args()
    metadata_path = ROOT / "metadata.txt"
    current = metadata_path.read_text(encoding="utf-8")
    wanted = metadata_with_changelog(current, (ROOT / "CHANGELOG.md").read_text(encoding="utf-8"))
    if args.check:
        if current != wanted:
            print("metadata.txt changelog is out of date: run `make changelog`", file=sys.stderr)
            return 1
        return 0
    metadata_path.write_text(wanted, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
