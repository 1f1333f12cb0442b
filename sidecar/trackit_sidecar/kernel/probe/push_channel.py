"""The push channel: each finished cell's facts are measured and sent to the sidecar's Unix socket once the kernel is
idle (after the cell's reply), so the sidecar need not ask the kernel per cell; notices say when a push comes later
(when_idle) or not at all (too_big), and a push the socket has no room for is sent again."""

from __future__ import annotations

import errno
import json
import os
import socket

from .records import facts_payload
from .shell_inbox import ShellInbox

# A pushing probe measures a cell's facts after the kernel sent the cell's reply, not in post_run_cell (which runs
# before it). The reply and the idle status are then still on their way through the kernel's other threads (the
# shell channel thread forwards the reply, the IOPub thread sends idle), which need the GIL the measuring holds:
# measured on ipykernel 7.4, a callback that starts at once delayed the reply's delivery up to 8-12 ms, one that
# waits this long did not (max 1.2 ms).
PUSH_AFTER_REPLY_SECONDS = 0.005
# Once a next cell came before the push's timer fired, the kernel counts as idle only this long after a reply with no
# next cell: a client that sends each cell when the last reply is in (nbclient) can take more than 5 ms on a loaded
# machine (measured on pandas-06: the Run All's facts measured in such gaps, no faster than measuring them one by one).
# A push that started and made way for a next cell (shell_inbox) does not start a burst: the kernel was idle.
BURST_IDLE_SECONDS = 0.05
# A push the sidecar's socket has no room for (Linux holds /proc/sys/net/unix/max_dgram_qlen = 10 datagrams on a Unix
# socket; the probe's sends never block the kernel) is sent again this much later, with the pushes after it, while
# the sidecar's reader makes room. After PUSH_RETRIES attempts in a row without room the sidecar counts as stuck or
# gone: the waiting pushes are dropped and it asks for those facts instead.
PUSH_RETRY_SECONDS = 0.005
PUSH_RETRIES = 100


