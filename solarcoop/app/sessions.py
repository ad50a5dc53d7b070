"""Each browser tab's own scenarios, runs and files, kept in memory only.

A tab asks for a session when its page loads and keeps the id in a script variable (not
in a cookie or in storage that another tab could read), so two tabs never see each
other's scenarios.

Beyond :data:`MAX_SESSIONS`, a new session may only take the place of one that was never
used or has been idle for :data:`IDLE_SECONDS`; otherwise it is refused, so that nobody
can push a tab's open work out by asking for many sessions.

Runs and files are made by :data:`RUNNING_AT_ONCE` worker threads from one queue; a tab
may have :data:`JOBS_PER_SESSION` unfinished jobs and all tabs together
:data:`JOBS_OVERALL`, beyond which a job is refused with the reason.
"""

from __future__ import annotations

import collections
import dataclasses
import queue
import secrets
import threading
import time
from collections.abc import Callable

MAX_SESSIONS = 32
"""Tabs kept at once."""

IDLE_SECONDS = 3600.0
"""A session idle this long [s] may give its place to a new one."""

RUNNING_AT_ONCE = 2
"""Jobs that run at the same time (the others wait their turn)."""

JOBS_PER_SESSION = 3
"""Unfinished jobs (running or waiting) one tab may have."""

JOBS_OVERALL = 8
"""Unfinished jobs all tabs together may have."""

SLOTS = 3
"""Scenarios a tab holds side by side (A, B, C)."""

MAX_FILES = 12
"""Files a tab keeps for download; the oldest is dropped first."""


class Refused(Exception):
    """A session or a job refused because too many are open or waiting; ``key`` names the
    message in the app's catalog (``[app.refusal]``) and ``values`` fills it."""

    def __init__(self, key: str, **values):
        super().__init__(key)
        self.key = key
        self.values = values


@dataclasses.dataclass
class Job:
    """Work waiting for or running on a worker thread: a headline run or a file being written."""

    started: float = dataclasses.field(default_factory=time.monotonic)
    running: bool = False
    finished: float | None = None
    result: object = None
    error: str | None = None

    @property
    def seconds(self) -> float:
        return (self.finished or time.monotonic()) - self.started


class JobQueue:
    """One queue of jobs for every tab, worked by :data:`RUNNING_AT_ONCE` daemon threads."""

    def __init__(self, running_at_once: int = RUNNING_AT_ONCE, per_session: int = JOBS_PER_SESSION,
                 overall: int = JOBS_OVERALL):
        self.per_session = per_session
        self.overall = overall
        self._queue: queue.Queue = queue.Queue()
        self._lock = threading.Lock()
        self._unfinished: dict[int, int] = collections.Counter()  # by id(session)
        for number in range(running_at_once):
            threading.Thread(target=self._work, name=f"solarcoop-worker-{number}", daemon=True).start()

    def unfinished(self) -> int:
        with self._lock:
            return sum(self._unfinished.values())

    def submit(self, owner: object, job: Job, run: Callable[[], None]) -> None:
        """Queue ``run`` (which fills ``job``) for ``owner``; raises :class:`Refused` when the
        owner or all owners together have too many unfinished jobs."""
        with self._lock:
            mine = self._unfinished[id(owner)]
            if mine >= self.per_session:
                raise Refused("jobs_session", jobs=mine)
            total = sum(self._unfinished.values())
            if total >= self.overall:
                raise Refused("jobs_overall", jobs=total)
            self._unfinished[id(owner)] += 1
        self._queue.put((owner, job, run))

    def _work(self) -> None:
        while True:
            owner, job, run = self._queue.get()
            try:
                job.running = True
                run()
            finally:
                with self._lock:
                    self._unfinished[id(owner)] -= 1
                    if not self._unfinished[id(owner)]:
                        del self._unfinished[id(owner)]


@dataclasses.dataclass
class Session:
    """One tab: its scenarios (``None`` where a slot is empty), jobs and files."""

    slots: list = dataclasses.field(default_factory=lambda: [None] * SLOTS)
    jobs: dict = dataclasses.field(default_factory=dict)
    files: collections.OrderedDict = dataclasses.field(default_factory=collections.OrderedDict)
    lock: threading.Lock = dataclasses.field(default_factory=threading.Lock)
    created: float = dataclasses.field(default_factory=time.monotonic)
    last_used: float | None = None
    job_queue: JobQueue | None = None

    def start(self, work: Callable[[], object], expected: type[Exception]) -> str:
        """Queue ``work`` (on :attr:`job_queue`, or its own thread without one); returns the job's
        id. An ``expected`` error (the library's ``InputError``) is kept as its message for
        the screen; any other is kept as its type and message. Raises :class:`Refused` when
        too many jobs are unfinished."""
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

        if self.job_queue is None:
            threading.Thread(target=run, name=f"solarcoop-job-{job_id}", daemon=True).start()
        else:
            self.job_queue.submit(self, job, run)
        with self.lock:
            self.jobs[job_id] = job
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

    def __init__(self, limit: int = MAX_SESSIONS, idle_seconds: float = IDLE_SECONDS,
                 jobs: JobQueue | None = None):
        self.limit = limit
        self.idle_seconds = idle_seconds
        self._jobs = jobs
        self._sessions: collections.OrderedDict[str, Session] = collections.OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            return len(self._sessions)

    def new(self) -> str:
        """A new session's id. When all places are taken, the one never used and oldest
        gives its place, else the one idle longest if idle :data:`IDLE_SECONDS`; else
        :class:`Refused` (``sessions_full``)."""
        session_id = secrets.token_urlsafe(18)
        with self._lock:
            if len(self._sessions) >= self.limit:
                self._sessions.pop(self._replaceable())
            self._sessions[session_id] = Session(job_queue=self._jobs)
        return session_id

    def _replaceable(self) -> str:
        never_used = [key for key, session in self._sessions.items() if session.last_used is None]
        if never_used:
            return never_used[0]  # in the order made: the oldest first
        key, session = next(iter(self._sessions.items()))  # used least recently
        if time.monotonic() - session.last_used >= self.idle_seconds:
            return key
        raise Refused("sessions_full", minutes=round(self.idle_seconds / 60))

    def get(self, session_id: str | None) -> Session | None:
        """The session of ``session_id`` (marked as used now), or ``None``."""
        with self._lock:
            session = self._sessions.get(session_id or "")
            if session is not None:
                session.last_used = time.monotonic()
                self._sessions.move_to_end(session_id)
            return session
