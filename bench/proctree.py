"""Memory of a process tree, read from /proc (for the benchmarks): one sampler shared by every bench script."""
from __future__ import annotations

from pathlib import Path


def _proc_table(with_cmd: bool = True) -> tuple[dict[int, list[int]], dict[int, int], dict[int, str]]:
    """Children, RSS (KiB) and command line (only ``with_cmd``) of every process."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    cmd: dict[int, str] = {}
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            status = (d / "status").read_text()
            cmdline = (d / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace") if with_cmd else ""
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        p = int(d.name)
        children.setdefault(int(fields.get("PPid", "0").strip()), []).append(p)
        rss[p] = int(fields["VmRSS"].split()[0]) if "VmRSS" in fields else 0
        cmd[p] = cmdline
    return children, rss, cmd


def sample(pid: int) -> tuple[int, int, int]:
    """(RSS of pid, RSS summed over its tree, Prefect server processes in the tree), RSS in KiB."""
    children, rss, cmd = _proc_table()
    total, servers, stack = 0, 0, [pid]
    while stack:
        p = stack.pop()
        total += rss.get(p, 0)
        servers += "uvicorn" in cmd.get(p, "") and "prefect" in cmd.get(p, "")
        stack += children.get(p, [])
    return rss.get(pid, 0), total, servers


def tree_rss_kib(pid: int) -> int:
    """RSS (KiB) of ``pid`` and all its descendants."""
    return sample(pid)[1]


def _pss_kib(pid: int) -> int:
    """Proportional set size (KiB) of ``pid``: pages shared with other processes (libraries, the Sudachi
    dictionary's mmap, copy-on-write pages) counted once over all who share them."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def tree_rss_pss_kib(*pids: int, pss: bool = True) -> tuple[int, int | None]:
    """(RSS summed over ``pids`` and their descendants, PSS summed over the same, or None without ``pss``), KiB,
    from one pass over /proc. The RSS sum counts a shared page once per process; the PSS sum is what the trees
    really hold. Reading PSS (``smaps_rollup``) makes the kernel walk each process's page tables: ~7 ms of CPU
    per sample of the daemon's tree, which a benchmark that samples every 0.1 s should not pay every time."""
    children, rss, _ = _proc_table(with_cmd=False)
    total_rss, total_pss, seen = 0, 0, set()
    stack = list(pids)
    while stack:
        p = stack.pop()
        if p in seen:
            continue
        seen.add(p)
        total_rss += rss.get(p, 0)
        total_pss += _pss_kib(p) if pss else 0
        stack += children.get(p, [])
    return total_rss, (total_pss if pss else None)
