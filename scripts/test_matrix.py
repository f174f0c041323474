"""`make test-matrix`: `make test` (or another command) inside fresh Debian roots of newer suites.

Debian 12 gives QGIS 3.22, Python 3.11 and urllib3 1.26; trixie gives QGIS 3.40 LTR, Python 3.13
and urllib3 2.3; sid the newest Debian QGIS, Python 3.14 and urllib3 2.x. For each suite this
builds a root with debootstrap from the apt mirror the host uses, unpacks it into a fresh
build/matrix/<suite>, copies the checkout (tracked and untracked files, not .venv/build/dist) to
/work/pixxel_qgis in it and ../shared to /work/shared, and runs the command there through chroot
as root, with /proc, /sys and /dev bind-mounted (always unmounted again, also on Ctrl-C).

    sudo /usr/bin/python3 scripts/test_matrix.py [SUITE ...] [--cmd "make bench"] [--verbose]

Two cached tarballs per suite under ~/.cache/pixxel-matrix, rebuilt when older than a week:
<suite>-base.tar.zst (debootstrap minbase + ca-certificates, git, make) and
<suite>-qgis-<hash>.tar.zst (that + the Makefile's APT_PACKAGES, the hash being that list's).
The command's output goes to build/matrix/<suite>.log; one summary line per suite is printed
(QGIS, Python, urllib3, tests per tier from build/junit-*.xml, minutes). Exits non-zero when a
suite's command failed. A root stays in build/matrix/<suite> for re-running single tests:

    sudo /usr/bin/python3 scripts/test_matrix.py --shell trixie -- make test-unit PYTEST_ARGS="-k x"

Stdlib only; runs with the host's /usr/bin/python3.
"""

import argparse
import contextlib
import glob
import hashlib
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ElementTree  # noqa: N813 - our own pytest output
from pathlib import Path
from typing import Dict, Iterator, List, Optional

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
BUILD = REPO / "build" / "matrix"
CACHE = Path.home() / ".cache" / "pixxel-matrix"
MAX_AGE_SECONDS = 7 * 24 * 3600
DEFAULT_SUITES = ("trixie", "sid")
DEFAULT_CMD = "make test"
# Where the checkout and shared/ land inside a root (tests read ../shared/pixxel/openapi.json).
PROJECT_IN_ROOT = "/work/pixxel_qgis"
SHARED_IN_ROOT = "/work/shared"
BASE_INCLUDE = "ca-certificates,git,make"
FALLBACK_MIRROR = "http://deb.debian.org/debian"
TIERS = ("unit", "qgis", "e2e")
# The host's, in the root; /dev/pts and /dev/shm only where they are mounts of their own.
BIND_MOUNTS = ("/proc", "/sys", "/dev", "/dev/pts", "/dev/shm")  # noqa: S108 - not temp files
ROOT_ENV = {
    "HOME": "/root",
    "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    "LANG": "C.UTF-8",
    "QT_QPA_PLATFORM": "offscreen",
    "PIP_CERT": "/etc/ssl/certs/ca-certificates.crt",
    "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    "PIP_DEFAULT_TIMEOUT": "180",
    "DEBIAN_FRONTEND": "noninteractive",
    "TERM": "dumb",
}
# A frozen (snapshot) mirror's Release files may be past their Valid-Until, sid's in particular.
APT_CONF = 'Acquire::Check-Valid-Until "false";\n'
PIP_CONF = "[global]\ncert = /etc/ssl/certs/ca-certificates.crt\n"


def log(message: str) -> None:
    print(f"[matrix {time.strftime('%H:%M:%S')}] {message}", flush=True)


def run(command: List[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, check=True, **kwargs)


def minutes(seconds: float) -> str:
    return f"{seconds / 60:.1f} min"


# --- host -------------------------------------------------------------------------------------


def ensure_host_tools() -> None:
    """debootstrap (and zstd for the tarballs) on the host, from its own apt sources."""
    missing = [p for p in ("debootstrap", "zstd") if not shutil.which(p, path=ROOT_ENV["PATH"])]
    if not missing:
        return
    log(f"installing on the host: {' '.join(missing)}")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    install = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing]
    if subprocess.run(install, env=env, check=False, stdout=subprocess.DEVNULL).returncode:
        run(["apt-get", "update", "-qq"], env=env)
        run(install, env=env, stdout=subprocess.DEVNULL)


