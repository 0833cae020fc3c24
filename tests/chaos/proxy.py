"""A TCP proxy of our own in front of PostgreSQL that can cut a connection right after the
server reports COMMIT and before the client hears it: the write is durable, the reply is lost."""

from __future__ import annotations

import asyncio
import contextlib
import random
import threading

# A CommandComplete message ('C', length 11) whose tag is "COMMIT".
COMMIT_COMPLETE = b"C\x00\x00\x00\x0bCOMMIT\x00"


class CommitCutter:
    def __init__(self, upstream_socket_dir: str, upstream_port: int = 5432) -> None:
        self.upstream = f"{upstream_socket_dir}/.s.PGSQL.{upstream_port}"
        self.port = 0
        self.cut_probability = 0.0
        self.cuts = 0
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()
        self.ready.wait(10)

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _serve(self) -> None:
        asyncio.set_event_loop(self.loop)
        server = self.loop.run_until_complete(asyncio.start_server(self._client, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        self.ready.set()
        self.loop.run_forever()

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_unix_connection(self.upstream)
        except OSError:
            writer.close()
            return
        await asyncio.gather(
            self._pipe(reader, up_writer, cut=False, peer=writer),
            self._pipe(up_reader, writer, cut=True, peer=up_writer),
            return_exceptions=True,
        )

    async def _pipe(
        self,
        source: asyncio.StreamReader,
        sink: asyncio.StreamWriter,
        cut: bool,
        peer: asyncio.StreamWriter,
    ) -> None:
        try:
            while data := await source.read(65536):
                if cut and COMMIT_COMPLETE in data and random.random() < self.cut_probability:
                    self.cuts += 1
                    break  # the server committed; the client never hears so
                sink.write(data)
                await sink.drain()
        finally:
            for stream in (sink, peer):
                with contextlib.suppress(Exception):
                    stream.close()
