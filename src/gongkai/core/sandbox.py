"""Run a function on untrusted input in a child process with a memory and a time limit (受限子进程).

:func:`run_limited` forks, caps the child's address space (``RLIMIT_AS``) and CPU time
(``RLIMIT_CPU``), runs the function there and sends the pickled result back through a pipe; the
parent kills the child at the wall-clock deadline. Whatever the input does — exhaust memory,
loop, crash the C parser — the caller gets a result or a :class:`LimitedRunFailed` with a Chinese
reason, and its own memory never grows.

Fork rather than spawn: the child inherits the loaded parser modules, so a run costs a few
milliseconds instead of a fresh interpreter's second of imports. The address-space cap is the
parent's current virtual size plus ``memory_bytes`` (a forked child starts with the parent's
mappings, which it shares and does not copy). The child never touches the parent's database
connection: it only computes and leaves with ``os._exit``.

POSIX only; pure Python, no Django.
"""

from __future__ import annotations

import faulthandler
import os
import pickle
import resource
import select
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

MB = 1024 * 1024


class LimitedRunFailed(Exception):
    """The child failed: ``kind`` is timeout | memory | crash | error | rejected; the message is
    Chinese (shown to the user); ``peak_rss_kb`` is the child's peak resident size."""

    def __init__(self, kind: str, message: str, peak_rss_kb: int = 0):
        super().__init__(message)
        self.kind = kind
        self.peak_rss_kb = peak_rss_kb


@dataclass
class LimitedResult:
    value: Any
    peak_rss_kb: int
    seconds: float


def _vm_size() -> int:
    """This process's virtual size in bytes (/proc/self/statm), 0 when unknown."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _child(fn: Callable, args: tuple, w: int, memory_bytes: int, timeout: float, expected: tuple) -> None:
    status = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        faulthandler.disable()  # a crash is reported to the parent, not dumped on its stderr
        limit = _vm_size() + memory_bytes
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        cpu = int(timeout) + 2
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
        try:
            payload = ("ok", fn(*args))
        except MemoryError:
            payload = ("memory", "")
        except KeyboardInterrupt:
            payload = ("interrupt", "")
        except expected as exc:
            payload = ("rejected", str(exc))
        except Exception as exc:  # noqa: BLE001 - untrusted input: any failure is reported
            payload = ("error", f"{type(exc).__name__}: {exc}"[:1000])
        try:
            data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            data = pickle.dumps(("memory", ""))
        except Exception as exc:  # noqa: BLE001 - an unpicklable result
            data = pickle.dumps(("error", f"结果无法传回：{type(exc).__name__}"))
        view = memoryview(data)
        while view:
            n = os.write(w, view[: 1 << 16])
            view = view[n:]
    except BaseException:  # noqa: BLE001 - the child must never return into the caller's code
        status = 70
    finally:
        os._exit(status)


def run_limited(
    fn: Callable,
    *args: Any,
    memory_bytes: int = 1024 * MB,
    timeout: float = 60.0,
    expected: tuple[type[BaseException], ...] = (),
) -> LimitedResult:
    """``fn(*args)`` in a forked child inside the limits. Exceptions of the ``expected`` types
    come back as ``LimitedRunFailed("rejected", str(exc))``; KeyboardInterrupt in the child is
    raised again here."""
    r, w = os.pipe()
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        os.close(r)
        _child(fn, args, w, memory_bytes, timeout, expected)
    os.close(w)
    chunks: list[bytes] = []
    timed_out = False
    deadline = start + timeout
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                timed_out = True
                break
            ready, _, _ = select.select([r], [], [], min(left, 1.0))
            if not ready:
                continue
            chunk = os.read(r, 1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
    except BaseException:
        os.kill(pid, signal.SIGKILL)
        os.wait4(pid, 0)
        raise
    finally:
        os.close(r)
    if timed_out:
        os.kill(pid, signal.SIGKILL)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.monotonic() - start
    peak = int(usage.ru_maxrss)
    if timed_out:
        raise LimitedRunFailed("timeout", f"处理超时（超过 {timeout:g} 秒），已终止", peak)
    if not chunks:
        if os.WIFSIGNALED(status):
            sig = os.WTERMSIG(status)
            if sig == signal.SIGXCPU:
                raise LimitedRunFailed("timeout", f"处理超时（CPU 时间超过 {timeout:g} 秒），已终止", peak)
            raise LimitedRunFailed(
                "crash", f"处理进程异常退出（信号 {signal.Signals(sig).name}），可能超出内存限制", peak
            )
        raise LimitedRunFailed("crash", f"处理进程异常退出（状态 {os.waitstatus_to_exitcode(status)}）", peak)
    try:
        kind, value = pickle.loads(b"".join(chunks))
    except Exception:  # noqa: BLE001 - truncated result (child killed mid-write)
        raise LimitedRunFailed("crash", "处理进程异常退出，结果不完整", peak) from None
    if kind == "ok":
        return LimitedResult(value, peak, seconds)
    if kind == "interrupt":
        raise KeyboardInterrupt
    if kind == "memory":
        raise LimitedRunFailed("memory", f"超出内存限制（{memory_bytes // MB} MB），已终止", peak)
    if kind == "rejected":
        raise LimitedRunFailed("rejected", value, peak)
    raise LimitedRunFailed("error", f"解析失败：{value}", peak)