def _source_entries() -> Iterator[Dict[str, List[str]]]:
    """Every deb source of the host as {'uris': [...], 'suites': [...], 'components': [...]}."""
    for path in ["/etc/apt/sources.list", *sorted(glob.glob("/etc/apt/sources.list.d/*.list"))]:
        try:
            lines = Path(path).read_text().splitlines()
        except OSError:
            continue
        for line in lines:
            line = re.sub(r"\[[^]]*\]", "", line.split("#", 1)[0]).split()
            if len(line) >= 3 and line[0] == "deb":
                yield {"uris": [line[1]], "suites": [line[2]], "components": line[3:]}
    for path in sorted(glob.glob("/etc/apt/sources.list.d/*.sources")):
        for stanza in re.split(r"\n\s*\n", Path(path).read_text()):
            fields: Dict[str, List[str]] = {}
            for line in stanza.splitlines():
                if line.startswith("#") or ":" not in line or line[0].isspace():
                    continue
                key, _, value = line.partition(":")
                fields[key.strip().lower()] = value.split()
            if "deb" in fields.get("types", []) and fields.get("enabled", ["yes"])[0] != "no":
                yield fields


def host_mirror() -> str:
    """The Debian mirror (not -security, not a third party) the host's apt uses."""
    codename = ""
    for line in Path("/etc/os-release").read_text().splitlines():
        if line.startswith("VERSION_CODENAME="):
            codename = line.split("=", 1)[1].strip('"')
    for entry in _source_entries():
        if codename and codename in entry.get("suites", []) and "main" in entry.get(
            "components", []
        ):
            for uri in entry.get("uris", []):
                if "security" not in uri:
                    return uri.rstrip("/")
    return FALLBACK_MIRROR


def apt_packages() -> List[str]:
    """The Makefile's APT_PACKAGES: what `make setup` installs."""
    out = subprocess.run(
        ["make", "-s", "--no-print-directory", "-f", str(REPO / "Makefile"),
         "--eval", "print-apt-packages: ; @echo $(APT_PACKAGES)", "print-apt-packages"],
        cwd=REPO, check=True, capture_output=True, text=True,
    ).stdout
    return out.split()


# --- roots ------------------------------------------------------------------------------------


def _mounts_under(root: Path) -> List[str]:
    prefix = str(root) + "/"
    targets = []
    for line in Path("/proc/self/mounts").read_text().splitlines():
        target = line.split()[1].replace("\\040", " ")
        if target.startswith(prefix):
            targets.append(target)
    return targets


