"""The kernel watcher's parts: which processes count as the editor's new kernels, what a cell changes."""

from __future__ import annotations

import asyncio
import json
import os
import threading
import time

from trackit_sidecar.kernel import connection, discovery, watcher
from trackit_sidecar.kernel.probe import cell_source


def test_changed_names_rebinding_in_place_and_unparsable():
    assert cell_source.changed_names("df = df[df.a > 0]\nn = len(df)") == ["df", "n"]
    assert cell_source.changed_names("df['b'] = 1\nother.loc[0, 'a'] = 2\ndel third['x']") == ["df", "other", "third"]
    assert cell_source.changed_names("df.drop(columns=['b'], inplace=True)\narr.sort()\nx.head()") == ["df", "arr"]
    assert cell_source.changed_names("df.drop(columns=['b'], inplace=False)\nprint(df)") == []
    assert cell_source.changed_names("import pandas as pd\nfor i, row in rows: pass\ntotal += 1") == ["pd", "i", "row", "total"]
    assert cell_source.changed_names("a, (b, *c) = f()\nwith open(p) as fh: pass") == ["a", "b", "c", "fh"]
    # a magic the transformer left: every name it mentions, so a change is never hidden
    assert cell_source.changed_names("%time df = clean(df)") == ["time", "df", "clean"]


def test_parse_stat_and_ancestry():
    # comm may hold spaces and parentheses; ppid is the field after the state
    text = "4242 (python (my) kernel) S 4000 4242 4242 0 -1 4194304 " + " ".join(["0"] * 12) + " 98765 0 0"
    assert discovery.parse_stat(text) == (4000, 98765.0)
    parents = {50: 40, 40: 30, 30: 1}
    assert discovery.descends_from(50, 30, parents.get)
    assert discovery.descends_from(50, 40, parents.get)
    assert not discovery.descends_from(50, 99, parents.get)
    assert not discovery.descends_from(30, 30, parents.get)  # not its own ancestor
    assert not discovery.descends_from(50, 30, {50: None}.get)  # unknown parent: no


def test_kernel_language_from_its_connection_file():
    specs = {"python3": "python", "ir": "R"}.get
    assert connection.python_kernel_from_info({"kernel_name": "python3"}, specs)
    assert not connection.python_kernel_from_info({"kernel_name": "ir"}, specs)
    assert not connection.python_kernel_from_info({"kernel_name": "gone"}, specs)
    assert not connection.python_kernel_from_info({}, specs)
    assert connection.kernelspec_language("python3") == "python"  # the real installed spec


def test_read_connection_info_waits_for_a_file_being_written_and_rejects_garbage(tmp_path):
    path = tmp_path / "kernel-a.json"
    path.write_text("")
    assert connection.read_connection_info(str(path), wait_s=0.2) is None
    path.write_text(json.dumps({"shell_port": 5, "ip": "127.0.0.1"}))
    assert connection.read_connection_info(str(path))["shell_port"] == 5
    (tmp_path / "bad.json").write_text("{not json")
    assert connection.read_connection_info(str(tmp_path / "bad.json"), wait_s=0.1) is None
    assert connection.read_connection_info(str(tmp_path / "missing.json"), wait_s=0.1) is None


def test_connection_file_for_a_kernel_id_stays_in_the_runtime_dir(tmp_path):
    (tmp_path / "kernel-1f2e-aa.json").write_text("{}")
    assert connection.connection_file_for_id("1f2e-aa", str(tmp_path)) == str(tmp_path / "kernel-1f2e-aa.json")
    assert connection.connection_file_for_id("missing", str(tmp_path)) is None
    assert connection.connection_file_for_id("../../etc/passwd", str(tmp_path)) is None
    assert connection.connection_file_for_id(None, str(tmp_path)) is None


def _fake_proc(root, pid, ppid, argv, start_ticks=0):
    d = root / str(pid)
    d.mkdir()
    (d / "cmdline").write_bytes(b"\0".join(a.encode() for a in argv) + b"\0")
    (d / "stat").write_text(f"{pid} (x) S {ppid} 0 0 0 -1 0 " + " ".join(["0"] * 12) + f" {start_ticks} 0 0")


