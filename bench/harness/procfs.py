"""Memory and CPU from /proc: of a process, of its process tree (extraction workers are
child processes), and of each thread of this process."""

from __future__ import annotations

import contextlib
import os
import threading
import time


def rss_of(pid: int | str = "self") -> dict[str, float]:
    """VmRSS and VmHWM (peak) of a process, in MiB, from /proc."""
    out = {}
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith(("VmRSS:", "VmHWM:")):
                    key, value = line.split(":", 1)
                    out[key] = int(value.split()[0]) / 1024
    except OSError:
        pass
    return out


def _stat(pid: int | str) -> list[str] | None:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()
    except OSError:
        return None


def tree_pids(root: int) -> list[int]:
    """``root`` and its live descendants (extraction workers are child processes)."""
    parents: dict[int, int] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            fields = _stat(name)
            if fields:
                parents[int(name)] = int(fields[1])
    out, frontier = [root], [root]
    while frontier:
        frontier = [pid for pid, parent in parents.items() if parent in frontier]
        out.extend(frontier)
    return out


def tree_cpu_s(root: int) -> float:
    """CPU seconds of a process tree: each live process's own time plus that of its reaped children."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in tree_pids(root):
        fields = _stat(pid)
        if fields:
            total += sum(int(x) for x in fields[11:15])  # utime stime cutime cstime
    return total / tick


def tree_rss_mb(root: int) -> tuple[float, float, int]:
    """RSS of the root process, of the whole tree (MiB), and the number of processes."""
    pids = tree_pids(root)
    sizes = [rss_of(pid).get("VmRSS", 0.0) for pid in pids]
    return sizes[0], sum(sizes), len(pids)


class RssPoller:
    """Poll a child's RSS (and its process tree's) from /proc; keep the peaks and a timeline."""

    def __init__(self, pid: int, interval: float = 0.25) -> None:
        self.pid = pid
        self.interval = interval
        self.peak = 0.0
        self.peak_tree = 0.0
        self.samples: list[tuple[float, float, float]] = []
        self._stop = threading.Event()
        self._start = time.perf_counter()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            rss, tree, _n = tree_rss_mb(self.pid)
            if rss:
                self.peak = max(self.peak, rss)
                self.peak_tree = max(self.peak_tree, tree)
                self.samples.append((round(time.perf_counter() - self._start, 2), round(rss, 1), round(tree, 1)))
            self._stop.wait(self.interval)

    def stop(self) -> None:
        self._stop.set()
        self.thread.join()


def self_rusage() -> dict[str, float]:
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {"cpu_user_s": usage.ru_utime, "cpu_sys_s": usage.ru_stime, "maxrss_mb": usage.ru_maxrss / 1024}


class ThreadCpu:
    """Sample per-thread CPU time from /proc/self/task every second (threads that end keep
    their last value), so a report can say where the CPU went: reactor thread vs DB writer."""

    def __init__(self) -> None:
        self.cpu: dict[int, float] = {}
        self.names: dict[int, str] = {}
        self._stop = threading.Event()
        self._tick = os.sysconf("SC_CLK_TCK")
        self.thread = threading.Thread(target=self._run, name="bench-sampler", daemon=True)
        self.thread.start()

    def sample(self) -> None:
        for thread in threading.enumerate():
            if thread.native_id is not None:
                self.names[thread.native_id] = thread.name
        with contextlib.suppress(OSError):
            for tid in os.listdir("/proc/self/task"):
                try:
                    with open(f"/proc/self/task/{tid}/stat") as fh:
                        fields = fh.read().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                self.cpu[int(tid)] = (int(fields[11]) + int(fields[12])) / self._tick

    def _run(self) -> None:
        while not self._stop.wait(1.0):
            self.sample()

    def report(self) -> dict[str, float]:
        self._stop.set()
        self.sample()
        out: dict[str, float] = {}
        for tid, seconds in self.cpu.items():
            name = self.names.get(tid, "short-lived threads")
            if name.startswith("newswatch-db"):
                name = "newswatch-db (writer)"
            elif name.startswith("ThreadPoolExecutor") or name.startswith("Dummy"):
                name = "other pool threads"
            out[name] = round(out.get(name, 0.0) + seconds, 2)
        return {k: v for k, v in sorted(out.items(), key=lambda kv: -kv[1]) if v >= 0.01}


def proc_status(field: str) -> int:
    """A /proc/self/status value in bytes (VmRSS, VmHWM)."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    return 0


def reset_peak() -> bool:
    """Reset VmHWM to the current RSS (Linux >= 4.0)."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def malloc_trim() -> None:
    """Give freed heap memory back to the OS, so an RSS delta counts only new allocations."""
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
