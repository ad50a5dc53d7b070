"""Each browser tab's own scenarios, runs and files, kept in memory only.

A tab asks for a session when its page loads and keeps the id in a script variable (not
in a cookie or in storage that another tab could read), so two tabs never see each
other's scenarios. Sessions unused the longest are dropped beyond :data:`MAX_SESSIONS`.
"""

from __future__ import annotations

import collections
import dataclasses
import secrets
import threading
import time
from collections.abc import Callable

MAX_SESSIONS = 32
"""Tabs kept at once; the oldest unused is dropped first."""

SLOTS = 3
"""Scenarios a tab holds side by side (A, B, C)."""

MAX_FILES = 12
"""Files a tab keeps for download; the oldest is dropped first."""


@dataclasses.dataclass
class Job:
    """Work running on its own thread: a headline run or a file being written."""

    started: float = dataclasses.field(default_factory=time.monotonic)
    finished: float | None = None
    result: object = None
    error: str | None = None

    @property
    def seconds(self) -> float:
        return (self.finished or time.monotonic()) - self.started


@dataclasses.dataclass
class Session:
    """One tab: its scenarios (``None`` where a slot is empty), jobs and files."""

    slots: list = dataclasses.field(default_factory=lambda: [None] * SLOTS)
    jobs: dict = dataclasses.field(default_factory=dict)
    files: collections.OrderedDict = dataclasses.field(default_factory=collections.OrderedDict)
    lock: threading.Lock = dataclasses.field(default_factory=threading.Lock)

    def start(self, work: Callable[[], object], expected: type[Exception]) -> str:
        """Run ``work`` on a thread; returns the job's id. An ``expected`` error (the
        library's ``InputError``) is kept as its message for the screen; any other is
        kept as its type and message."""
        job_id = secrets.token_urlsafe(12)
        job = Job()

        def run():
            try:
                job.result = work()
            except expected as error:
                job.error = str(error)
            except Exception as error:  # shown to the person, never swallowed
                job.error = f"{type(error).__name__}: {error}"
            finally:
                job.finished = time.monotonic()

        with self.lock:
            self.jobs[job_id] = job
        threading.Thread(target=run, name=f"solarcoop-job-{job_id}", daemon=True).start()
        return job_id

    def keep_file(self, name: str, media_type: str, data: bytes) -> str:
        """Keep a file the app made; returns the token its download link carries."""
        token = secrets.token_urlsafe(16)
        with self.lock:
            self.files[token] = (name, media_type, data)
            while len(self.files) > MAX_FILES:
                self.files.popitem(last=False)
        return token


class Sessions:
    """Every tab's session, by an unguessable id."""

    def __init__(self, limit: int = MAX_SESSIONS):
        self._limit = limit
        self._sessions: collections.OrderedDict[str, Session] = collections.OrderedDict()
        self._lock = threading.Lock()

    def new(self) -> str:
        session_id = secrets.token_urlsafe(18)
        with self._lock:
            self._sessions[session_id] = Session()
            while len(self._sessions) > self._limit:
                self._sessions.popitem(last=False)
        return session_id

    def get(self, session_id: str | None) -> Session | None:
        with self._lock:
            session = self._sessions.get(session_id or "")
            if session is not None:
                self._sessions.move_to_end(session_id)
            return session
