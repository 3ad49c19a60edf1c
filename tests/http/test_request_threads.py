"""waitress's request threads as `ecograph serve` runs them (http/server.py): the thread that finished last takes
the next request, so that under light load one thread, its memory and caches warm, answers one request after the
other instead of every thread in turn."""

from __future__ import annotations

import threading
import time

from ecograph.http.server import WarmFirstDispatcher, _LastInFirstOut


def _waiting_for(check, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "not within the time given"
        time.sleep(0.001)


def _waiting(condition, n: int) -> None:
    """Until n threads wait on the condition."""
    _waiting_for(lambda: len(condition._waiters) >= n)


def test_the_thread_that_began_to_wait_last_is_woken_first():
    lock = threading.Lock()
    condition = _LastInFirstOut(lock)
    woken: list[int] = []
    go = [False] * 3

    def wait(i: int) -> None:
        with lock:
            while not go[i]:
                condition.wait()
            woken.append(i)

    threads = []
    for i in range(3):
        threads.append(threading.Thread(target=wait, args=(i,), daemon=True))
        threads[-1].start()
        _waiting(condition, i + 1)
    with lock:
        go[:] = [True] * 3
        condition.notify()
    _waiting_for(lambda: woken == [2])
    with lock:
        condition.notify()
    _waiting_for(lambda: woken == [2, 1])
    with lock:
        condition.notify_all()  # the rest, however many
    for t in threads:
        t.join(5)
    assert woken == [2, 1, 0]


class _Task:
    def __init__(self, ran: list):
        self.ran = ran
        self.done = threading.Event()

    def service(self) -> None:
        self.ran.append(threading.current_thread().name)
        self.done.set()


def test_requests_one_after_the_other_go_to_one_thread():
    dispatcher = WarmFirstDispatcher(4)
    try:
        _waiting(dispatcher.queue_cv, 4)
        ran: list[str] = []
        for _ in range(20):
            task = _Task(ran)
            dispatcher.add_task(task)
            assert task.done.wait(5)
            _waiting(dispatcher.queue_cv, 4)  # back to waiting before the next request comes
        assert len(set(ran)) == 1, ran
    finally:
        dispatcher.shutdown(cancel_pending=True, timeout=5)


def test_requests_that_come_together_use_every_thread():
    dispatcher = WarmFirstDispatcher(3)
    try:
        _waiting(dispatcher.queue_cv, 3)
        release = threading.Event()
        ran: list[str] = []

        class Slow(_Task):
            def service(self) -> None:
                super().service()
                release.wait(5)

        tasks = [Slow(ran) for _ in range(3)]
        for task in tasks:
            dispatcher.add_task(task)
        for task in tasks:
            assert task.done.wait(5)
        assert len(set(ran)) == 3
        release.set()
    finally:
        dispatcher.shutdown(cancel_pending=True, timeout=5)


def test_the_watchdog_lets_go_of_a_request_once_its_query_has_ended():
    """A finished query's ticket stays in the watchdog's heap until its deadline (the time limit): it must not keep
    the request (its environ, parser and buffers) alive so long. Under load that held a whole time limit's worth of
    requests, 40 MiB a worker in ten seconds of point lookups."""
    import gc
    import weakref

    from ecograph.http.watchdog import Watchdog

    class Task:  # stands for waitress's task of the request
        pass

    running = [Task()]  # the task this thread runs, as server.current_task() gives it
    watchdog = Watchdog(lambda: running[0] if running else None, lambda ticket: None)
    ticket = watchdog.watch(60.0)
    assert ticket is not None and ticket.task is running[0]
    assert watchdog.done(ticket)
    gone = weakref.ref(running.pop())
    gc.collect()
    assert gone() is None  # nothing of the watchdog's holds it
    assert watchdog._heap and watchdog._heap[0][2] is ticket  # the ticket itself waits for its deadline, empty
