"""Chat decisions: a 200-character chat message through the SDK and through the LINE proxy,
side by side with a direct library call (issue 12, part 5).

Starts ``dlp serve`` (bundled packs and registry) and ``dlp chat-proxy`` on loopback, with a
minimal LINE platform (uvicorn, answers 200) as the proxy's upstream, then measures latency
at concurrency 16 (p50, p99) and throughput for:

* ``library``        ``Scanner.scan`` in-process, 16 threads (the baseline: no HTTP at all)
* ``sdk sync scan``  ``DLPClient.scan`` -> ``POST /v1/scan``, 16 threads
* ``sdk async chat`` ``AsyncDLPClient.check_chat`` -> ``POST /v1/chat/check``, 16 tasks
* ``proxy push``     ``POST /v2/bot/message/push`` to the proxy (-> /v1/chat/check -> platform), 16 tasks

The message goes to a registered group of the bundled registry and carries one national ID,
so every path ends in ``redact`` (the proxy forwards the masked text). The client shares the
machine with the service and the proxy: figures are for comparison on one machine.

    .venv/bin/python benchmarks/bench_chat.py --requests 400 --concurrency 16
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from service.testing import ServerProcess, free_port  # noqa: E402

KEY = "bench-chat-key-0123456789"
GROUP = "C7e21d4b8a9f0c3e6d5b4a39281706f5e"  # 社福科承辦群組 in the bundled conversations.yaml
FILLER = "本科承辦補助申請案，請各位同仁協助確認申請文件是否齊備，並於本週五前回覆補件情形，謝謝。"
ID_SENTENCE = "申請人陳美玲，身分證字號F235071300，請協助補件。"


def message_text(chars: int = 200) -> str:
    body = ID_SENTENCE
    while len(body) < chars:
        body += FILLER
    return body[:chars]


async def fake_line_app(scope, receive, send) -> None:  # the upstream platform: read, answer 200
    if scope["type"] != "http":
        return
    more = True
    while more:
        more = (await receive()).get("more_body", False)
    body = b'{"sentMessages":[{"id":"1","quoteToken":"q"}]}'
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def wait_http(url: str, timeout: float = 120, ok: Callable[[httpx.Response], bool] = lambda r: r.status_code < 500) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.HTTPError):
            if ok(httpx.get(url, timeout=2)):
                return
        time.sleep(0.2)
    raise TimeoutError(url)


@contextlib.contextmanager
def processes(workers: int) -> Iterator[tuple[str, str]]:
    tmp = Path(tempfile.mkdtemp(prefix="bench-chat-"))
    env = {"DLP_API_KEYS": f"bench:scan:{KEY}", "DLP_KEYS_FILE": str(tmp / "keys.json"),
           "DLP_AUDIT_LOG": str(tmp / "audit.jsonl"), "DLP_RUN_DIR": str(tmp / "run")}
    service = ServerProcess(workers, env, log_path=tmp / "service.log")
    upstream_port, proxy_port = free_port(), free_port()
    upstream = subprocess.Popen([sys.executable, "-m", "uvicorn", "bench_chat:fake_line_app", "--app-dir", str(REPO / "benchmarks"),
                                 "--port", str(upstream_port), "--log-level", "warning", "--no-access-log"], cwd=REPO)
    proxy = None
    try:
        wait_http(service.url + "/readyz", ok=lambda r: r.status_code == 200)
        proxy = subprocess.Popen([sys.executable, "-m", "dlp.cli", "chat-proxy", "--upstream", f"http://127.0.0.1:{upstream_port}",
                                  "--service", service.url, "--listen", f"127.0.0.1:{proxy_port}", "--log-level", "warning"],
                                 cwd=REPO, env={**os.environ, "DLP_API_KEY": KEY})
        wait_http(f"http://127.0.0.1:{upstream_port}/")
        wait_http(f"http://127.0.0.1:{proxy_port}/v2/bot/info")
        yield service.url, f"http://127.0.0.1:{proxy_port}"
    finally:
        for p in (proxy, upstream):
            if p is not None:
                p.terminate()
                p.wait(10)
        service.stop()


def summary(name: str, latencies: list[float], wall: float, actions: set[str]) -> dict[str, object]:
    ms = sorted(x * 1000 for x in latencies)
    p99 = ms[min(len(ms) - 1, int(round(0.99 * (len(ms) - 1))))]
    return {"path": name, "requests": len(ms), "p50_ms": round(statistics.median(ms), 2), "p99_ms": round(p99, 2),
            "req_per_s": round(len(ms) / wall, 1), "actions": sorted(actions)}


def threaded(name: str, n: int, concurrency: int, make: Callable[[], Callable[[], str]]) -> dict[str, object]:
    local = threading.local()
    latencies: list[float] = []
    actions: set[str] = set()
    lock = threading.Lock()

    def one(_: int) -> None:
        if not hasattr(local, "call"):
            local.call = make()
        t0 = time.perf_counter()
        action = local.call()
        dt = time.perf_counter() - t0
        with lock:
            latencies.append(dt)
            actions.add(action)

    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(one, range(min(n, 32))))  # warm-up: connections, caches
        latencies.clear()
        started = time.perf_counter()
        list(pool.map(one, range(n)))
        wall = time.perf_counter() - started
    return summary(name, latencies, wall, actions)


async def tasks(name: str, n: int, concurrency: int, call: Callable[[], object]) -> dict[str, object]:
    latencies: list[float] = []
    actions: set[str] = set()
    queue = list(range(n))

    async def worker() -> None:
        while queue:
            queue.pop()
            t0 = time.perf_counter()
            action = await call()  # type: ignore[misc]
            latencies.append(time.perf_counter() - t0)
            actions.add(str(action))

    for _ in range(min(n, 32)):
        await call()  # type: ignore[misc]
    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return summary(name, latencies, time.perf_counter() - started, actions)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=1, help="dlp serve worker processes")
    parser.add_argument("--chars", type=int, default=200)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    from dlp import Conversation, Message
    from dlp.client import AsyncDLPClient, DLPClient, Timeout
    from dlp.scanner import Scanner

    text = message_text(args.chars)
    conv = Conversation(GROUP, platform="line")
    message = Message(text=text, channel="chat", conversation=conv)
    timeout = Timeout(total=30.0, connect=2.0)  # measure latency, do not turn load into blocks
    results = []

    scanner = Scanner()
    gc.collect()
    gc.freeze()  # as the service does once packs are loaded (service.state.freeze_heap): a fair baseline
    results.append(threaded("library Scanner.scan", args.requests, args.concurrency,
                            lambda: lambda: scanner.scan(message).action))
    with processes(args.workers) as (service_url, proxy_url):
        def sync_client() -> Callable[[], str]:
            client = DLPClient(service_url, KEY, timeout=timeout)
            return lambda: client.scan(message).action

        results.append(threaded("sdk DLPClient.scan (/v1/scan)", args.requests, args.concurrency, sync_client))

        async def async_runs() -> list[dict[str, object]]:
            out = []
            async with AsyncDLPClient(service_url, KEY, timeout=timeout) as dlp:
                async def chat() -> str:
                    return (await dlp.check_chat(conv, text, platform="line", sender="bench")).action

                out.append(await tasks("sdk AsyncDLPClient.check_chat", args.requests, args.concurrency, chat))
            body = json.dumps({"to": GROUP, "messages": [{"type": "text", "text": text}]}, ensure_ascii=False).encode()
            async with httpx.AsyncClient(base_url=proxy_url, timeout=30,
                                         limits=httpx.Limits(max_connections=args.concurrency)) as http:
                async def push() -> str:
                    r = await http.post("/v2/bot/message/push", content=body,
                                        headers={"Authorization": "Bearer bench", "Content-Type": "application/json"})
                    return r.headers.get("x-dlp-action", f"HTTP {r.status_code}")

                out.append(await tasks("proxy push (LINE API shape)", args.requests, args.concurrency, push))
            return out

        results.extend(asyncio.run(async_runs()))

    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
        return 0
    print(f"{args.chars}-character chat message, concurrency {args.concurrency}, {args.requests} requests per path, "
          f"dlp serve --workers {args.workers}, {os.cpu_count()} CPUs shared with the load generator")
    print(f"{'path':34} {'p50 ms':>8} {'p99 ms':>8} {'req/s':>8}  actions")
    for r in results:
        print(f"{r['path']:34} {r['p50_ms']:8.2f} {r['p99_ms']:8.2f} {r['req_per_s']:8.1f}  {','.join(r['actions'])}")  # type: ignore[arg-type]
    base = results[0]
    print(f"baseline = {base['path']}; HTTP adds p50 "
          + ", ".join(f"{r['path'].split(' (')[0]} +{float(r['p50_ms']) - float(base['p50_ms']):.2f} ms" for r in results[1:]))  # type: ignore[arg-type,union-attr]
    return 0


if __name__ == "__main__":
    sys.exit(main())