def _processes_in(root: Path) -> List[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.readlink(entry / "root") == str(root):
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


def stop_processes_in(root: Path) -> None:
    """End what the command left running in the root (a sandbox, an Xvfb), by pid."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        pids = _processes_in(root)
        if not pids:
            return
        log(f"{root.name}: ending {len(pids)} process(es) left in the root ({sig.name})")
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)
        deadline = time.monotonic() + 5
        while _processes_in(root) and time.monotonic() < deadline:
            time.sleep(0.2)


def unmount_all(root: Path) -> None:
    for target in sorted(_mounts_under(root), key=len, reverse=True):
        if subprocess.run(["umount", target], check=False).returncode:
            subprocess.run(["umount", "-l", target], check=False)
    left = _mounts_under(root)
    if left:
        raise RuntimeError(f"still mounted, not touching {root}: {left}")


@contextlib.contextmanager
def mounted(root: Path) -> Iterator[None]:
    """/proc, /sys, /dev, /dev/pts (and /dev/shm) of the host inside root; always undone."""
    try:
        for source in BIND_MOUNTS:
            if source != "/dev" and source.startswith("/dev/") and not os.path.ismount(source):
                continue
            target = root / source.lstrip("/")
            target.mkdir(parents=True, exist_ok=True)
            run(["mount", "--bind", source, str(target)])
            run(["mount", "--make-private", str(target)])
        shutil.copyfile("/etc/resolv.conf", root / "etc" / "resolv.conf", follow_symlinks=True)
        yield
    finally:
        stop_processes_in(root)
        unmount_all(root)


def in_root(root: Path, command: str, log_file=None, echo: bool = False,
            offline: bool = False) -> int:
    """Run a bash command line in the (mounted) root as root; its exit status. `offline`: in a
    network namespace of its own with only loopback, so that the root's servers, ports and
    X displays (abstract sockets) never meet the host's: `xvfb-run -a` in the root cannot see
    the host's /tmp/.X*-lock files and would otherwise pick a display the host already uses."""
    env = dict(ROOT_ENV)
    argv = ["chroot", str(root), "/bin/bash", "-c", command]
    if offline:
        argv = ["unshare", "--net", "/bin/sh", "-c", 'ip link set lo up && exec "$@"', "sh",
                *argv]
    if log_file is None:
        return subprocess.run(argv, env=env, check=False).returncode
    with subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          stdin=subprocess.DEVNULL) as process:
        for raw in process.stdout:
            log_file.write(raw)
            log_file.flush()
            if echo:
                sys.stdout.write(f"[{root.name}] " + raw.decode("utf-8", "replace"))
                sys.stdout.flush()
        return process.wait()


def root_output(root: Path, command: str) -> str:
    env = dict(ROOT_ENV)
    done = subprocess.run(["chroot", str(root), "/bin/bash", "-c", command], env=env,
                          check=False, capture_output=True, text=True)
    return done.stdout.strip() if done.returncode == 0 else ""


def remove_root(root: Path) -> None:
    """The previous run's root, gone; never through a mount left inside it."""
    if root.exists():
        stop_processes_in(root)
        unmount_all(root)
        run(["rm", "-rf", "--one-file-system", str(root)])


def _fresh(path: Path, newer_than: Optional[Path] = None) -> bool:
    if not path.is_file():
        return False
    mtime = path.stat().st_mtime
    if time.time() - mtime > MAX_AGE_SECONDS:
        return False
    return newer_than is None or mtime >= newer_than.stat().st_mtime


def pack(root: Path, tarball: Path) -> None:
    """root -> tarball, atomically (a half-written cache is never used)."""
    tarball.parent.mkdir(parents=True, exist_ok=True)
    partial = tarball.with_name(tarball.name + ".part")
    run(["tar", "-C", str(root), "--numeric-owner", "--one-file-system", "-I", "zstd -T0 -3 -q",
         "-cf", str(partial), "."])
    partial.replace(tarball)


def unpack(tarball: Path, root: Path) -> None:
    root.mkdir(parents=True)
    run(["tar", "-C", str(root), "--numeric-owner", "-I", "zstd -q", "-xpf", str(tarball)])


def debootstrap(suite: str, root: Path, mirror: str) -> None:
    root.mkdir(parents=True)
    command = ["debootstrap", "--variant=minbase", f"--include={BASE_INCLUDE}", suite, str(root),
               mirror]
    done = subprocess.run(command, check=False, capture_output=True, text=True)
    if done.returncode:
        sys.stderr.write(done.stdout[-4000:] + done.stderr[-4000:])
        raise RuntimeError(f"debootstrap {suite} from {mirror} failed")
    (root / "etc/apt/apt.conf.d/99pixxel-matrix").write_text(APT_CONF)
    (root / "etc/pip.conf").write_text(PIP_CONF)


def install_packages(root: Path, packages: List[str], log_file) -> None:
    """What `make setup` would install, with its flags; the .debs are not kept."""
    names = " ".join(shlex.quote(p) for p in packages)
    command = ("apt-get update -qq && apt-get install -y -qq --no-install-recommends "
               f"{names} && apt-get clean && rm -rf /var/lib/apt/lists/*")
    with mounted(root):
        status = in_root(root, command, log_file)
    if status:
        raise RuntimeError(f"installing the Debian packages in {root} failed: see {log_file.name}")


