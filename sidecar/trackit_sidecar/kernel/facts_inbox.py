"""Facts the probe pushed: a private Unix datagram socket per attached kernel, kept until a cell's facts are asked.

The probe measures each finished cell's facts and sends them just after the kernel replied to the cell (off the
cell's time; see probe.PUSH_AFTER_REPLY_SECONDS), so when the editor reports the cell the datagram is queued here
or about to be: `take` waits for it a little. Reading it costs the kernel nothing, where a fetch costs it a whole
shell request (~2 ms of ipykernel CPU per cell). Anything missing here (a push dropped, a probe that does not push,
a restarted kernel) is fetched as before, so a miss is slower, never wrong.

The socket is read as datagrams come, by a thread of its own: Linux queues at most net.unix.max_dgram_qlen (10 by
default) datagrams for a Unix socket, and the probe's sends are non-blocking, so an inbox read only when a cell's facts
are asked dropped every datagram past the tenth while the sidecar was storing or waiting on the editor: in a Run All,
the announcements of later cells filled the queue and every push after them was lost.

The socket lives in a fresh 0700 directory: only this user's processes can reach it.
"""

from __future__ import annotations

import json
import math
import os
import selectors
import shutil
import socket
import tempfile
import threading
import time

MAX_DATAGRAM = 4 << 20
KEPT = 64  # pushed but not yet asked: a Run All outrunning the editor's events
# A cell whose push the probe said it sends once the kernel is idle (cells came back to back: a Run All) is waited for
# this long while its kernel lives, as a fetch would wait behind the busy kernel (silent_requests.FACTS_BUSY_WAIT).
WHEN_IDLE_WAIT = 60.0
# ... unless the probe is pushing already (a push came after that notice: it pushes the waiting cells oldest first, once
# the kernel is idle) and nothing came for this long: the push was dropped (a full socket queue), so it is asked for
FLUSH_QUIET = 1.0
WAIT_SLICE = 0.05  # a wait looks this often whether the push can still come (its kernel died) or the sidecar closes


