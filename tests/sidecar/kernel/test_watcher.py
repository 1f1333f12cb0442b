"""The kernel watcher's parts: which processes and files count as new kernels, what a cell changes."""

from __future__ import annotations

import asyncio
import json
import os
import threading
import time

from trackit_sidecar.kernel import probe, watcher


def test_changed_names_rebinding_in_place_and_unparsable():
    assert probe.changed_names("df = df[df.a > 0]\nn = len(df)") == ["df", "n"]
    assert probe.changed_names("df['b'] = 1\nother.loc[0, 'a'] = 2\ndel third['x']") == ["df", "other", "third"]
    assert probe.changed_names("df.drop(columns=['b'], inplace=True)\narr.sort()\nx.head()") == ["df", "arr"]
    assert probe.changed_names("df.drop(columns=['b'], inplace=False)\nprint(df)") == []
    assert probe.changed_names("import pandas as pd\nfor i, row in rows: pass\ntotal += 1") == ["pd", "i", "row", "total"]
    assert probe.changed_names("a, (b, *c) = f()\nwith open(p) as fh: pass") == ["a", "b", "c", "fh"]
    # a magic the transformer left: every name it mentions, so a change is never hidden
    assert probe.changed_names("%time df = clean(df)") == ["time", "df", "clean"]


def test_parse_stat_and_ancestry():
    # comm may hold spaces and parentheses; ppid is the field after the state
    text = "4242 (python (my) kernel) S 4000 4242 4242 0 -1 4194304 " + " ".join(["0"] * 12) + " 98765 0 0"
    assert watcher.parse_stat(text) == (4000, 98765.0)
    parents = {50: 40, 40: 30, 30: 1}
    assert watcher.descends_from(50, 30, parents.get)
    assert watcher.descends_from(50, 40, parents.get)
    assert not watcher.descends_from(50, 99, parents.get)
    assert not watcher.descends_from(30, 30, parents.get)  # not its own ancestor
    assert not watcher.descends_from(50, 30, {50: None}.get)  # unknown parent: no


def test_runtime_file_names_and_kernel_language():
    assert watcher.is_runtime_kernel_file("/r/kernel-1f2e.json")
    assert not watcher.is_runtime_kernel_file("/r/jpserver-12.json")
    assert not watcher.is_runtime_kernel_file("/r/kernel-1f2e.json.tmp")
    specs = {"python3": "python", "ir": "R"}.get
    assert watcher.python_kernel_from_info({"kernel_name": "python3"}, specs)
    assert not watcher.python_kernel_from_info({"kernel_name": "ir"}, specs)
    assert not watcher.python_kernel_from_info({"kernel_name": "gone"}, specs)
    assert not watcher.python_kernel_from_info({}, specs)
    assert watcher.kernelspec_language("python3") == "python"  # the real installed spec


def test_read_connection_info_waits_for_a_file_being_written_and_rejects_garbage(tmp_path):
    path = tmp_path / "kernel-a.json"
    path.write_text("")
    assert watcher.read_connection_info(str(path), wait_s=0.2) is None
    path.write_text(json.dumps({"shell_port": 5, "ip": "127.0.0.1"}))
    assert watcher.read_connection_info(str(path))["shell_port"] == 5
    (tmp_path / "bad.json").write_text("{not json")
    assert watcher.read_connection_info(str(tmp_path / "bad.json"), wait_s=0.1) is None
    assert watcher.read_connection_info(str(tmp_path / "missing.json"), wait_s=0.1) is None


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
    assert [(k.connection_file, k.pid, k.python_known) for k in first] == [("/tmp/young.json", 102, True)]
    assert scanner.scan() == []  # nothing new

    _fake_proc(proc, 103, 102, ["bash"])  # a fork that has not exec'd the kernel yet
    _fake_proc(proc, 200, 1, ["python", "-m", "ipykernel_launcher", "-f", "/tmp/someone-elses.json"])
    assert scanner.scan() == []
    (proc / "103" / "cmdline").write_bytes(b"python\0-m\0ipykernel_launcher\0-f\0k.json\0")
    (proc / "103" / "cwd").symlink_to(tmp_path)
    assert [k.connection_file for k in scanner.scan()] == [str(tmp_path / "k.json")]
    assert scanner.scan() == []


