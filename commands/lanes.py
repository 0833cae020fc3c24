"""Lanes: requests that must be decided one after another (one hot aggregate), queued per key.

While a lane has work, one task runs it: it hands everything queued so far to `run` as one
batch, answers each request, and goes on while more arrived meanwhile. Alone, a request runs
at once; under load, batches grow by themselves.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

Request = TypeVar("Request")
Answer = TypeVar("Answer")

MAX_BATCH = 100


class Lanes(Generic[Request, Answer]):
    def __init__(
        self,
        run: Callable[[list[Request]], Awaitable[list[Answer | Exception]]],
        max_batch: int = MAX_BATCH,
    ) -> None:
        """`run` answers the first requests of a batch, at least one; the rest are queued
        again at the front of the lane."""
        self.run = run
        self.max_batch = max_batch
        self.queues: dict[Hashable, deque[tuple[Request, asyncio.Future[Answer]]]] = {}
        self.runners: dict[Hashable, asyncio.Task[None]] = {}

    async def submit(self, lane: Hashable, request: Request) -> Answer:
        future: asyncio.Future[Answer] = asyncio.get_running_loop().create_future()
        self.queues.setdefault(lane, deque()).append((request, future))
        if lane not in self.runners:
            self.runners[lane] = asyncio.create_task(self._drain(lane))
        return await future

    async def _drain(self, lane: Hashable) -> None:
        queue = self.queues[lane]
        try:
            while queue:
                batch = [queue.popleft() for _ in range(min(len(queue), self.max_batch))]
                try:
                    answers = await self.run([request for request, _ in batch])
                except Exception as error:
                    answers = [error] * len(batch)
                except BaseException:
                    queue.extendleft(reversed(batch))
                    raise
                for (_, future), answer in zip(batch, answers, strict=False):
                    if future.done():  # its caller gave up waiting
                        continue
                    if isinstance(answer, Exception):
                        future.set_exception(answer)
                    else:
                        future.set_result(answer)
                queue.extendleft(reversed(batch[len(answers) :]))
        finally:
            del self.runners[lane]
            if queue:  # cancelled: nobody will answer these
                for _, future in queue:
                    future.cancel()
            del self.queues[lane]
