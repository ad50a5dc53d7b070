"""The local web server: the standard library's ``http.server``, one page, a small JSON API.

Safe by default:

- it binds 127.0.0.1 and answers only requests addressed to the names of the address it
  is bound to and its port, on every address (a web page elsewhere cannot reach it through
  a rebound DNS name); listening beyond this machine must be asked for and is warned of;
- every request that changes anything proves it comes from the app's own page: a browser's
  ``Origin`` header, when sent, must be the app's own, and the request carries a header
  that a page of another origin cannot send without a preflight this server never grants
  (the first, for a new session, the page's token; the others the tab's session id);
- a session in use is never pushed out by new ones: when all places are taken, a new
  session is refused unless one was never used or has long been idle;
- runs and files wait in one queue worked by two threads, with a small limit of
  unfinished jobs per tab and overall; a refused job says why in the tab's language;
- files are served from a fixed list made at start from the package's ``static`` folder
  (no request path is ever joined to a folder), and downloads only of files the app
  made for that tab;
- bodies are size-limited; uploads are read as TOML data only (:mod:`solarcoop.app.board`);
- the page may load nothing from anywhere else (Content-Security-Policy ``'self'``).
"""

from __future__ import annotations

import ipaddress
import json
import secrets
import socket
import sys
import threading
import time
import traceback
import webbrowser
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from urllib.parse import parse_qs, quote, urlsplit

from solarcoop.app import board, sessions, text

JSON_LIMIT_BYTES = 16 * 1024
"""Largest JSON body accepted [bytes]."""

MAX_PATHS = 100_000
"""Most Monte Carlo paths per run the app may be started with."""

PAGE_HEADER = "X-Solarcoop-Page"
"""The header carrying the page's token, which a new session needs."""

SESSION_HEADER = "X-Solarcoop-Session"
"""The header carrying the tab's session id, which every other call needs."""

STATIC_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".woff2": "font/woff2",
    ".txt": "text/plain; charset=utf-8",
}

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; font-src 'self'; "
        "img-src 'self'; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}

LETTERS = "ABC"

LOOPBACK = ("127.0.0.1", "localhost", "::1")

WILDCARD = ("0.0.0.0", "", "::")
"""Addresses that listen on every interface of the machine."""


def is_loopback(host: str) -> bool:
    """Whether ``host`` is an address of this machine only (``127.0.0.0/8``, ``::1``, ``localhost``)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _with_port(name: str, port: int) -> str:
    """``name:port`` as a Host header writes it (an IPv6 address in brackets)."""
    return f"[{name}]:{port}" if ":" in name else f"{name}:{port}"


def machine_names() -> set[str]:
    """This machine's names and addresses as other machines may write them in a URL."""
    names = {socket.gethostname(), socket.getfqdn()}
    try:
        names |= {info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None)}
    except OSError:
        pass
    try:  # the address of the interface that leads out (no packet is sent)
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))
            names.add(probe.getsockname()[0])
    except OSError:
        pass
    return {name.split("%")[0] for name in names if name}


def allowed_hosts(host: str, port: int) -> set[str]:
    """The ``Host`` headers a server bound to ``host:port`` answers: the loopback names for a
    loopback name, the address itself for any other address, and for a wildcard the
    machine's loopback names, names and addresses."""
    if host in LOOPBACK:
        names = set(LOOPBACK)
    elif host in WILDCARD:
        names = set(LOOPBACK) | machine_names()
    else:
        names = {host}
    return {_with_port(name, port) for name in names}


def _static_files() -> dict[str, tuple[bytes, str]]:
    """``{"/static/app.js": (content, media type)}`` for every file shipped in ``static``."""
    files = {}
    root = resources.files("solarcoop.app").joinpath("static")

    def walk(folder, prefix):
        for item in folder.iterdir():
            if item.is_dir():
                walk(item, f"{prefix}{item.name}/")
            elif item.name.rsplit(".", 1)[-1] in {t.lstrip(".") for t in STATIC_TYPES}:
                files[f"/static/{prefix}{item.name}"] = (item.read_bytes(), STATIC_TYPES["." + item.name.rsplit(".", 1)[-1]])

    walk(root, "")
    return files


