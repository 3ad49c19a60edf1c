"""Each validation of an upload (POST /validate) runs in a process of its own, so that one upload cannot hold the
service: the server waits for its answer up to the time limit (setting validate_timeout_s), then kills the process
and answers 503; a parser or validator that crashes (pyoxigraph can die with a segmentation fault) costs only that
process.

A holder process, spawned once per app on the first validation, loads the project's shapes and ontology and then
forks a child for each validation, on the server's word, as workers.py's holder forks query workers: a fork
starts at once and shares the loaded reference. The holder is single-threaded (forking a threaded server could
deadlock the child) and never validates anything itself. The child reads the raw upload from its own pipe,
parses it, validates it and writes the report in the format asked for, all within the time limit; it answers
with the report's text, or with the error to send. An alarm ends the child by itself shortly after the limit,
even if the server has gone. A large upload can take a lot of memory (a 1 MB Turtle list is 660,000 triples:
about 1.2 GB); out of memory, the kernel kills the child first. At most AT_ONCE validations run at a time;
another waits a moment for a slot (waiting holds one of waitress's threads, which the queries need too), then
is a 503."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from ecograph.errors import DataSyntaxError, EcographError, UsageError
from ecograph.processes import HolderProcess
from ecograph.settings import Settings

AT_ONCE = 2  # validations at a time: each may use a few hundred MB on a large upload
SLOT_WAIT_S = 1.0  # how long a validation waits for a slot
GRACE_S = 5.0  # the child's own alarm rings this long after the limit (the server kills it at the limit)
START_TIMEOUT_S = 600.0  # loading the shapes and ontology takes about a second on the seed


class ValidationTimeout(EcographError):
    status = 503
    exit_code = 2
    hint = ("Send a smaller graph (the time limit is the validate_timeout_s setting), "
            "or validate it on your machine with `ecograph validate FILE`, which has no time limit.")


class ValidationCrashed(EcographError):
    status = 503  # the server is fine: the validation's process died, and the next validation gets a new one
    exit_code = 2
    hint = ("The process validating the upload died (killed, or the parser or validator crashed); the server goes on serving. "
            "Try again; if the same upload fails twice, please report it.")


class ValidationFailed(EcographError):
    status = 500
    exit_code = 2
    hint = "This is a bug in ecograph: please report it, with the upload if you can."


class ValidationsBusy(EcographError):
    status = 503
    exit_code = 2
    hint = f"The server runs {AT_ONCE} validations at a time and all are taken; retry in a moment."


class TooDeepToValidate(UsageError):
    status = 422
    hint = "Give the nested blank nodes IRIs (or split the graph) and send it again."


@dataclass
class Outcome:
    """A validation's answer: the report (body, conforms), or the error to send (status, error: the JSON object)."""

    status: int
    body: str = ""
    conforms: bool = False
    error: dict | None = None
    violations: int = 0


# ------------------------------------------------------------------ in the child: one upload, parsed, validated, written

def _validate(reference, settings: Settings, raw: bytes, media: str, report_type: str, alone: bool = False) -> Outcome:
    """Parse, validate and render one upload; refusals (syntax, nesting, media type…) as an Outcome with the error."""
    from ecograph.http.upload import UPLOAD, parse_upload, render
    from ecograph.pipeline.validate import validate_in_context

    try:
        try:
            graph = parse_upload(raw, media)
        except RecursionError as exc:  # nesting.py keeps rdflib within its depth: never expected, but never a 500
            raise DataSyntaxError(UPLOAD, None, None, "the upload nests too deeply to be parsed",
                                  "Flatten the document: give the inner nodes IRIs or blank-node labels.") from exc
        try:
            # in the project's context (the upload replaces the project's description of its subjects), or alone
            report = validate_in_context(graph, settings, alone=alone, reference=reference)
            return Outcome(200, render(report, report_type), report.conforms, violations=report.count("Violation"))
        except RecursionError as exc:  # a long chain of blank nodes that some step walks recursively
            raise TooDeepToValidate("the upload parses, but its blank nodes hang together too deeply to be validated") from exc
    except DataSyntaxError as exc:  # the one error shape, plus where, for programs that point at the place
        return Outcome(exc.status, error={**exc.to_dict(), "line": exc.line, "column": exc.column})
    except EcographError as exc:
        return Outcome(exc.status, error=exc.to_dict())


def _child_main(reference, settings: Settings, conn) -> None:
    import signal

    signal.setitimer(signal.ITIMER_REAL, settings.validate_timeout_s + GRACE_S)  # SIGALRM's default action ends the process
    try:  # out of memory, the kernel kills this process first, not the server or the query workers (Linux)
        with open("/proc/self/oom_score_adj", "w") as f:
            f.write("1000")
    except OSError:
        pass
    raw, media, report_type, alone = conn.recv()
    try:
        outcome = _validate(reference, settings, raw, media, report_type, alone)
    except Exception as exc:  # the process's last word: a bug, told to the server rather than lost
        conn.send(Outcome(500, error={"failed": f"{type(exc).__name__}: {exc}"[:500]}))
        raise
    conn.send(outcome)


