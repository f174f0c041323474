"""HTTPS trust as set up in QGIS: the CA certificates QGIS trusts, as a CA bundle for requests.

requests verifies certificates with its own bundle (certifi's; on Debian the system store). QGIS
verifies with its authentication manager's CAs: the system's root CAs, CA files added and CAs
imported in Settings → Options → Authentication → Certificate Manager. Behind a TLS-inspecting
corporate proxy the company's root CA is imported there (or into the system store, which outside
Debian is not requests' bundle), and users expect every plugin to trust it.

`requests_verify()` gives the HttpGateway's `verify`, for the API and the storage host alike:
- `REQUESTS_CA_BUNDLE`, else `CURL_CA_BUNDLE`, when set: requests' own convention, which replaces
  every other source. Honoured whatever the QGIS proxy type (requests itself reads these only
  when it may use the environment, which an explicit QGIS proxy or "no proxy" rules out).
- True (requests' default bundle) while QGIS trusts no CA beyond it and marks none of it as
  untrusted: the usual case, where no file is written.
- Otherwise the path of `<profile>/pixxel/ca-bundle.pem`: the default bundle without the CAs
  marked untrusted in QGIS' Certificate Manager (all but the explicitly trusted ones when its
  default policy is "untrusted"), plus the CAs QGIS trusts that it lacks.

Main thread only, like every use of the auth manager. CA certificates are kept unencrypted in the
authentication database and cached by the manager, so reading them never asks for the master
password and works while the database is locked; with QGIS' authentication system disabled the
default bundle is used and the Pixxel log says why. The file is rewritten only when its content
changes, through an atomic rename, so a task opening it meanwhile reads one whole version; it is
not deleted when no longer needed, since a task started earlier may still open it.

Everything but `requests_verify()` and `_qgis_ca_certificates()` is pure Python, unit-tested
without QGIS.
"""

import base64
import binascii
import hashlib
import logging
import os
import re
import ssl
from pathlib import Path
from typing import (
    Any,
    Collection,
    Dict,
    Iterable,
    List,
    Mapping,
    Optional,
    Sequence,
    Set,
    Tuple,
    Union,
)

from ..download.atomic_write import write_atomically
from ..pixxel.errors import PixxelError
from ..pixxel.http import default_ca_bundle
from ..pixxel.redaction import pixxel_logger

log = pixxel_logger()

BUNDLE_FILE_NAME = "ca-bundle.pem"
ENV_CA_BUNDLES = ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")  # requests' order of precedence
_PEM_CERTIFICATE = re.compile(
    rb"-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----", re.DOTALL
)

# The default bundle parsed once per (path, modification time, size): it changes with system
# updates, not between two connections.
_default_bundle: Dict[Tuple[str, int, int], List[bytes]] = {}
_last_announcement: Optional[str] = None


class CaBundleError(PixxelError):
    """The CA bundle named in the environment does not exist; the message says which variable."""


def env_ca_bundle(environ: Mapping[str, str] = os.environ) -> Optional[Tuple[str, str]]:
    """(variable, path) of the CA bundle the environment asks for, or None."""
    for name in ENV_CA_BUNDLES:
        if environ.get(name):
            return name, environ[name]
    return None


def pem_certificates(data: bytes) -> List[bytes]:
    """The DER bytes of every PEM certificate in `data`, in order. Comments between them (as
    in Debian's and certifi's bundles) are skipped, and so is a block that is not base64."""
    certificates = []
    for body in _PEM_CERTIFICATE.findall(data):
        try:
            certificates.append(base64.b64decode(b"".join(body.split()), validate=True))
        except (binascii.Error, ValueError):
            continue
    return certificates


def sha1_hex(der: bytes) -> str:
    """How QGIS identifies a certificate in its trust policies (QgsAuthCertUtils::shaHexForCert)."""
    return hashlib.sha1(der, usedforsecurity=False).hexdigest()


def merged_ca_certificates(
    default: Sequence[bytes], trusted: Iterable[bytes], untrusted_sha1: Collection[str]
) -> Optional[List[bytes]]:
    """The CAs to verify with: the default bundle's (DER) without those whose SHA-1 is in
    `untrusted_sha1`, then the `trusted` ones it lacks. None when that is the default bundle
    itself, so callers keep requests' default and write nothing."""
    kept = [der for der in default if sha1_hex(der) not in untrusted_sha1]
    known = set(default)
    added = [der for der in dict.fromkeys(trusted) if der not in known]
    if not added and len(kept) == len(default):
        return None
    return kept + added


def pem_bundle(certificates: Iterable[bytes]) -> bytes:
    return "".join(ssl.DER_cert_to_PEM_cert(der) for der in certificates).encode("ascii")


def write_if_changed(path: Path, content: bytes) -> bool:
    """Write `content` to `path` unless it already holds exactly that; True when written. The
    new file replaces the old one in one rename: readers never see half a bundle."""
    try:
        if path.read_bytes() == content:
            return False
    except FileNotFoundError:
        pass
    write_atomically(path, content)
    return True


