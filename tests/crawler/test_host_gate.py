"""The per-host gates shared by every crawler of a process (crawler.middlewares.host_gate)."""

from __future__ import annotations

import asyncio
import itertools

from scrapy import Request

from crawler.middlewares.host_gate import HELD, HostGateMiddleware, HostGates


def test_a_host_admits_at_most_its_concurrency_and_hosts_are_independent() -> None:
    async def main() -> tuple[int, int, int]:
        gates = HostGates(concurrency=2, delay=0.0)
        holders = 0
        most = 0

        async def fetch(host: str) -> None:
            nonlocal holders, most
            await gates.enter(host)
            holders += host == "a.example"
            most = max(most, holders)
            await asyncio.sleep(0.01)
            holders -= host == "a.example"
            gates.leave(host)

        await asyncio.gather(*(fetch("a.example") for _ in range(6)), fetch("b.example"))
        await gates.enter("b.example")  # b's place came back; a's did not block it
        return most, gates.busy("a.example"), gates.busy("b.example")

    most, busy_a, busy_b = asyncio.run(main())
    assert most == 2
    assert (busy_a, busy_b) == (0, 1)


def test_starts_at_one_host_are_spaced_by_the_delay() -> None:
    async def main() -> list[float]:
        gates = HostGates(concurrency=4, delay=0.05)
        loop = asyncio.get_running_loop()
        starts = []

        async def fetch() -> None:
            await gates.enter("a.example")
            starts.append(loop.time())
            gates.leave("a.example")

        await asyncio.gather(*(fetch() for _ in range(4)))
        return sorted(starts)

    starts = asyncio.run(main())
    gaps = [later - earlier for earlier, later in itertools.pairwise(starts)]
    assert all(gap >= 0.05 - 0.002 for gap in gaps), gaps  # a sleep never ends early (clock resolution aside)


def test_the_middleware_gives_the_place_back_on_failure_and_retries_do_not_inherit_it() -> None:
    async def main() -> tuple[int, int, bool]:
        middleware = HostGateMiddleware(HostGates(concurrency=1, delay=0.0))
        request = Request("https://a.example/story")
        await middleware.process_request(request)
        held = middleware.gates.busy("a.example")
        middleware.process_exception(request, TimeoutError("took too long"))
        retry = request.replace(dont_filter=True)  # what RetryMiddleware does after us
        await asyncio.wait_for(middleware.process_request(retry), timeout=5)  # not blocked
        return held, middleware.gates.busy("a.example"), HELD in request.meta

    held, busy, still_marked = asyncio.run(main())
    assert held == 1 and busy == 1
    assert not still_marked


def test_a_request_refused_before_the_gate_gives_nothing_back() -> None:
    # robots.txt or a private address refused it: process_exception still runs for every
    # middleware, and must not release a place the request never took.
    async def main() -> int:
        middleware = HostGateMiddleware(HostGates(concurrency=1, delay=0.0))
        holder = Request("https://a.example/one")
        await middleware.process_request(holder)
        middleware.process_exception(Request("https://a.example/refused"), RuntimeError("refused"))
        return middleware.gates.busy("a.example")

    assert asyncio.run(main()) == 1