def prepare_root(suite: str, mirror: str, packages: List[str], log_file, rebuild: bool) -> Dict:
    """A fresh build/matrix/<suite> with the suite's packages; how it was made and how long."""
    root = BUILD / suite
    base = CACHE / f"{suite}-base.tar.zst"
    digest = hashlib.sha256(" ".join(sorted(packages)).encode()).hexdigest()[:10]
    layered = CACHE / f"{suite}-qgis-{digest}.tar.zst"
    timings: Dict[str, float] = {}
    started = time.monotonic()
    remove_root(root)
    timings["remove"] = time.monotonic() - started
    started = time.monotonic()
    if not rebuild and _fresh(layered) and _fresh(base) and _fresh(layered, newer_than=base):
        unpack(layered, root)
        timings["unpack"] = time.monotonic() - started
        return {"root": root, "how": "warm", "timings": timings}
    for stale in CACHE.glob(f"{suite}-qgis-*.tar.zst"):
        stale.unlink()
    if not rebuild and _fresh(base):
        log(f"{suite}: unpacking {base.name}, installing {len(packages)} Debian packages")
        unpack(base, root)
        timings["unpack"] = time.monotonic() - started
        how = "base cached"
    else:
        log(f"{suite}: debootstrap from {mirror}")
        debootstrap(suite, root, mirror)
        timings["debootstrap"] = time.monotonic() - started
        step = time.monotonic()
        pack(root, base)
        timings["pack"] = time.monotonic() - step
        how = "cold"
        log(f"{suite}: root in {minutes(timings['debootstrap'])}; installing "
            f"{len(packages)} Debian packages")
    step = time.monotonic()
    install_packages(root, packages, log_file)
    timings["apt"] = time.monotonic() - step
    step = time.monotonic()
    pack(root, layered)
    timings["pack"] = timings.get("pack", 0) + time.monotonic() - step
    return {"root": root, "how": how, "timings": timings}


def checkout_files() -> List[str]:
    listing = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO, check=True, capture_output=True,
    ).stdout.decode().split("\0")
    skipped = (".venv", "build", "dist")
    return [
        name for name in listing
        if name and name.split("/", 1)[0] not in skipped
        and (os.path.lexists(REPO / name))
    ]


def copy_checkout(root: Path) -> None:
    """The working tree (tracked + untracked, not ignored) and ../shared into the root; the copy
    gets a git index of its own, as scripts/check_scoped_enums.py lists files with git."""
    project = root / PROJECT_IN_ROOT.lstrip("/")
    for name in checkout_files():
        source, target = REPO / name, project / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            os.symlink(os.readlink(source), target)
        else:
            shutil.copy2(source, target)
    run(["git", "init", "-q", str(project)])
    run(["git", "-C", str(project), "add", "-A"])
    if SHARED.is_dir():
        shutil.copytree(SHARED, root / SHARED_IN_ROOT.lstrip("/"), symlinks=True)
    else:
        log(f"warning: no {SHARED}: tests that read ../shared will fail")


def trust_host_cas(root: Path) -> None:
    """The root trusts what the host trusts: its local CAs, for pip (via /etc/pip.conf too)."""
    local = root / "usr/local/share/ca-certificates"
    local.mkdir(parents=True, exist_ok=True)
    for crt in glob.glob("/usr/local/share/ca-certificates/**/*.crt", recursive=True):
        shutil.copy(crt, local / Path(crt).name)
    (root / "etc/pip.conf").write_text(PIP_CONF)
    (root / "etc/apt/apt.conf.d/99pixxel-matrix").write_text(APT_CONF)
    done = subprocess.run(["chroot", str(root), "update-ca-certificates"], env=ROOT_ENV,
                          check=False, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"update-ca-certificates failed in {root}: {done.stderr[-2000:]}")


