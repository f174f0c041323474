"""Keep secrets out of logs and error text: the API key and the signature part of signed URLs."""

import logging
import re
import threading
from typing import Any, Mapping
from urllib.parse import urlsplit, urlunsplit

REDACTED = "***"
_URL = re.compile(r"https?://[^\s'\"<>]+")
# urllib3 errors name the request by path alone ("Max retries exceeded with url: /f.zip?sig=..."),
# so a bare path with a query is a signed URL too.
_PATH_QUERY = re.compile(r"(?<![\w.:/-])/[^\s'\"<>?]*\?[^\s'\"<>]+")
_AUTH_HEADER = re.compile(
    r"(?i)(authorization['\"]?\s*[:=]\s*['\"]?)([^'\",}\s]+(?: [^'\",}\s]+)?)"
)


def redact_url(url: str) -> str:
    """Drop the query string's values (on a signed URL they are the credential: sig, se, token)
    and a password in the address (a proxy URL carries `user:password@`)."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, host = netloc.rsplit("@", 1)
        netloc = f"{userinfo.split(':', 1)[0]}:{REDACTED}@{host}"
    if not parts.query and netloc == parts.netloc:
        return url
    keys = [item.split("=", 1)[0] for item in parts.query.split("&") if item]
    query = "&".join(f"{key}={REDACTED}" for key in keys)
    return urlunsplit((parts.scheme, netloc, parts.path, query, ""))


class SecretRedactor:
    """Knows the secrets in play (registered by whoever holds them) and scrubs any text of them, of
    Authorization header values, and of signed-URL query strings."""

    def __init__(self) -> None:
        self._secrets: set = set()
        self._lock = threading.Lock()

    def register(self, secret: str) -> None:
        # Very short values would redact ordinary words; real keys are long.
        if secret and len(secret) >= 6:
            with self._lock:
                self._secrets.add(secret)

    def redact(self, text: str) -> str:
        text = _URL.sub(lambda match: redact_url(match.group(0)), text)
        text = _PATH_QUERY.sub(lambda match: redact_url(match.group(0)), text)
        text = _AUTH_HEADER.sub(lambda match: match.group(1) + REDACTED, text)
        with self._lock:
            secrets = sorted(self._secrets, key=len, reverse=True)
        for secret in secrets:
            text = text.replace(secret, REDACTED)
        return text


#: The process-wide redactor: the API client registers its key here.
redactor = SecretRedactor()

SERVER_TEXT_LIMIT = 300  # characters of a server's own error text worth showing to a user


def server_text(text: str) -> str:
    """A server's own words, fit to quote in a message: secrets redacted, cut to a readable
    length (a proxy or storage can answer with kilobytes of text)."""
    return redactor.redact(text)[:SERVER_TEXT_LIMIT]


def redact_data(value: Any) -> Any:
    """A copy of decoded JSON (an API error's `details`) with every string in it, keys included,
    redacted. Iterative, not recursive: details nested as deep as the JSON parser allows must not
    exhaust the stack of whoever builds the error."""
    if isinstance(value, str):
        return redactor.redact(value)
    if not isinstance(value, (Mapping, list, tuple)):
        return value
    root = _empty_like(value)
    pending = [(value, root)]
    while pending:
        source, target = pending.pop()
        items = source.items() if isinstance(source, Mapping) else enumerate(source)
        for key, item in items:
            if isinstance(item, (Mapping, list, tuple)):
                copy = _empty_like(item)
                pending.append((item, copy))
            else:
                copy = redactor.redact(item) if isinstance(item, str) else item
            if isinstance(target, dict):
                target[redactor.redact(key) if isinstance(key, str) else key] = copy
            else:
                target.append(copy)
    return root


def _empty_like(value: Any) -> Any:
    return {} if isinstance(value, Mapping) else []


class RedactingFilter(logging.Filter):
    """Installed on the "pixxel" logger so that no handler, in QGIS or in tests, sees a secret."""

    def filter(self, record: logging.LogRecord) -> bool:  # noqa: A003 - logging API name
        record.msg = redactor.redact(record.getMessage())
        record.args = None
        return True


def pixxel_logger() -> logging.Logger:
    """The one logger of the plugin. One, not a tree: a logger's filters do not see records that
    propagate up from child loggers, and every record must pass the redaction filter."""
    logger = logging.getLogger("pixxel")
    if not any(isinstance(existing, RedactingFilter) for existing in logger.filters):
        logger.addFilter(RedactingFilter())
    return logger


#: Libraries whose own logging names signed URLs: urllib3 logs every request line, query
#: included, at DEBUG ("GET /f.zip?sv=…&sig=… HTTP/1.1" 200), and whole URLs in its warnings.
LIBRARY_LOGGERS = ("urllib3",)


def cover_library_loggers() -> None:
    """Put the redacting filter on LIBRARY_LOGGERS and every logger under them that exists now
    (urllib3 makes its module loggers when imported, which requests does). A filter acts on the
    logger a record is logged to, before any handler anywhere sees it, so these records are
    redacted for QGIS' log, a user's own logging set-up and the console alike."""
    for logger in _library_loggers():
        if not any(isinstance(existing, RedactingFilter) for existing in logger.filters):
            logger.addFilter(RedactingFilter())


def uncover_library_loggers() -> None:
    """Take the filters of cover_library_loggers() away again (the plugin's unload)."""
    for logger in _library_loggers():
        for existing in [f for f in logger.filters if isinstance(f, RedactingFilter)]:
            logger.removeFilter(existing)


def _library_loggers() -> list:
    names = [name for name in list(logging.Logger.manager.loggerDict)
             if any(name == root or name.startswith(root + ".") for root in LIBRARY_LOGGERS)]
    return [logging.getLogger(name) for name in {*LIBRARY_LOGGERS, *names}]
