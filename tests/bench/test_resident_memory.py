"""bench/resident_memory.py: /proc/<pid>/status read into MB, and the sampled high-water mark of RssAnon, on a real
child process (no benchmark runs here, and no size is asserted but the child's own)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "bench"))

import sidecar_rows  # noqa: E402
from resident_memory import AnonPeak, parse_status, resident_mb  # noqa: E402

STATUS = """Name:\tpython
VmPeak:\t  900000 kB
VmHWM:\t  215040 kB
VmRSS:\t  204800 kB
RssAnon:\t  139264 kB
RssFile:\t   65536 kB
RssShmem:\t       0 kB
"""


def test_the_status_fields_are_read_in_mb_and_no_others():
    assert parse_status(STATUS) == {"VmHWM": 210.0, "VmRSS": 200.0, "RssAnon": 136.0, "RssFile": 64.0}


def test_the_sampled_peak_is_the_highest_sample_not_the_last():
    values = iter([10.0, 30.0, 20.0])
    peak = AnonPeak(0, read=lambda: next(values), every_s=3600)  # the thread sleeps: samples taken by `peak` only
    assert peak.peak() == 30.0  # the first sample (at start), then this moment's
    assert peak.peak() == 30.0  # 20 now, 30 before
    peak.stop()


def test_sampling_stops_once_the_process_is_gone():
    def gone() -> float:
        raise FileNotFoundError("/proc/0/status")

    peak = AnonPeak(0, read=gone, every_s=0.001)
    peak._thread.join(timeout=5)
    assert not peak._thread.is_alive() and peak.samples == 0


def test_a_real_process_anonymous_spike_is_kept_after_it_is_freed():
    child = subprocess.Popen(
        [sys.executable, "-c", "import sys\nb = bytearray(64 * 2**20)\nprint('held', flush=True)\nsys.stdin.readline()\n"
                               "del b\nprint('freed', flush=True)\nsys.stdin.readline()\n"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        peak = AnonPeak(child.pid, every_s=0.005)
        assert child.stdout.readline() == "held\n"
        held = resident_mb(child.pid)["RssAnon"]
        sampled = peak.samples
        while peak.samples < sampled + 2:  # a sample wholly taken while the bytes are held
            time.sleep(0.001)
        child.stdin.write("\n")
        child.stdin.flush()
        assert child.stdout.readline() == "freed\n"
        assert resident_mb(child.pid)["RssAnon"] < held - 32  # given back: only the peak remembers it
        assert peak.peak() >= held - 1  # the kernel batches RSS counters per thread: a few pages of slack
        peak.stop()
    finally:
        child.kill()
        child.wait()


def test_the_memory_row_shows_the_anonymous_high_water_mark_beside_the_total_and_is_judged_on_the_total():
    def build(peak: float, anon: float) -> dict[str, float]:
        return {"peak_mb": peak, "peak_by_end_of_serving_mb": peak - 5, "anon_peak_mb": anon}

    row = sidecar_rows.memory([build(205.0, 140.0), build(210.0, 150.0)], 25, 2000)
    figures = {f.name: (f.value, f.baseline) for f in row.headline}
    assert figures["high-water mark"] == (205.0, 210.0)
    assert figures["anonymous high-water mark (RssAnon, sampled)"] == (140.0, 150.0)
    assert not row.met  # 205 MB of RSS: the target stays the total's, however low the anonymous part