def test_process_scanner_reports_new_kernels_under_the_editor_only(tmp_path):
    proc = tmp_path / "proc"
    proc.mkdir()
    boot = int(time.time()) - 1000
    (proc / "stat").write_text(f"cpu 0 0\nbtime {boot}\n")
    ticks = os.sysconf("SC_CLK_TCK")
    old, young = 10 * ticks, 999 * ticks  # started 990 s ago / 1 s ago
    _fake_proc(proc, 100, 1, ["node", "extension-host"])
    _fake_proc(proc, 101, 100, ["python", "-m", "ipykernel_launcher", "-f", "/tmp/old.json"], old)
    _fake_proc(proc, 102, 100, ["python", "-m", "ipykernel_launcher", "--f=/tmp/young.json"], young)
    scanner = watcher.ProcessScanner(ancestor=100, proc=proc)
    first = scanner.scan(young_s=10)
    assert [(k.connection_file, k.pid) for k in first] == [("/tmp/young.json", 102)]
    assert scanner.scan() == []  # nothing new

    _fake_proc(proc, 103, 102, ["bash"])  # a fork that has not exec'd the kernel yet
    _fake_proc(proc, 200, 1, ["python", "-m", "ipykernel_launcher", "-f", "/tmp/someone-elses.json"])
    assert scanner.scan() == []
    (proc / "103" / "cmdline").write_bytes(b"python\0-m\0ipykernel_launcher\0-f\0k.json\0")
    (proc / "103" / "cwd").symlink_to(tmp_path)
    assert [k.connection_file for k in scanner.scan()] == [str(tmp_path / "k.json")]
    assert scanner.scan() == []


def test_editor_kernels_lists_only_kernels_under_the_editor(tmp_path):
    proc = tmp_path / "proc"
    proc.mkdir()
    _fake_proc(proc, 100, 1, ["node", "extension-host"])
    _fake_proc(proc, 101, 100, ["python", "-m", "ipykernel_launcher", "-f", "/run/mine.json"])
    _fake_proc(proc, 102, 101, ["python", "worker.py"])
    _fake_proc(proc, 200, 1, ["python", "-m", "ipykernel_launcher", "-f", "/run/jupyterlab.json"])
    _fake_proc(proc, 300, 7, ["python", "-m", "ipykernel_launcher", "-f", "/run/other-window.json"])
    table = discovery.ProcTable(proc)
    assert discovery.editor_kernels(100, table) == [discovery.EditorKernel(101, "/run/mine.json")]
    assert discovery.editor_kernels(None, table) == []  # no editor known: nothing is ours
    assert discovery.process_of("/run/jupyterlab.json", table) == 200
    assert discovery.process_of("/run/nobody.json", table) is None


def test_no_ancestor_means_no_kernel_is_ever_reported(tmp_path):
    proc = tmp_path / "proc"
    proc.mkdir()
    _fake_proc(proc, 101, 1, ["python", "-m", "ipykernel_launcher", "-f", "/run/k.json"])
    assert watcher.ProcessScanner(ancestor=None, proc=proc).scan() == []


async def test_watcher_reports_new_editor_kernels_and_never_anothers(tmp_path):
    proc = tmp_path / "proc"
    proc.mkdir()
    (proc / "stat").write_text(f"cpu 0 0\nbtime {int(time.time()) - 1000}\n")
    _fake_proc(proc, 100, 1, ["node", "extension-host"])
    seen: list[tuple[str, int]] = []
    arrived = asyncio.Event()
    loop = asyncio.get_running_loop()
    wanted = {"on": True}

    def on_new_kernel(kernel):
        seen.append((os.path.basename(kernel.connection_file), kernel.pid))
        loop.call_soon_threadsafe(arrived.set)
        return "handled"

    w = watcher.KernelWatcher(on_new_kernel, lambda: wanted["on"], ancestor=100, proc=proc, scan_interval=0.02)
    task = asyncio.ensure_future(w.run())
    try:
        await asyncio.sleep(0.1)
        _fake_proc(proc, 200, 1, ["python", "-m", "ipykernel_launcher", "-f", "/run/someone-elses.json"])
        _fake_proc(proc, 101, 100, ["python", "-m", "ipykernel_launcher", "-f", "/run/kernel-mine.json"])
        await asyncio.wait_for(arrived.wait(), 30)
        await asyncio.sleep(0.2)  # more scans: neither the same pid again nor the other program's kernel
        assert seen == [("kernel-mine.json", 101)]
    finally:
        wanted["on"] = False
        await asyncio.wait_for(task, 30)
    assert w.results == ["handled"]


def test_offer_handles_each_process_once_and_a_restart_again(tmp_path):
    handled = []
    done = threading.Event()

    def on_new_kernel(kernel):
        handled.append((os.path.basename(kernel.connection_file), kernel.pid))
        done.set()

    w = watcher.KernelWatcher(on_new_kernel, proc=tmp_path / "no-proc")

    def offer(kernel, handles: bool):
        done.clear()
        w.offer([kernel])
        if handles:
            assert done.wait(10)
        else:
            time.sleep(0.05)  # let a (wrong) thread run before we look

    a = str(tmp_path / "kernel-a.json")
    offer(watcher.FoundKernel(a, pid=10), True)
    offer(watcher.FoundKernel(a, pid=10), False)
    offer(watcher.FoundKernel(a, pid=11), True)  # restarted: same file, new process
    assert handled == [("kernel-a.json", 10), ("kernel-a.json", 11)]