# --- results ----------------------------------------------------------------------------------


def tier_results(project: Path) -> Dict[str, Dict]:
    """Per tier: passed/failed/skipped counts and the failing tests' node ids."""
    results = {}
    for tier in TIERS:
        path = project / "build" / f"junit-{tier}.xml"
        if not path.is_file():
            continue
        counts = {"passed": 0, "failed": 0, "skipped": 0, "failing": []}
        try:
            tree = ElementTree.parse(path)  # noqa: S314 - pytest's output, just written
        except ElementTree.ParseError:
            counts["failing"].append(f"{path.name}: unreadable")
            results[tier] = counts
            continue
        for case in tree.getroot().iter("testcase"):
            if case.find("failure") is not None or case.find("error") is not None:
                counts["failed"] += 1
                counts["failing"].append(node_id(project, case))
            elif case.find("skipped") is not None:
                counts["skipped"] += 1
            else:
                counts["passed"] += 1
        results[tier] = counts
    return results


def node_id(project: Path, case: ElementTree.Element) -> str:
    """pytest's node id from a junit testcase (classname tests.unit.test_x[.TestY], name)."""
    parts = case.get("classname", "").split(".")
    for cut in range(len(parts), 0, -1):
        if (project / ("/".join(parts[:cut]) + ".py")).is_file():
            return "::".join(["/".join(parts[:cut]) + ".py", *parts[cut:], case.get("name", "")])
    return f"{case.get('classname')}::{case.get('name')}"


def versions(root: Path) -> Dict[str, str]:
    venv = f"{PROJECT_IN_ROOT}/.venv/bin/python"
    python = f"$(test -x {venv} && echo {venv} || echo /usr/bin/python3)"
    qgis = root_output(root, "dpkg-query -W -f='${Version}' python3-qgis 2>/dev/null")
    return {
        "QGIS": re.sub(r"^\d+:|[+~-].*$", "", qgis) or "-",
        "Python": root_output(root, "/usr/bin/python3 -c 'import platform; "
                                    "print(platform.python_version())'") or "-",
        "urllib3": root_output(root, f"{python} -c 'import urllib3; "
                                     "print(urllib3.__version__)' 2>/dev/null") or "-",
    }


def summary_line(suite: str, outcome: Dict) -> str:
    found = outcome.get("versions", {})
    fields = [f"{suite:<7}"] + [f"{key} {found.get(key, '-')}" for key in ("QGIS", "Python",
                                                                         "urllib3")]
    tiers = outcome.get("tiers", {})
    if tiers:
        fields.append("  ".join(f"{tier} {c['passed']} passed {c['failed']} failed"
                                for tier, c in tiers.items()))
    else:
        fields.append("no junit")
    fields.append("ok" if outcome["status"] == 0 else f"FAILED (exit {outcome['status']})")
    timings = outcome.get("timings", {})
    parts = ", ".join(f"{key} {minutes(value)}" for key, value in timings.items())
    fields.append(f"{minutes(outcome['seconds'])} ({outcome.get('how', '?')}: {parts})")
    return " | ".join(fields)


# --- main -------------------------------------------------------------------------------------