class FactsInbox:
    def __init__(self) -> None:
        self.directory = tempfile.mkdtemp(prefix="trackit-facts-")  # mode 0700
        self.path = os.path.join(self.directory, "facts.sock")
        self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self._socket.bind(self.path)
        self._socket.setblocking(False)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, MAX_DATAGRAM)
        self._pushed: dict[int, tuple[int, str]] = {}  # execution count -> (kernel pid, payload)
        self._pusher: int | None = None  # the kernel process that pushed last
        # count -> when the probe said it pushes that cell once the kernel is idle (WHEN_IDLE_WAIT)
        self._when_idle: dict[int, float] = {}
        # (count, when): the probe said it pushes that cell and every later one once the kernel is idle (a Run All's
        # burst: one notice, not one per cell), until its first push of those comes (the burst is over: it pushes the
        # rest right behind, oldest first) or the kernel restarts (forget). A wait that began while its cell was
        # announced so stays announced (take)
        self._onward: tuple[int, float] | None = None
        # when the last push of a cell not asked for yet came (monotonic), and the last datagram of any kind: a push of
        # one asked already is no sign the probe is pushing the waiting cells (a fetch's answer is pushed too, facts_json)
        self._last_push = -math.inf
        self._last_datagram = -math.inf
        self._asked = 0  # the latest count taken
        self._stalled = False  # a wait ran out and nothing was pushed since
        self.until = math.inf  # no wait goes past this monotonic time, one under way too: the sidecar is closing
        self._arrived = threading.Condition()  # guards the above; notified when the reader stored a datagram
        self._wake_reader, self._reader_woken = socket.socketpair()  # close() stops the reader through it
        self._reader = threading.Thread(target=self._read, name="trackit-facts-inbox", daemon=True)
        self._reader.start()

    def take(self, execution_count: int, wait: float = 0.0) -> str | None:
        """The facts_json payload pushed for that execution, or None (then ask the kernel). `wait`: how long a push
        still being measured is waited for; not at all when it cannot come: the kernel that pushed last is gone
        (restarted), a later cell's push is here (the probe pushes oldest first: this one was dropped), or the last
        wait ran out with nothing pushed since (pushes are being dropped: the socket's queue was full), nor past
        `until`. A push the probe said comes once the kernel is idle (that cell's notice, or a burst's from an earlier
        cell on: _onward) is waited for up to WHEN_IDLE_WAIT, and no longer than FLUSH_QUIET once the probe is pushing
        and sends nothing more."""
        with self._arrived:
            self._drain()
            started = time.monotonic()
            onward = None  # when this cell was announced with those after a burst's first: kept once seen (_onward)
            while self._may_still_come(execution_count):
                if onward is None and self._onward is not None and execution_count >= self._onward[0]:
                    onward = self._onward[1]
                announced = self._when_idle.get(execution_count, onward)
                longest = max(wait, WHEN_IDLE_WAIT) if wait > 0 and announced is not None else wait
                now = time.monotonic()
                remaining = min(started + longest, self.until) - now
                if announced is not None and self._last_push > announced and now - self._last_datagram >= FLUSH_QUIET:
                    remaining = 0.0  # the probe pushed after the notice, oldest first, and went quiet: this one was lost
                if remaining <= 0:
                    self._stalled = wait > 0
                    break
                self._wait(min(remaining, WAIT_SLICE))
            received = self._pushed.pop(execution_count, None)
            for count in [count for count in self._pushed if count < execution_count]:
                del self._pushed[count]  # asked in order: an older one will not be asked for
            self._when_idle = {count: at for count, at in self._when_idle.items() if count > execution_count}
            self._asked = max(self._asked, execution_count)
        if received is None or received[1] is None or not _alive(received[0]):
            # a push from a kernel process that has gone (restarted: its counts start again at 1) is not
            # for this count, and one too big for a datagram came as a notice: asking the kernel is always right
            return None
        return received[1]

    def _wait(self, seconds: float) -> None:
        """Until the reader stored a datagram, or `seconds` (the lock is let go meanwhile); then what is queued is
        read here too, whatever became of the reader."""
        self._arrived.wait(seconds)
        self._drain()

    def _may_still_come(self, execution_count: int) -> bool:
        if execution_count in self._pushed or self._stalled:
            return False
        if any(count > execution_count for count in self._pushed):
            return False
        return self._pusher is None or _alive(self._pusher)

    def forget(self) -> None:
        """The kernel restarted or the probe was installed again: what it pushed before is not for its counts."""
        with self._arrived:
            self._drain()
            self._pushed.clear()
            self._when_idle.clear()
            self._onward = None
            self._asked = 0
            self._pusher = None
            self._stalled = False

    def close(self) -> None:
        self._wake_reader.send(b"x")
        self._reader.join()
        for closing in (self._socket, self._wake_reader, self._reader_woken):
            closing.close()
        shutil.rmtree(self.directory, ignore_errors=True)

    def _read(self) -> None:
        """The reader thread: stores each datagram as it comes, until close() (epoll: a sidecar may hold more than
        select's 1,024 descriptors)."""
        with selectors.DefaultSelector() as selector:
            selector.register(self._socket, selectors.EVENT_READ)
            selector.register(self._reader_woken, selectors.EVENT_READ)
            while True:
                if any(key.fileobj is self._reader_woken for key, _ in selector.select()):
                    return
                with self._arrived:
                    self._drain()
                    self._arrived.notify_all()

    def _drain(self) -> None:
        """Store every datagram queued on the socket (with the lock held)."""
        while True:
            try:
                data = self._socket.recv(MAX_DATAGRAM)
            except (BlockingIOError, InterruptedError):
                return
            try:
                parsed = json.loads(data)
                count, pushed_by = int(parsed["execution_count"]), int(parsed["pushed_by"])
            except (ValueError, KeyError, TypeError):
                continue  # not a probe's push: ignored
            if parsed.get("when_idle"):
                # a push under this count (onward: under any count from it) that came before the notice is not this
                # run's: a run the frontend sent without history (VS Code's hidden requests) takes the count of the
                # cell after it
                self._last_datagram = time.monotonic()
                if parsed.get("onward"):
                    for stale in [pushed for pushed in self._pushed if pushed >= count]:
                        del self._pushed[stale]
                    self._onward = (count, self._last_datagram)
                else:
                    self._pushed.pop(count, None)
                    self._when_idle[count] = self._last_datagram
                    while len(self._when_idle) > KEPT:
                        del self._when_idle[min(self._when_idle)]
                self._pusher = pushed_by
                self._stalled = False
                continue
            self._pushed[count] = (pushed_by, None if parsed.get("too_big") else data.decode("utf-8"))
            self._last_datagram = time.monotonic()
            if count > self._asked:
                self._last_push = self._last_datagram
                if self._onward is not None and count >= self._onward[0]:
                    self._onward = None
            self._pusher = pushed_by
            self._stalled = False
            while len(self._pushed) > KEPT:
                del self._pushed[min(self._pushed)]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
