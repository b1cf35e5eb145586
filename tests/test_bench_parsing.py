"""scripts/bench.py reads wrk's latency table, not the percentages before it."""

from __future__ import annotations

from pathlib import Path

import pytest

WRK_OUTPUT = """\
Running 10s test @ http://127.0.0.1:8150/robots.txt
  1 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    19.06ms    3.00ms  50.00ms   87.99%
    Req/Sec   410.39     34.61   490.00     75.50%
  Latency Distribution
     50%   18.90ms
     75%   20.12ms
     90%   22.40ms
     99%   31.30ms
  4090 requests in 10.01s, 1.20MB read
Requests/sec:    408.62
Transfer/sec:    122.67KB
"""


@pytest.fixture
def bench(monkeypatch):
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parent.parent / "scripts"))
    import bench as module  # scripts/ is not a package on sys.path

    return module


def test_percentiles_come_from_the_distribution_table(bench):
    assert bench.percentile(WRK_OUTPUT, 50) == pytest.approx(18.9)
    assert bench.percentile(WRK_OUTPUT, 99) == pytest.approx(31.3)


def test_missing_percentile_is_a_clear_error(bench):
    with pytest.raises(SystemExit, match="no 99% latency"):
        bench.percentile("Requests/sec: 1\n", 99)


def test_wrk_result_carries_the_request_count(bench, monkeypatch):
    class Done:
        stdout = WRK_OUTPUT

    monkeypatch.setattr(bench.subprocess, "run", lambda *args, **kwargs: Done())
    rps, p50, p99, errors, requests = bench.wrk("http://x/", [], duration=10, connections=8)
    assert (rps, p50, p99, errors, requests) == (408.62, 18.9, 31.3, 0, 4090)


def test_rss_is_read_from_proc(bench):
    import os

    assert 1 < bench.rss_mb(os.getpid()) < 10_000


def test_server_percentiles_come_from_the_access_log(bench):
    lines = [f'{{"message": "GET /contacts/ 200", "duration_ms": {ms}}}' for ms in range(1, 101)]
    lines += ["not json", '{"message": "no duration"}', '["a list"]', ""]
    assert bench.server_percentiles(lines) == (50.0, 99.0)
    assert bench.server_percentiles(['{"duration_ms": 7.5}']) == (7.5, 7.5)
    assert bench.server_percentiles(["gunicorn says hello"]) is None