def run_suite(suite: str, command: str, mirror: str, packages: List[str], rebuild: bool,
              echo: bool) -> Dict:
    started = time.monotonic()
    outcome: Dict = {"status": 1, "seconds": 0.0}
    log_path = BUILD / f"{suite}.log"
    BUILD.mkdir(parents=True, exist_ok=True)
    with open(log_path, "wb") as log_file:
        try:
            prepared = prepare_root(suite, mirror, packages, log_file, rebuild)
            root = prepared["root"]
            outcome.update(how=prepared["how"], timings=prepared["timings"])
            step = time.monotonic()
            copy_checkout(root)
            with mounted(root):
                trust_host_cas(root)
                outcome["timings"]["copy"] = time.monotonic() - step
                log(f"{suite}: root ready ({prepared['how']}); `make setup`, then `{command}` "
                    f"offline -> {log_path}")
                step = time.monotonic()
                status = in_root(root, f"cd {PROJECT_IN_ROOT} && make setup", log_file, echo)
                outcome["timings"]["setup"] = time.monotonic() - step
                if status:
                    raise RuntimeError(f"`make setup` failed (exit {status}): see {log_path}")
                step = time.monotonic()
                outcome["status"] = in_root(root, f"cd {PROJECT_IN_ROOT} && {command}",
                                            log_file, echo, offline=True)
                outcome["timings"]["cmd"] = time.monotonic() - step
                outcome["versions"] = versions(root)
            outcome["tiers"] = tier_results(root / PROJECT_IN_ROOT.lstrip("/"))
            if outcome["status"] == 0 and any(c["failed"] for c in outcome["tiers"].values()):
                outcome["status"] = 1
        except (RuntimeError, subprocess.CalledProcessError, OSError) as error:
            log(f"{suite}: {error}")
            outcome["error"] = str(error)
    outcome["seconds"] = time.monotonic() - started
    return outcome


def shell(suite: str, command: List[str]) -> int:
    """Run a command (default: an interactive bash) in the existing build/matrix/<suite>."""
    root = BUILD / suite
    if not (root / PROJECT_IN_ROOT.lstrip("/")).is_dir():
        raise SystemExit(f"no {root}: run `make test-matrix SUITES={suite}` first")
    line = shlex.join(command) if command else "exec bash -i"
    with mounted(root):
        return in_root(root, f"cd {PROJECT_IN_ROOT} && {line}", offline=True)


def parse_args(argv: List[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("suites", nargs="*", help=f"default: {' '.join(DEFAULT_SUITES)}")
    parser.add_argument("--cmd", default=DEFAULT_CMD, help=f"run in each root (default: "
                                                          f"{DEFAULT_CMD})")
    parser.add_argument("--mirror", help="apt mirror (default: the host's Debian mirror)")
    parser.add_argument("--rebuild", action="store_true", help="ignore the cached tarballs")
    parser.add_argument("--verbose", action="store_true", help="also print the output")
    parser.add_argument("--shell", metavar="SUITE",
                        help="run the arguments after -- in the existing build/matrix/SUITE")
    return parser.parse_args(argv)


def _terminate(signum, _frame):
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: List[str]) -> int:
    if "--" in argv:
        argv, rest = argv[: argv.index("--")], argv[argv.index("--") + 1:]
    else:
        rest = []
    args = parse_args(argv)
    if os.geteuid() != 0:
        raise SystemExit("test_matrix.py needs root (debootstrap, mount, chroot): run it with sudo")
    signal.signal(signal.SIGTERM, _terminate)
    signal.signal(signal.SIGHUP, _terminate)
    if args.shell:
        return shell(args.shell, rest)
    suites = args.suites or list(DEFAULT_SUITES)
    ensure_host_tools()
    mirror = (args.mirror or host_mirror()).rstrip("/")
    packages = apt_packages()
    log(f"suites {' '.join(suites)}; mirror {mirror}; cache {CACHE}; command `{args.cmd}`")
    outcomes = {}
    for suite in suites:
        outcomes[suite] = run_suite(suite, args.cmd, mirror, packages, args.rebuild,
                                    args.verbose)
        log(summary_line(suite, outcomes[suite]))
    print("\nTest matrix:")
    for suite, outcome in outcomes.items():
        print("  " + summary_line(suite, outcome))
    for suite, outcome in outcomes.items():
        failing = [f"    {tier}: {test}" for tier, counts in outcome.get("tiers", {}).items()
                   for test in dict.fromkeys(counts["failing"])]
        if outcome["status"]:
            print(f"\n{suite}: failed; log {BUILD / (suite + '.log')}"
                  + (f"; {outcome['error']}" if "error" in outcome else ""))
            print("\n".join(failing))
    return 1 if any(outcome["status"] for outcome in outcomes.values()) else 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        print("\n[matrix] interrupted: mounts undone, processes in the roots ended", flush=True)
        sys.exit(130)