class App:
    """What the server holds: sessions, the static files, the defaults it was started with."""

    def __init__(self, lang: str, n_paths: int, seed: int = 0):
        self.lang = lang
        self.n_paths = n_paths
        self.seed = seed
        self.jobs = sessions.JobQueue()
        self.sessions = sessions.Sessions(jobs=self.jobs)
        self.static = _static_files()
        self.allowed_hosts: set[str] = set()
        self.page_token = secrets.token_urlsafe(18)
        self.page_served = threading.Event()

    def refusal(self, refused: sessions.Refused, lang: str) -> tuple[int, dict]:
        """A refused session or job as the answer the page shows, in ``lang``."""
        values = {key: text.number(value, lang) for key, value in refused.values.items()}
        message = text.catalog(lang)["refusal"][refused.key].format(**values)
        status = HTTPStatus.TOO_MANY_REQUESTS if refused.key.startswith("jobs") else HTTPStatus.SERVICE_UNAVAILABLE
        return status, {"error": message, "refused": refused.key}

    # ------------------------------------------------------------------ views of a session

    def state(self, session: sessions.Session, lang: str) -> dict:
        slots = []
        for index, scenario in enumerate(session.slots):
            if scenario is None:
                slots.append({"letter": LETTERS[index], "empty": True})
                continue
            slots.append({
                "letter": LETTERS[index],
                "empty": False,
                "name": board.name(scenario, lang),
                "fields": board.fields(scenario, lang),
                "notes": board.notes(scenario, lang),
            })  # fmt: skip
        return {
            "slots": slots,
            "groups": list(board.GROUPS),
            "upload_kb": board.UPLOAD_LIMIT_BYTES // 1024,
            "downloads": list(board.DOWNLOADS),
            "presets": [
                {"name": name, "label": text.catalog(lang)["preset"].get(name, name)}
                for name in ("baseline", *board.presets())
            ],
        }

    # ------------------------------------------------------------------ API calls

    def call(self, name: str, session: sessions.Session, body: dict, lang: str) -> tuple[int, dict]:
        from solarcoop._validation import InputError, error_text

        slot = body.get("slot", 0)
        if not (type(slot) is int and 0 <= slot < sessions.SLOTS):  # not True, which is an int
            return HTTPStatus.BAD_REQUEST, {"error": f"slot = {slot!r}: choose 0 to {sessions.SLOTS - 1}"}
        try:
            if name == "state":
                self.page_served.set()
                return HTTPStatus.OK, self.state(session, lang)
            if name == "open":
                session.slots[slot] = board.open_scenario(str(body.get("source", "baseline")), lang)
                return HTTPStatus.OK, self.state(session, lang)
            if name == "copy":
                target = body.get("to")
                if not (type(target) is int and 0 <= target < sessions.SLOTS) or session.slots[slot] is None:
                    return HTTPStatus.BAD_REQUEST, {"error": "copy needs a full slot and a target slot"}
                session.slots[target] = board.copied(session.slots[slot], lang)
                return HTTPStatus.OK, self.state(session, lang)
            if name == "change":
                scenario = session.slots[slot]
                if scenario is None:
                    return HTTPStatus.BAD_REQUEST, {"error": f"scenario {LETTERS[slot]} is not open"}
                path = str(body.get("path", ""))
                try:
                    session.slots[slot] = board.change(scenario, path, str(body.get("value", "")))
                except InputError as error:
                    return HTTPStatus.UNPROCESSABLE_ENTITY, {"path": path, "error": error_text(error, lang)}
                return HTTPStatus.OK, self.state(session, lang)
            if name == "run":
                wanted = body.get("slots", [slot])
                if not (isinstance(wanted, list) and all(type(i) is int for i in wanted)):
                    return HTTPStatus.BAD_REQUEST, {"error": f"slots = {wanted!r}: give a list of slot numbers 0 to {sessions.SLOTS - 1}"}
                chosen = [i for i, s in enumerate(session.slots) if s is not None and i in wanted]
                if not chosen:
                    return HTTPStatus.BAD_REQUEST, {"error": "no open scenario to run"}
                scenarios = {i: session.slots[i] for i in chosen}
                n_paths, seed = self.n_paths, self.seed
                job = session.start(
                    said_in(lang, lambda: {i: board.headline(s, n_paths, seed) for i, s in scenarios.items()}),
                    InputError,
                )
                return HTTPStatus.OK, {"job": job, "n_paths": n_paths}
            if name == "make":
                scenario = session.slots[slot]
                what = body.get("what")
                if scenario is None or what not in board.DOWNLOADS:
                    return HTTPStatus.BAD_REQUEST, {"error": f"cannot make {what!r} for slot {slot}"}
                n_paths, seed = self.n_paths, self.seed

                def make():
                    made = board.downloads(scenario, what, lang, n_paths, seed)
                    return [{"name": n, "token": session.keep_file(n, m, d), "bytes": len(d)} for n, m, d in made]

                return HTTPStatus.OK, {"job": session.start(said_in(lang, make), InputError)}
            if name == "job":
                job = session.jobs.get(str(body.get("job")))
                if job is None:
                    return HTTPStatus.NOT_FOUND, {"error": "no such job"}
                answer = {"done": job.finished is not None, "seconds": round(job.seconds, 1), "error": job.error}
                if job.finished is not None and job.error is None:
                    result = job.result
                    if isinstance(result, dict):  # headlines by slot
                        answer["headlines"] = {str(i): board.headline_view(h, lang) for i, h in result.items()}
                    else:
                        answer["files"] = result
                return HTTPStatus.OK, answer
        except InputError as error:
            return HTTPStatus.UNPROCESSABLE_ENTITY, {"error": error_text(error, lang)}
        except sessions.Refused as refused:
            return self.refusal(refused, lang)
        return HTTPStatus.NOT_FOUND, {"error": f"no call {name!r}"}

    def upload(self, session: sessions.Session, slot: int, filename: str, data: bytes, lang: str) -> tuple[int, dict]:
        from solarcoop._validation import InputError, error_text

        if not 0 <= slot < sessions.SLOTS:
            return HTTPStatus.BAD_REQUEST, {"error": f"slot = {slot!r}: choose 0 to {sessions.SLOTS - 1}"}
        try:
            session.slots[slot] = board.read_upload(data, filename)
        except InputError as error:
            return HTTPStatus.UNPROCESSABLE_ENTITY, {"error": error_text(error, lang)}
        return HTTPStatus.OK, self.state(session, lang)