def default_certificates(path: str) -> List[bytes]:
    """The certificates of the default bundle at `path` (DER), cached while the file is
    unchanged. Raises OSError when it cannot be read."""
    status = os.stat(path)
    key = (path, status.st_mtime_ns, status.st_size)
    if key not in _default_bundle:
        _default_bundle.clear()
        _default_bundle[key] = pem_certificates(Path(path).read_bytes())
    return _default_bundle[key]


def requests_verify() -> Union[bool, str]:
    """`verify` for the HttpGateway: a CA bundle path, or True for requests' default bundle.
    Main thread only (the auth manager). Never asks for the master password. Raises
    CaBundleError when REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE names a file that does not exist
    (requests would fail every request with an error that does not say so)."""
    from qgis.core import QgsApplication

    from .i18n import tr
    from .main_thread import require_main_thread

    require_main_thread("QGIS' trusted CA certificates are read on the main thread only")

    from_env = env_ca_bundle()
    if from_env:
        name, path = from_env
        if not os.path.exists(path):
            raise CaBundleError(
                tr("{variable} names a CA certificate file that does not exist: {path}. Fix or "
                   "unset it (when set, it replaces the certificates QGIS trusts).").format(
                    variable=name, path=path)
            )
        _announce("HTTPS certificates are verified with %s, from %s (the CAs QGIS trusts are "
                  "not used while it is set).", path, name)
        return path

    manager = QgsApplication.authManager()
    if manager.isDisabled():
        _announce("QGIS' authentication system is disabled (%s): HTTPS certificates are verified "
                  "with the default CA bundle only, not the CAs QGIS trusts.",
                  manager.disabledMessage(), level=logging.WARNING)
        return True
    default_path = default_ca_bundle()
    try:
        default = default_certificates(default_path)
    except OSError as exc:
        _announce("The default CA bundle %s cannot be read (%s): the CAs QGIS trusts are not "
                  "added to it.", default_path, exc, level=logging.WARNING)
        return True
    trusted, untrusted = _qgis_ca_certificates(manager)
    merged = merged_ca_certificates(default, trusted, untrusted)
    if merged is None:
        _announce("HTTPS certificates are verified with %s: QGIS trusts no other CA.",
                  default_path)
        return True

    path = Path(QgsApplication.qgisSettingsDirPath()) / "pixxel" / BUNDLE_FILE_NAME
    try:
        write_if_changed(path, pem_bundle(merged))
    except OSError as exc:
        _announce("Could not write the CA bundle %s (%s): HTTPS certificates are verified with "
                  "the default CA bundle only, not the CAs QGIS trusts.", path, exc,
                  level=logging.WARNING)
        return True
    known = set(default)
    _announce("HTTPS certificates are verified with %s: %d CAs of %s and %d more that QGIS "
              "trusts.", path, sum(der in known for der in merged), default_path,
              sum(der not in known for der in merged))
    return str(path)


def _qgis_ca_certificates(manager: Any) -> Tuple[List[bytes], Set[str]]:
    """The CAs QGIS trusts (DER) and the SHA-1 of those the user marked untrusted (or of every
    CA not explicitly trusted, when the default policy is "untrusted").

    The policy the user set is read per CA from the database (certTrustPolicy), never from the
    manager's trust cache: QGIS >= 3.40 puts only the *trusted* CAs into that cache, so
    certificateTrustPolicy() says "default" for a CA marked untrusted and trustedCaCertsCache()
    still lists it (QGIS trusts it itself); certTrustCache() would say it at once, but crashes
    PyQGIS 3.22 once non-empty. Trust policies are stored unencrypted: no master password."""
    from qgis.core import QgsAuthCertUtils

    untrusted_policy = QgsAuthCertUtils.CertTrustPolicy.Untrusted
    cached = manager.trustedCaCertsCache()
    distrust_all = manager.defaultCertTrustPolicy() == untrusted_policy
    trusted: List[bytes] = []
    untrusted: Set[str] = set()
    for cert in cached:
        der = bytes(cert.toDer())
        if manager.certTrustPolicy(cert) == untrusted_policy:
            untrusted.add(sha1_hex(der))
        else:
            trusted.append(der)
    # Known to QGIS but not trusted: marked untrusted, or merely expired (those stay).
    for cert in manager.untrustedCaCerts(cached):
        if distrust_all or manager.certTrustPolicy(cert) == untrusted_policy:
            untrusted.add(sha1_hex(bytes(cert.toDer())))
    return trusted, untrusted


def _announce(message: str, *args: Any, level: int = logging.INFO) -> None:
    """Log which CAs verify HTTPS once per change, not at every connection."""
    global _last_announcement
    text = message % args
    if text != _last_announcement:
        _last_announcement = text
        log.log(level, text)
