"""Whether a client's message (an execute_request, or any other shell message) waits for the kernel's main thread, asked
without taking it: a push made while the kernel is idle stops for it (PushChannel._push_unpushed), so the next cell
does not wait for the measuring of earlier cells.

Where a shell message can be, in ipykernel 7 (7.4 read): the shell socket (a ROUTER read by the shell channel thread)
-> an inproc PAIR socket the main thread's event loop reads -> a task that takes the main shell's asyncio lock and
dispatches it. In ipykernel 6 (and 7 without a shell channel thread) the main thread reads the shell socket itself;
6 queues what it read in msg_queue. Each place is asked at the cost of microseconds:
- a socket: poll(2) on its ZMQ_FD, the descriptor libzmq signals when a command (a message coming in) reaches the
  socket. It is only polled, never read: zmq's own ZMQ_EVENTS would process the commands and take the edge the
  event loop waits on, and the message would stay unread. The ROUTER's is read by the shell channel thread; polling
  its descriptor from here reads nothing of the socket, and shows a message before that thread (waiting for the GIL
  the measuring holds, up to sys.getswitchinterval()) has forwarded it;
- the lock: held while a message is being dispatched, from when its task starts (an async cell awaits before its
  pre_run_cell);
- msg_queue (ipykernel 6): messages read, not yet dispatched.
A message read in the same turn of the event loop as the push's timer fired is seen by none of these (its task is
queued, not started): the push starts one turn later (PushChannel._push_when_idle), after that task's first step.
"""

from __future__ import annotations

import select


class ShellInbox:
    def __init__(self, descriptors: list[int], lock, queue):
        self._poller = select.poll()
        for descriptor in descriptors:
            self._poller.register(descriptor, select.POLLIN)
        self._lock = lock
        self._queue = queue

    def waiting(self) -> bool:
        """True if a shell message waits for the main thread or is being dispatched (~2 us: one poll(2) call)."""
        if self._lock is not None and self._lock.locked():
            return True
        if self._queue is not None and self._queue.qsize():
            return True
        return bool(self._poller.poll(0))


def shell_inbox(shell) -> ShellInbox | None:
    """The inbox of the kernel `shell` runs in, or None outside an ipykernel (IPython in a terminal) or in a layout not
    known here (then a push is never cut short, as before kern31)."""
    kernel = getattr(shell, "kernel", None)
    stream = getattr(kernel, "shell_stream", None)
    if stream is None:
        return None
    sockets = [stream.socket]
    thread = getattr(kernel, "shell_channel_thread", None)
    if thread is not None:  # ipykernel 7: the main thread reads what the shell channel thread forwards
        sockets.append(thread.manager.get_shell_channel_to_subshell_pair(None).to_socket)
    # ZMQ_FD is read once, here on the main thread: it is the socket's fixed mailbox descriptor
    return ShellInbox([zmq_socket.FD for zmq_socket in sockets], getattr(kernel, "_main_asyncio_lock", None),
                      getattr(kernel, "msg_queue", None))
