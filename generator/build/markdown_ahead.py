"""A site's Markdown converted by another process while this one plans the pages.

Planning runs in one process, and on a machine of several cores the others wait for it.
Converting Markdown needs only the validated content and is a quarter of a cold build's
CPU time (5.8 of 24.6 s at 10,000 quotes), so it starts as soon as the content is valid.

The texts are cut in chunks, and a converter process gets them all. It converts chunk after
chunk, each claimed from a count that it shares with this process; when rendering is about
to begin, `finish` claims and converts the chunks left here, takes the converter's HTML and
keeps all of it for the pages. The count is a number in a shared file, read and written
without a lock: when both processes read the same number, both convert that chunk, to the
same HTML, and no chunk is ever left out (each number written is one more than a number
read, so every number below the last is read by one of them).

A converter is a new interpreter (`main`), not a fork of the builder: a fork would share the
builder's memory until planning writes over it, then hold the old pages, as much again as
the content. A new one holds Python, Markdown and nh3 (25 MB) and the texts. One that fails
costs only time: `finish` converts here whatever it did not send back.
"""

from __future__ import annotations

import contextlib
import mmap
import pickle
import struct
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO

import generator
from generator.render.markdown import convert_all, is_converted, remember

AHEAD_FROM_TEXTS = 400
"""Below this many texts, starting a converter (some 80 ms of another core) saves nothing."""
CHUNK_TEXTS = 16
"""Texts per claim: a few milliseconds of converting, so both processes end close together."""

_COUNT = struct.Struct("<i")
_CONVERTER = (
    "import sys; sys.path[:] = {path!r}; from generator.build.markdown_ahead import main; main()"
)


class MarkdownAhead:
    """Texts being converted by another process; see the module doc."""

    def __init__(self, texts: Sequence[str]) -> None:
        self._texts = texts
        self._chunks = [
            texts[start : start + CHUNK_TEXTS] for start in range(0, len(texts), CHUNK_TEXTS)
        ]
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 - closed by `finish` or `close`
        self._file.write(bytes(_COUNT.size))
        self._file.flush()
        self._count = mmap.mmap(self._file.fileno(), _COUNT.size)
        self._converter = _Converter(self._chunks, self._file.fileno())

    @classmethod
    def start(cls, texts: Sequence[str], workers: int) -> MarkdownAhead | None:
        """Start converting `texts` in another process, or None when not worth it: one
        process renders (`workers`), or there are few texts to convert."""
        unconverted = [text for text in texts if not is_converted(text)]
        if workers <= 1 or len(unconverted) < AHEAD_FROM_TEXTS:
            return None
        return cls(unconverted)

    def finish(self) -> None:
        """Convert the chunks the converter has not claimed, take its HTML, keep it all."""
        try:
            for chunk in claimed(self._chunks, self._count):
                convert_all(chunk)
            remember(self._converter.result())
            convert_all(text for text in self._texts if not is_converted(text))
        finally:
            self._release()

    def close(self) -> None:
        """Stop converting (the build failed)."""
        self._converter.stop()
        self._release()

    def _release(self) -> None:
        self._count.close()
        self._file.close()


def claimed(
    chunks: Sequence[Sequence[str]], count: mmap.mmap | bytearray
) -> Iterator[Sequence[str]]:
    """The chunks claimed one by one from the shared `count`, until none is left."""
    while True:
        (number,) = _COUNT.unpack_from(count)
        if number >= len(chunks):
            return
        _COUNT.pack_into(count, 0, number + 1)
        yield chunks[number]


def main() -> None:
    """A converter: the chunks come pickled on standard input, the count's file is the
    descriptor named by the first argument; the HTML goes pickled to standard output."""
    chunks = pickle.load(sys.stdin.buffer)
    with mmap.mmap(int(sys.argv[1]), _COUNT.size) as count:
        converted: dict[str, str] = {}
        for chunk in claimed(chunks, count):
            converted.update(convert_all(chunk))
    pickle.dump(converted, sys.stdout.buffer, pickle.HIGHEST_PROTOCOL)


class _Converter:
    """The converter process, with a thread that sends it the chunks (it may not read them
    before it has started) and one that reads its answer as it comes. It imports from this
    process's path, the generator's folder first, and takes nothing else from the
    environment (`-I`): it runs the code this process runs."""

    def __init__(self, chunks: Sequence[Sequence[str]], count: int) -> None:
        path = [str(Path(generator.__file__).resolve().parent.parent), *sys.path]
        self._html: dict[str, str] = {}
        self._process: subprocess.Popen[bytes] | None = None
        self._threads: tuple[threading.Thread, ...] = ()
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-I", "-c", _CONVERTER.format(path=path), str(count)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                pass_fds=(count,),
            )
        except OSError:
            return  # `finish` converts everything here
        assert self._process.stdin is not None and self._process.stdout is not None
        data = pickle.dumps(list(chunks), pickle.HIGHEST_PROTOCOL)
        self._threads = (
            threading.Thread(target=_send, args=(self._process.stdin, data), daemon=True),
            threading.Thread(target=self._read, args=(self._process.stdout,), daemon=True),
        )
        for thread in self._threads:
            thread.start()

    def result(self) -> dict[str, str]:
        """The HTML the converter made, once it has ended ({} if it failed)."""
        for thread in self._threads:
            thread.join()
        if self._process is not None:
            self._process.wait()
        return self._html

    def stop(self) -> None:
        if self._process is not None:
            with contextlib.suppress(OSError):
                self._process.kill()
        self.result()

    def _read(self, source: IO[bytes]) -> None:
        with source, contextlib.suppress(OSError, EOFError, ValueError, pickle.UnpicklingError):
            self._html = pickle.load(source)


def _send(sink: IO[bytes], data: bytes) -> None:
    with contextlib.suppress(OSError), sink:  # OSError: the converter ended
        sink.write(data)
