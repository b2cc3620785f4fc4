"""The limited child process: results come back; memory, time, crashes and errors end in a
Chinese reason; the caller's own memory does not grow."""

from __future__ import annotations

import os
import resource
import time

import pytest

from gongkai.core.sandbox import MB, LimitedRunFailed, run_limited


def _double(x):
    return {"x": x * 2, "pid": os.getpid()}


def _hog():
    blocks = []
    while True:
        blocks.append(bytearray(64 * MB))


def _spin():
    while True:
        pass


def _sleep():
    time.sleep(60)


def _abort():
    os.abort()


def _fail():
    raise ValueError("坏数据")


def _interrupt():
    raise KeyboardInterrupt


def test_result_comes_back_from_another_process():
    res = run_limited(_double, 21, timeout=10)
    assert res.value["x"] == 42 and res.value["pid"] != os.getpid()
    assert res.peak_rss_kb > 0


def test_memory_limit():
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    with pytest.raises(LimitedRunFailed, match="超出内存限制（256 MB）") as exc:
        run_limited(_hog, memory_bytes=256 * MB, timeout=20)
    assert exc.value.kind == "memory" and time.perf_counter() - start < 10
    assert exc.value.peak_rss_kb * 1024 < before * 1024 + 300 * MB
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss < before + 10 * 1024  # KB


@pytest.mark.parametrize("fn", [_spin, _sleep])
def test_time_limit(fn):
    start = time.perf_counter()
    with pytest.raises(LimitedRunFailed, match="处理超时") as exc:
        run_limited(fn, timeout=1)
    assert exc.value.kind == "timeout" and time.perf_counter() - start < 5


def test_crash_and_error():
    with pytest.raises(LimitedRunFailed, match="异常退出（信号 SIGABRT）") as exc:
        run_limited(_abort, timeout=10)
    assert exc.value.kind == "crash"
    with pytest.raises(LimitedRunFailed, match="解析失败：ValueError: 坏数据") as exc:
        run_limited(_fail, timeout=10)
    assert exc.value.kind == "error"
    with pytest.raises(LimitedRunFailed, match="^坏数据$") as exc:
        run_limited(_fail, timeout=10, expected=(ValueError,))
    assert exc.value.kind == "rejected"


def test_keyboard_interrupt_in_the_child_is_raised_here():
    with pytest.raises(KeyboardInterrupt):
        run_limited(_interrupt, timeout=10)