def said_in(lang: str, work):
    """``work`` whose refused input is said in ``lang`` (from the catalog's ``[errors]``)."""
    from solarcoop._validation import InputError, error_text

    def run():
        try:
            return work()
        except InputError as error:
            raise InputError(error_text(error, lang)) from None

    return run


class Handler(BaseHTTPRequestHandler):
    """One request. The :class:`App` is on the server as ``server.app``."""

    server_version = "solarcoop"
    sys_version = ""

    @property
    def app(self) -> App:
        return self.server.app

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass  # a board member's terminal shows the address and errors, not every request

    def _send(self, status: int, body: bytes, media_type: str, extra: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in {**SECURITY_HEADERS, **(extra or {})}.items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: int, payload: dict) -> None:
        self._send(status, json.dumps(payload, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8")

    def _host_allowed(self) -> bool:
        if self.headers.get("Host", "") in self.app.allowed_hosts:
            return True
        self._send(HTTPStatus.MISDIRECTED_REQUEST, b"wrong host", "text/plain; charset=utf-8")
        return False

    def _same_origin(self, lang: str, proof_header: str, proof: str | None) -> bool:
        """Whether a state-changing request comes from the app's own page: the browser's
        ``Origin`` and ``Sec-Fetch-Site``, when sent, say so, and ``proof_header`` carries
        ``proof`` (any value when ``proof`` is ``None``: the caller looks it up)."""
        origin = self.headers.get("Origin")
        site = self.headers.get("Sec-Fetch-Site")
        given = self.headers.get(proof_header)
        if (
            (origin is None or origin == f"http://{self.headers.get('Host', '')}")
            and site in (None, "same-origin", "none")
            and given is not None
            and (proof is None or secrets.compare_digest(given.encode(), proof.encode()))
        ):
            return True
        self._json(HTTPStatus.FORBIDDEN, {"error": text.catalog(lang)["refusal"]["cross_origin"], "refused": "cross_origin"})
        return False

    def _lang(self, query: dict) -> str:
        lang = query.get("lang", [self.app.lang])[0]
        return lang if lang in text.LANGUAGES else self.app.lang

    def _body(self, limit: int) -> bytes | None:
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            length = -1
        if not 0 <= length <= limit:
            self._json(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, {"error": f"at most {limit:,} bytes are accepted"})
            return None
        return self.rfile.read(length)

    def do_GET(self):  # noqa: N802 - the base class's name
        if not self._host_allowed():
            return
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        if url.path == "/":
            lang = self._lang(query)
            page, _ = self.app.static["/static/index.html"]
            page = page.replace(b"{{lang}}", lang.encode()).replace(b"{{dir}}", b"rtl" if lang == "fa" else b"ltr")
            page = page.replace(b"{{title}}", text.catalog(lang)["page"]["title"].encode("utf-8"))
            page = page.replace(b"{{page_token}}", self.app.page_token.encode())
            self._send(HTTPStatus.OK, page, STATIC_TYPES[".html"])
        elif url.path == "/api/text":
            self._json(HTTPStatus.OK, text.catalog(self._lang(query)))
        elif url.path in self.app.static and url.path != "/static/index.html":
            content, media_type = self.app.static[url.path]
            self._send(HTTPStatus.OK, content, media_type)
        elif url.path.startswith("/download/"):
            parts = url.path.split("/")
            session = self.app.sessions.get(parts[2]) if len(parts) == 4 else None
            found = session.files.get(parts[3]) if session is not None else None
            if found is None:
                self._send(HTTPStatus.NOT_FOUND, b"not found", "text/plain; charset=utf-8")
                return
            name, media_type, data = found
            disposition = f"attachment; filename=\"{name}\"; filename*=UTF-8''{quote(name)}"
            self._send(HTTPStatus.OK, data, media_type, {"Content-Disposition": disposition})
        else:
            self._send(HTTPStatus.NOT_FOUND, b"not found", "text/plain; charset=utf-8")

    do_HEAD = do_GET

    def do_POST(self):  # noqa: N802 - the base class's name
        if not self._host_allowed():
            return
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        lang = self._lang(query)
        if url.path == "/api/session":
            if self._same_origin(lang, PAGE_HEADER, self.app.page_token):
                try:
                    self._json(HTTPStatus.OK, {"session": self.app.sessions.new(), "lang": self.app.lang})
                except sessions.Refused as refused:
                    self._json(*self.app.refusal(refused, lang))
            return
        if not self._same_origin(lang, SESSION_HEADER, None):
            return
        session = self.app.sessions.get(self.headers.get(SESSION_HEADER))
        if session is None:
            self._json(HTTPStatus.FORBIDDEN, {"error": "no session: reload the page"})
            return
        if url.path == "/api/upload":
            data = self._body(board.UPLOAD_LIMIT_BYTES)
            if data is not None:
                try:
                    slot = int(query.get("slot", ["0"])[0])
                except ValueError:
                    slot = -1
                filename = query.get("name", ["scenario.toml"])[0]
                try:
                    answer = self.app.upload(session, slot, filename, data, lang)
                except Exception as error:  # a fault of the app or the library: said on the page and here
                    traceback.print_exc()
                    answer = HTTPStatus.INTERNAL_SERVER_ERROR, {"error": f"{type(error).__name__}: {error}"}
                self._json(*answer)
            return
        if not url.path.startswith("/api/"):
            self._json(HTTPStatus.NOT_FOUND, {"error": "not found"})
            return
        raw = self._body(JSON_LIMIT_BYTES)
        if raw is None:
            return
        try:
            body = json.loads(raw or b"{}")
        except (ValueError, RecursionError):  # not JSON, nested too deep, an integer too long
            body = None
        if not isinstance(body, dict):
            self._json(HTTPStatus.BAD_REQUEST, {"error": "the body must be a JSON object"})
            return
        try:
            answer = self.app.call(url.path.removeprefix("/api/"), session, body, lang)
        except Exception as error:  # a fault of the app or the library: said on the page and here
            traceback.print_exc()
            answer = HTTPStatus.INTERNAL_SERVER_ERROR, {"error": f"{type(error).__name__}: {error}"}
        self._json(*answer)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        if isinstance(sys.exc_info()[1], ConnectionError):
            return  # a tab closed while its answer was on the way: nothing to report
        super().handle_error(request, client_address)


def check_options(host: str, port: int, n_paths: int, beyond_this_machine: bool = False) -> None:
    """Refuse, with :class:`~solarcoop._validation.InputError`, a port outside 0 to 65535,
    paths outside 1 to :data:`MAX_PATHS`, and an address beyond this machine unless
    ``beyond_this_machine``."""
    from solarcoop._validation import InputError, check_number

    check_number("app --port", port, minimum=0, maximum=65535, integer=True)
    check_number("app --paths", n_paths, minimum=1, maximum=MAX_PATHS, integer=True)
    if not is_loopback(host) and not beyond_this_machine:
        raise InputError(
            f"app --host = {host!r} listens beyond this machine, where others can reach the app: "
            "add --beyond-this-machine to allow it, or leave --host out (127.0.0.1)"
        )


def make_server(host: str = "127.0.0.1", port: int = 0, lang: str = "fa", n_paths: int = board.DEFAULT_PATHS,
                beyond_this_machine: bool = False):
    """A server bound to ``host:port`` (``port=0``: a free one), not yet serving; see
    :func:`check_options` for what is refused."""
    if lang not in text.LANGUAGES:
        raise ValueError(f"lang = {lang!r} is not offered: choose one of {text.LANGUAGES}")
    check_options(host, port, n_paths, beyond_this_machine)
    server = _Server((host, port), Handler)
    app = App(lang=lang, n_paths=n_paths)
    app.allowed_hosts = allowed_hosts(host, server.server_address[1])
    server.app = app
    return server


def _warm_up(app: App) -> None:
    """Once the first page is on screen, run the baseline's physics and load the report
    writer, so that the first run answers in about a second."""
    app.page_served.wait(timeout=30)
    from solarcoop.studies.montecarlo import monte_carlo

    monte_carlo(board.baseline(), n_paths=1)
    import solarcoop.present.report  # noqa: F401 - loads matplotlib for the first download


def serve(host: str = "127.0.0.1", port: int = 8765, lang: str = "fa", open_browser: bool = True,
          n_paths: int = board.DEFAULT_PATHS, beyond_this_machine: bool = False) -> int:
    """Serve the app until Ctrl-C; returns the exit status."""
    started = time.monotonic()
    try:
        server = make_server(host, port, lang, n_paths, beyond_this_machine)
    except (OSError, OverflowError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        print(f"solarcoop app: cannot listen on {host}:{port}: {reason}", file=sys.stderr)
        return 2
    if not is_loopback(host):
        print(
            f"solarcoop app: warning: listening on {host}, beyond this machine: anyone who can reach "
            "this address can use the app; it answers only these names: "
            + ", ".join(sorted(server.app.allowed_hosts)),
            file=sys.stderr, flush=True,
        )  # fmt: skip
    url = f"http://{_with_port('127.0.0.1' if host in WILDCARD else host, server.server_address[1])}/?lang={lang}"
    try:
        threading.Thread(target=_warm_up, args=(server.app,), name="solarcoop-warm-up", daemon=True).start()
        print(f"solarcoop app: {url}  (ready in {time.monotonic() - started:.1f} s; Ctrl-C to stop)", flush=True)
        if open_browser:
            webbrowser.open(url)
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        print("\nsolarcoop app: stopped", flush=True)
    finally:
        server.server_close()
    return 0
