"""Memory of a process tree, read from /proc (for the benchmarks): one sampler shared by every bench script."""
from __future__ import annotations

from pathlib import Path


def _proc_table() -> tuple[dict[int, list[int]], dict[int, int], dict[int, str]]:
    """Children, RSS (KiB) and command line of every process."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    cmd: dict[int, str] = {}
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            status = (d / "status").read_text()
            cmdline = (d / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
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


def tree_rss_pss_kib(pid: int) -> tuple[int, int]:
    """(RSS summed over ``pid`` and its descendants, PSS summed over the same), KiB. The RSS sum counts a shared
    page once per process; the PSS sum is what the tree really holds."""
    children, rss, _ = _proc_table()
    total_rss = total_pss = 0
    stack = [pid]
    while stack:
        p = stack.pop()
        total_rss += rss.get(p, 0)
        total_pss += _pss_kib(p)
        stack += children.get(p, [])
    return total_rss, total_pss
