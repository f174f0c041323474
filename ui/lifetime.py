"""Qt objects that may be gone before the Python side is done with them.

QGIS deletes a QgsTask once it has ended, and deletes the dock whenever it likes (plugin unload,
QGIS closing): whatever holds one checks before touching it and disconnects without complaint.
"""

import contextlib
from typing import Any, Callable, List, Optional

from qgis.PyQt import sip

from ..core.qgis.registry import TaskRegistry


def alive(task: Optional[Any]) -> bool:
    return task is not None and not sip.isdeleted(task)


def disconnect(signal: Any, slot: Callable) -> None:
    with contextlib.suppress(TypeError, RuntimeError):  # never connected, or the sender is gone
        signal.disconnect(slot)


class OwnedTasks:
    """The listing tasks that belong to the dock, so that they can be cancelled with it, even when
    it is deleted without dispose(). It holds no reference to the dock, so that the dock's
    `destroyed` connection does not keep the dock alive."""

    def __init__(self, registry: TaskRegistry) -> None:
        self._registry = registry
        self._tasks: List[Any] = []

    def start(self, task: Any) -> bool:
        self._tasks = [known for known in self._tasks if alive(known)] + [task]
        return self._registry.start(task)

    def cancel_all(self) -> None:
        tasks, self._tasks = self._tasks, []
        for task in tasks:
            if alive(task):
                task.cancel()