async def test_watcher_offers_each_new_runtime_kernel_once(tmp_path):
    runtime = tmp_path / "runtime"
    runtime.mkdir()
    stale = runtime / "kernel-old.json"
    stale.write_text("{}")
    os.utime(stale, (time.time() - 3600, time.time() - 3600))
    (runtime / "kernel-recent.json").write_text("{}")  # the editor started it while we were starting
    seen: list[str] = []
    arrived = asyncio.Event()
    loop = asyncio.get_running_loop()
    wanted = {"on": True}

    def attach(kernel):
        seen.append(os.path.basename(kernel.connection_file))
        loop.call_soon_threadsafe(arrived.set)
        return "ok"

    w = watcher.KernelWatcher(attach, lambda: wanted["on"], runtime_dir=str(runtime),
                              proc=tmp_path / "no-proc", young_s=10)
    task = asyncio.ensure_future(w.run())
    try:
        await asyncio.wait_for(arrived.wait(), 30)
        assert seen == ["kernel-recent.json"]
        arrived.clear()
        await asyncio.sleep(0.3)  # let awatch start watching (no assertion on time)
        (runtime / "kernel-new.json").write_text("{}")
        (runtime / "notes.txt").write_text("not a kernel")
        await asyncio.wait_for(arrived.wait(), 30)
        (runtime / "kernel-new.json").write_text('{"rewritten": 1}')  # a rewrite is not a new kernel
        w.offer([watcher.FoundKernel(str(runtime / "kernel-new.json"))])  # nor is the same file from /proc
        await asyncio.sleep(0.5)
        assert sorted(seen) == ["kernel-new.json", "kernel-recent.json"]
    finally:
        wanted["on"] = False
        await asyncio.wait_for(task, 30)
    assert len(w.results) == 2


def test_a_runtime_file_is_matched_to_its_ipykernel_process(tmp_path):
    proc = tmp_path / "proc"
    proc.mkdir()
    _fake_proc(proc, 300, 1, ["python", "-m", "ipykernel_launcher", "-f", "/run/kernel-a.json"])
    _fake_proc(proc, 301, 1, ["R", "--slave", "-f", "/run/kernel-b.json"])
    assert watcher.ipykernel_process_for("/run/kernel-a.json", proc, wait_s=0)
    assert not watcher.ipykernel_process_for("/run/kernel-b.json", proc, wait_s=0)  # not ipykernel
    assert not watcher.ipykernel_process_for("/run/kernel-c.json", proc, wait_s=0.1)  # no process


def test_offer_attaches_once_per_kernel_and_again_after_a_restart(tmp_path):
    attached = []
    done = threading.Event()

    def attach(kernel):
        attached.append((os.path.basename(kernel.connection_file), kernel.pid))
        done.set()

    w = watcher.KernelWatcher(attach, runtime_dir=None, proc=tmp_path / "no-proc")

    def offer(kernel, attaches: bool):
        done.clear()
        w.offer([kernel])
        if attaches:
            assert done.wait(10)
        else:
            time.sleep(0.05)  # let a (wrong) attach thread run before we look

    a = str(tmp_path / "kernel-a.json")
    offer(watcher.FoundKernel(a), True)  # from the runtime dir
    offer(watcher.FoundKernel(a, pid=10), False)  # the same kernel, seen as a process
    offer(watcher.FoundKernel(a, pid=10), False)
    offer(watcher.FoundKernel(a, pid=11), True)  # restarted: same file, new process
    b = str(tmp_path / "kernel-b.json")
    offer(watcher.FoundKernel(b, pid=20), True)  # VS Code style: process first
    offer(watcher.FoundKernel(b), False)  # then its file event: already attached
    assert attached == [("kernel-a.json", None), ("kernel-a.json", 11), ("kernel-b.json", 20)]
