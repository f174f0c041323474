"""A requests session for talking to the sandbox from tests and benchmarks: a default timeout,
so a wedged sandbox fails the caller instead of hanging it."""

from typing import Any

import requests


class TimedSession(requests.Session):
    def __init__(self, timeout: float = 10.0) -> None:
        super().__init__()
        self.timeout = timeout

    def request(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", self.timeout)
        return super().request(method, url, **kwargs)