# ------------------------------------------------------------------ the holder: the reference loaded once, a fork per validation

def _holder_main(settings: Settings, conn) -> None:
    """Load the reference, say ready, then fork a child whenever the server asks (sending one end of a fresh pipe)
    and kill one on its word. When the server goes, the children still running are killed."""
    import gc
    import os
    import signal
    from multiprocessing.connection import Connection
    from multiprocessing.reduction import recv_handle

    from ecograph.http import upload  # noqa: F401  (imported once here, not in every child)
    from ecograph.pipeline.load import load_sources

    try:
        reference = load_sources(settings)  # the project's data too: uploads are validated in its context
        reference.stated, reference.interpreted  # noqa: B018  (their rdflib graphs, made once here, shared by every child)
    except EcographError as exc:
        conn.send(("failed", str(exc)))
        return
    gc.freeze()  # the reference is never freed: a child's collections then skip it (and leave its pages shared)
    conn.send(("ready", None))
    children: set[int] = set()
    while True:
        try:
            message = conn.recv()
        except EOFError:
            break
        _reap(children)
        if message[0] == "fork":
            fd = recv_handle(conn)
            pid = os.fork()
            if pid == 0:  # the child: only its own pipe, one validation, and out
                code = 0
                try:
                    os.closerange(3, fd)
                    os.closerange(fd + 1, os.sysconf("SC_OPEN_MAX"))
                    signal.signal(signal.SIGINT, signal.SIG_DFL)
                    _child_main(reference, settings, Connection(fd))
                except BaseException:  # noqa: BLE001 - a child never returns into the holder's loop
                    code = 1
                finally:
                    os._exit(code)
            os.close(fd)
            children.add(pid)
            conn.send(pid)
        elif message[0] == "kill":
            _kill(message[1], children)
            conn.send(True)
    for pid in list(children):
        _kill(pid, children)


def _reap(children: set[int]) -> None:
    """Forget the children that have ended by themselves (answered, or died)."""
    import os

    for pid in list(children):
        try:
            if os.waitpid(pid, os.WNOHANG)[0] == pid:
                children.discard(pid)
        except ChildProcessError:
            children.discard(pid)


def _kill(pid: int, children: set[int]) -> None:
    import os
    import signal

    if pid in children:
        os.kill(pid, signal.SIGKILL)  # it is ours and not reaped yet, so the pid is still its own
        os.waitpid(pid, 0)
        children.discard(pid)


class Holder(HolderProcess):
    """The holder process of one app (see the module's docstring)."""

    def __init__(self, settings: Settings):
        super().__init__(_holder_main, (settings,), START_TIMEOUT_S, "the validation service", name="ecograph-validation")
        kind, payload = self.started
        if kind != "ready":
            self.close()
            raise EcographError(f"the validation service cannot start: {payload}", "Fix the shapes or the ontology.")

    def fork(self):
        """A new child, and the server's end of its pipe."""
        try:
            return self.fork_child()
        except (EOFError, OSError) as exc:
            raise ValidationCrashed("the process holding the shapes has died; it is started again on the next validation") from exc


# ------------------------------------------------------------------ in the server: one per app

class Validations:
    """The validations of one app: a holder started on first use (and again if it died), AT_ONCE slots."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._holder: Holder | None = None
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(AT_ONCE)
        self._running: set[int] = set()

    def _started(self) -> Holder:
        with self._lock:
            if self._holder is None or not self._holder.alive():
                if self._holder is not None:
                    self._holder.close()
                self._holder = Holder(self.settings)
            return self._holder

    def running(self) -> list[int]:
        """The process ids of the validations under way (for tests and operators)."""
        with self._lock:
            return sorted(self._running)

    def run(self, raw: bytes, media: str, report_type: str, alone: bool = False) -> Outcome:
        """Validate raw (of media type media) in a child process and write the report as report_type, within
        the time limit (ValidationTimeout past it, the child killed)."""
        limit = self.settings.validate_timeout_s
        if not self._slots.acquire(timeout=min(limit, SLOT_WAIT_S)):
            raise ValidationsBusy(f"the server is already running {AT_ONCE} validations")
        try:
            holder = self._started()
            pid, conn = holder.fork()
            with self._lock:
                self._running.add(pid)
            try:
                return self._answer(conn, (raw, media, report_type, alone), limit)
            finally:
                holder.kill(pid)
                conn.close()
                with self._lock:
                    self._running.discard(pid)
        finally:
            self._slots.release()

    @staticmethod
    def _answer(conn, job: tuple, limit: float) -> Outcome:
        try:
            conn.send(job)
            if not conn.poll(limit):
                raise ValidationTimeout(f"the validation was stopped at the time limit of {limit:g} s")
            outcome = conn.recv()
        except (EOFError, OSError) as exc:
            raise ValidationCrashed("the validation's process died on this upload") from exc
        if outcome.error is not None and "failed" in outcome.error:
            raise ValidationFailed(f"the validation failed: {outcome.error['failed']}")
        return outcome

    def close(self) -> None:
        with self._lock:
            if self._holder is not None:
                self._holder.close()
                self._holder = None
