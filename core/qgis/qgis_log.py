"""Forward the "pixxel" logger to the "Pixxel" tab of QGIS' Log Messages panel.

`install()` when the plugin starts, `uninstall()` when it unloads: afterwards neither the handler
nor the logger level it set remain. QgsMessageLog.logMessage is thread-safe, so records logged
inside QgsTask.run() go straight through.

With debug logging on (`PIXXEL_DEBUG`), urllib3's own records (each connection and request line)
come to the tab too, for problems below HTTP. Those name every signed URL with its query, so
urllib3's loggers get the redacting filter from `install()` on, debug or not: a user's own
logging set-up, or another plugin's, sees them redacted as well.
"""

import logging
from typing import Optional

from qgis.core import Qgis, QgsMessageLog

from ..pixxel.redaction import (
    cover_library_loggers,
    pixxel_logger,
    redactor,
    uncover_library_loggers,
)
from . import settings

LOG_TAG = "Pixxel"


class QgisLogHandler(logging.Handler):
    def __init__(self, level: int = logging.INFO) -> None:
        super().__init__(level)
        self.setFormatter(logging.Formatter("%(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            # The logger's filter redacts the message only: a traceback appended by
            # log.exception(), or a record propagated from a child logger (which that filter
            # never sees), is scrubbed here, on the final text.
            message = redactor.redact(self.format(record))
            if record.levelno >= logging.ERROR:
                level = Qgis.MessageLevel.Critical
            elif record.levelno >= logging.WARNING:
                level = Qgis.MessageLevel.Warning
            else:
                level = Qgis.MessageLevel.Info
            # Only problems should make the log panel's icon ask for attention.
            QgsMessageLog.logMessage(message, LOG_TAG, level, record.levelno >= logging.WARNING)
        except Exception:  # logging must never raise into the code that logged
            self.handleError(record)


_installed: Optional[QgisLogHandler] = None
_previous_level = logging.NOTSET
_urllib3_previous_level: Optional[int] = None  # set while urllib3's records come to the tab


def install() -> QgisLogHandler:
    """Attach the handler (once) with INFO, or DEBUG when `PIXXEL_DEBUG` / the debug setting is
    on, then also to urllib3's logger. Main thread: the debug setting is read from QgsSettings."""
    global _installed, _previous_level
    logger = pixxel_logger()
    if _installed is None:
        _previous_level = logger.level
        _installed = QgisLogHandler()
        logger.addHandler(_installed)
    cover_library_loggers()
    level = logging.DEBUG if settings.debug_logging() else logging.INFO
    _installed.setLevel(level)
    # The logger's level gates records before any handler sees them; unset, it inherits the
    # root logger's WARNING and INFO would never arrive.
    logger.setLevel(level)
    _forward_urllib3(level == logging.DEBUG)
    return _installed


def _forward_urllib3(on: bool) -> None:
    global _urllib3_previous_level
    library = logging.getLogger("urllib3")
    if on and _urllib3_previous_level is None and _installed is not None:
        _urllib3_previous_level = library.level
        library.addHandler(_installed)
        library.setLevel(logging.DEBUG)
    elif not on and _urllib3_previous_level is not None:
        library.removeHandler(_installed)
        library.setLevel(_urllib3_previous_level)
        _urllib3_previous_level = None


def uninstall() -> None:
    global _installed
    if _installed is None:
        return
    _forward_urllib3(False)
    uncover_library_loggers()
    logger = pixxel_logger()
    logger.removeHandler(_installed)
    logger.setLevel(_previous_level)
    _installed.close()
    _installed = None
