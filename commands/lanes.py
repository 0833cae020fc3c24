"""Lanes: requests that must be decided one after another (one hot aggregate), queued per key.

While a lane has work, one task runs it: it hands everything queued so far to `run` as one
batch, answers each request, and goes on while more arrived meanwhile. Alone, a request runs
at once; under load, batches grow by themselves. A request whose caller stopped waiting before
its batch began is dropped, not run.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

Request = TypeVar("Request")
Answer = TypeVar("Answer")

log = logging.getLogger(__name__)
MAX_BATCH = 100


class LaneStopped(Exception):
    """The lane's task was stopped (the process is shutting down) before this request ran."""


class Lanes(Generic[Request, Answer]):
    def __init__(
        self,
        run: Callable[[list[Request]], Awaitable[list[Answer | Exception | None]]],
        max_batch: int = MAX_BATCH,
    ) -> None:
        """`run` answers each request of a batch, or None for one it left for a later batch
        (at least one gets an answer)."""
        self.run = run
        self.max_batch = max_batch
        self.queues: dict[Hashable, deque[tuple[Request, asyncio.Future[Answer]]]] = {}
        self.runners: dict[Hashable, asyncio.Task[None]] = {}

    async def submit(self, lane: Hashable, request: Request) -> Answer:
        future: asyncio.Future[Answer] = asyncio.get_running_loop().create_future()
        self.queues.setdefault(lane, deque()).append((request, future))
        if lane not in self.runners:
            runner = asyncio.create_task(self._drain(lane))
            self.runners[lane] = runner
            runner.add_done_callback(lambda _: self._stopped(lane, runner))
        return await future

    async def idle(self) -> None:
        """Returns once no lane has work (call before closing what `run` uses)."""
        while self.runners:
            await asyncio.wait(list(self.runners.values()))

    async def _drain(self, lane: Hashable) -> None:
        queue = self.queues[lane]
        while queue:
            batch = self._take(queue)
            try:
                later = self._settle(batch, await self._answers(batch))
            except BaseException:  # cancelled, or a bug: `_stopped` answers what is queued
                queue.extendleft(reversed([item for item in batch if not item[1].done()]))
                raise
            queue.extendleft(reversed(later))
        # Nothing awaited since the queue was seen empty: no request can be left behind.
        del self.queues[lane], self.runners[lane]

    async def _answers(
        self, batch: list[tuple[Request, asyncio.Future[Answer]]]
    ) -> list[Answer | Exception | None]:
        if not batch:
            return []
        try:
            return await self.run([request for request, _ in batch])
        except Exception as error:
            return [error] * len(batch)

    @staticmethod
    def _settle(
        batch: list[tuple[Request, asyncio.Future[Answer]]],
        answers: list[Answer | Exception | None],
    ) -> list[tuple[Request, asyncio.Future[Answer]]]:
        """Answers each caller still waiting; what was left for later, in order."""
        later = []
        for (request, future), answer in zip(batch, answers, strict=True):
            if answer is None:
                later.append((request, future))
            elif future.done():  # its caller stopped waiting meanwhile
                continue
            elif isinstance(answer, Exception):
                future.set_exception(answer)
            else:
                future.set_result(answer)
        return later

    def _take(
        self, queue: deque[tuple[Request, asyncio.Future[Answer]]]
    ) -> list[tuple[Request, asyncio.Future[Answer]]]:
        batch: list[tuple[Request, asyncio.Future[Answer]]] = []
        while queue and len(batch) < self.max_batch:
            request, future = queue.popleft()
            if not future.done():
                batch.append((request, future))
        return batch

    def _stopped(self, lane: Hashable, runner: asyncio.Task[None]) -> None:
        """After the task ends; unless it ended normally, answers whatever is still queued."""
        if self.runners.get(lane) is not runner:
            return
        if not runner.cancelled() and (error := runner.exception()) is not None:
            log.error("lane %s stopped", lane, exc_info=error)
        del self.runners[lane]
        for _, future in self.queues.pop(lane, ()):
            if not future.done():
                future.set_exception(LaneStopped())