class PushChannel:
    """Probe's push channel (its state: _start_push_channel). Uses the Probe's facts_for (facts_payload) and its
    deferral's state (deferred_buffers, reset once every waiting cell is pushed)."""

    def _start_push_channel(self) -> None:
        # the sidecar's private socket (push_to): each finished cell's facts are sent there, so the sidecar
        # need not send the kernel a request per cell; a push that fails is dropped (one the socket has no room for,
        # after PUSH_RETRIES) and the sidecar asks
        self.push_path: str | None = None
        self.push_socket: socket.socket | None = None
        self.unpushed: list[int] = []  # finished cells whose facts go out once the kernel is idle (_push_later)
        self._push_timer = None
        self._push_retries = 0  # attempts in a row the socket had no room (PUSH_RETRIES)
        self.pushes_retried = 0  # pushes that found the socket full and went out on a later attempt
        # notices the socket had no room for (_notify), sent before anything else: a cell's when_idle notice must come
        # before its push (the sidecar takes a push it got before the notice for another run's)
        self.unsent_notices: list[dict] = []
        self.notices_retried = 0  # notices that found the socket full and went out on a later attempt
        self._in_burst = False  # a next cell came before the last push, and the kernel has not been idle since
        self._announced_onward = False  # the burst's cells were announced as pushed once idle (_before_next_cell)
        # where a client's next message waits (push_to sets it): a push stops for one (_push_unpushed)
        self.shell_inbox: ShellInbox | None = None
        self._made_way = False  # the last push stopped for a message, and no cell came since
        self.pushes_made_way = 0  # pushes that stopped for a client's message, leaving cells for later

    def _push_later(self, count: int) -> None:
        """Measure and push the cell's facts once its reply is out and no next cell came: a timer on the kernel's
        event loop (see PUSH_AFTER_REPLY_SECONDS; a next cell puts it off until after its own reply,
        _before_next_cell, and then waits BURST_IDLE_SECONDS). Outside a running loop (IPython in a terminal, no
        kernel), at once."""
        self.unpushed.append(count)
        try:
            import asyncio

            loop = asyncio.get_running_loop()
        except RuntimeError:
            self._push_unpushed()
            return
        if self._push_timer is None:
            idle = BURST_IDLE_SECONDS if self._in_burst else PUSH_AFTER_REPLY_SECONDS
            self._push_timer = loop.call_later(idle, self._push_when_idle, loop)

    def _push_when_idle(self, loop) -> None:
        """The timer fired: push one turn of the event loop later. A message the loop read in this same turn is then
        dispatched first (its task's first step is queued before this), where shell_inbox could not see it."""
        self._push_timer = loop.call_soon(self._push_unpushed)

    def _push_unpushed(self) -> None:
        """Every waiting cell's facts, oldest first (from the timer, once the kernel is idle; never raises). A push the
        socket has no room for is tried again PUSH_RETRY_SECONDS later, with the rest. Before each cell's push, a
        client's message waiting for the kernel (shell_inbox) stops it, also within a cell's measuring
        (IdleMeasuring: between snapshots and between string columns' digests): the cells left wait in unpushed, for
        that cell's _before_next_cell or the next time the kernel is idle (the timer set again), so the next cell
        waits for at most one step of the measuring and for what its code could write."""
        if self._push_timer is not None:
            self._push_timer.cancel()
            self._push_timer = None
        while self.unsent_notices or self.unpushed:
            if not self.unsent_notices and (self._message_waits() and self._make_way()
                                            or not self._measured_in_steps(self.unpushed[0])):
                return
            waiting = self.unsent_notices or self.unpushed  # the notices first, in the order they were made
            if self._send(waiting[0]) if waiting is self.unsent_notices else self._push(waiting[0]):
                waiting.pop(0)
                if waiting is self.unsent_notices:
                    self.notices_retried += 1
                else:
                    self.pushes_retried += self._push_retries > 0
                    # the sidecar takes a burst's first push for its end: a cell still waiting when the next comes
                    # (this flush cut short by a full socket) is announced again (_before_next_cell; rev26)
                    self._announced_onward = False
                self._push_retries = 0
                continue
            self._push_retries += 1
            if self._push_retries < PUSH_RETRIES and self._push_again_later():
                return
            self.unpushed.clear()  # the sidecar asks for these
            self.unsent_notices.clear()
            self._push_retries = 0
        self.deferred_buffers, self.deferred_bytes = {}, 0
        self._in_burst = self._announced_onward = self._made_way = False

    def _push_again_later(self) -> bool:
        try:
            import asyncio

            self._push_timer = asyncio.get_running_loop().call_later(PUSH_RETRY_SECONDS, self._push_unpushed)
            return True
        except RuntimeError:  # no running loop (IPython in a terminal): nothing to wait on
            return False

    def _message_waits(self) -> bool:
        """Whether a client's message waits for the kernel (shell_inbox.waiting, ~1 us); an inbox that fails (a kernel
        layout it cannot read) is dropped, and pushes are not cut short from then on."""
        if self.shell_inbox is None:
            return False
        try:
            return self.shell_inbox.waiting()
        except Exception as error:
            self._note(error)
            self.shell_inbox = None
            return False

    def _make_way(self) -> bool:
        """Stop the push for a waiting message: True, and the push goes on once the kernel is idle again
        (PUSH_AFTER_REPLY_SECONDS after that message is done; a cell puts it off until after its own reply,
        _before_next_cell). False outside a running loop (nothing to go on from): push on."""
        try:
            import asyncio

            loop = asyncio.get_running_loop()
        except RuntimeError as error:
            self._note(error)
            self.shell_inbox = None
            return False
        self._push_timer = loop.call_later(PUSH_AFTER_REPLY_SECONDS, self._push_when_idle, loop)
        self._made_way = True
        self.pushes_made_way += 1
        return True

    def _notify(self, notice: dict) -> None:
        """Send a notice after those still waiting; one the socket has no room for waits with them, and they are sent
        again when the next cell comes and with the pushes (_push_unpushed: PUSH_RETRIES, then dropped)."""
        while self.unsent_notices and self._send(self.unsent_notices[0]):
            self.unsent_notices.pop(0)
            self.notices_retried += 1
        if self.unsent_notices or not self._send(notice):
            self.unsent_notices.append(notice)

    def _push_out_of_turn(self, count: int) -> None:
        """Push one cell now, once, if no notice is waiting (they go first); else neither its push nor its notice goes
        out, and the sidecar asks for it."""
        if not self.unsent_notices:
            self._push(count)
            # the sidecar takes that push for the end of the burst it was told of: the next cell tells it again
            self._announced_onward = False
        else:
            self.unsent_notices = [notice for notice in self.unsent_notices if notice["execution_count"] != count]

    def _send(self, notice: dict) -> bool:
        """False if the socket had no room, else True (sent, or lost for good: the sidecar asks instead)."""
        try:
            self.push_socket.sendto(json.dumps(notice).encode("utf-8"), self.push_path)
        except OSError as error:
            return error.errno not in (errno.EAGAIN, errno.ENOBUFS)
        return True

    def _push(self, count: int) -> bool:
        """Send one cell's facts; False if the socket had no room (sent again later: _push_unpushed), else True (sent,
        or lost for good: the sidecar asks)."""
        try:
            try:
                self.push_socket.sendto(facts_payload(self, count, pushed_by=os.getpid()).encode("utf-8"),
                                        self.push_path)
            except OSError as error:
                if error.errno in (errno.EAGAIN, errno.ENOBUFS):
                    return False
                if error.errno != errno.EMSGSIZE:
                    raise
                # too big for one datagram: say so, so the sidecar asks at once instead of waiting for it (that notice
                # stands for the push: tried again as the push would be)
                return self._send({"execution_count": count, "pushed_by": os.getpid(), "too_big": True})
        except (Exception, KeyboardInterrupt) as error:  # gone: the sidecar will ask instead
            if not isinstance(error, OSError):
                self._note(error)
        return True
