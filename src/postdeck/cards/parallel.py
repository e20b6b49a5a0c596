"""A deck's slides drawn and encoded on the cores it may use: {relative path: bytes}.

Where a process can be forked safely (not Windows, not macOS, no other thread running), the
deck is split between processes: forked copies of this one and this one each take the next
slide to draw from a queue, draw and encode it, and take the next, until none is left; the
copies then hand their files back. Each process draws and encodes on its one thread.
Encoding threads beside a drawing thread were slower: Pillow holds Python's lock while it
draws and zlib and the JPEG encoder give it up only while they compress, so the drawing
thread spent ~100-180 ms of a deck waiting for the lock. Elsewhere, the slides are drawn here
and encoded by threads while the next one is drawn.
"""

from __future__ import annotations

import gc
import marshal
import os
import signal
import sys
import tempfile
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import suppress
from dataclasses import dataclass
from functools import partial
from typing import BinaryIO

from postdeck.cards.cardfiles import MAX_FILE, card_path, encode_jpeg, encode_png, pdf_from_jpegs
from postdeck.cards.render import Slide
from postdeck.errors import RenderError

# (size, slide numbers) -> those slides, each drawn when its number comes (0 is the cover)
Draw = Callable[[str, Iterable[int]], Iterable[Slide]]

# Threads only: slides drawn and not yet saved, each holding its pixels (~6 MB a card). One is
# drawn while the two before it encode; a 30-article batch, --jobs 1, peaked at 140 MB with two.
SLIDES_IN_FLIGHT = 2


def default_cores() -> int:
    """Cores a deck's cards use when the caller does not say: up to 4 of the machine's.

    A batch worker passes its share of the cores instead (--jobs 2 on 2 cores: 1 each), so
    workers do not outnumber the cores.
    """
    return min(4, os.cpu_count() or 1)


@dataclass(frozen=True)
class SlideFiles:
    """One slide's encoded files."""

    size: str
    number: int  # its place in the carousel: 0 is the cover
    name: str  # its file stem (render.Slide.name)
    pixels: tuple[int, int]  # width, height: its page in the carousel PDF
    files: dict[str, bytes]  # 'png' and/or 'jpg' (the PDF's page too) -> bytes


@dataclass(frozen=True)
class PendingCards:
    """Card files being made; ``result`` waits for them all."""

    sizes: tuple[str, ...]
    formats: tuple[str, ...]
    slides: Callable[[], list[SlideFiles]]  # waits for every slide's files
    cancel: Callable[[], None] = lambda: None  # instead of result: stop what still draws

    def result(self) -> dict[str, bytes]:
        """Every card file; raises the first error (e.g. a JPEG over 1 MB)."""
        slides = sorted(self.slides(), key=lambda s: s.number)
        images = {card_path(s.size, s.name, fmt): s.files[fmt] for s in slides for fmt in ("png", "jpg")
                  if fmt in self.formats}
        files = dict(sorted(images.items()))
        if "pdf" in self.formats:
            for size in self.sizes:
                files[card_path(size, "carousel", "pdf")] = pdf_from_jpegs(
                    [(s.files["jpg"], s.pixels) for s in slides if s.size == size])
        for path, data in files.items():
            if len(data) > MAX_FILE:
                raise RenderError(f"{path}: {len(data) // 1024} KB is over the 8 MB limit; use a simpler background")
        return files


def card_files(draw: Draw, sizes: Sequence[str], count: int, formats: Sequence[str],
               cores: int | None = None) -> dict[str, bytes]:
    """Every card file for every size: {relative path: bytes}."""
    return start_card_files(draw, sizes, count, formats, cores).result()


def start_card_files(draw: Draw, sizes: Sequence[str], count: int, formats: Sequence[str],
                     cores: int | None = None) -> PendingCards:
    """Draw and encode the ``count`` slides of every size on up to ``cores`` cores (None:
    ``default_cores``); returns while some of them may still be made elsewhere (or, split
    between processes, are still to be made here), so the caller can do other work (the
    preview page) meanwhile and then ask for the ``result``."""
    cores = default_cores() if cores is None else max(1, cores)
    sizes, formats = tuple(sizes), tuple(formats)
    if cores == 1:
        mine = encode_slides(draw, sizes, formats, lambda size: range(count))
        return PendingCards(sizes, formats, lambda: mine)
    if can_fork():
        return _in_processes(draw, sizes, count, formats, cores)
    return _in_threads(draw, sizes, count, formats, cores)


def can_fork() -> bool:
    """Whether a forked copy of this process can draw slides: fork copies only the calling
    thread (a lock another thread held stays held in the copy), and macOS's own libraries are
    not safe in a forked copy; Windows has no fork. A thread still reaping the last deck's
    copy (gone in a few ms) is waited for."""
    for thread in threading.enumerate():
        if thread.name == REAPER:
            thread.join()
    return hasattr(os, "fork") and sys.platform != "darwin" and threading.active_count() == 1


def meanwhile(work: Callable[[], object], cores: int | None = None) -> Callable[[], None]:
    """Start ``work`` on a thread and return the call that waits for it: work done in Pillow,
    which gives up Python's lock (decoding and fitting a photo ground), runs on a core the
    caller's own work leaves idle. Wait for it before the cards are drawn: a fork copies no
    thread. An error is left for the same call to raise where its result is needed."""
    if (default_cores() if cores is None else cores) < 2:
        return lambda: None  # one core: done when first needed

    def quietly() -> None:
        try:
            work()
        except Exception:  # noqa: S110 - raised again, with its context, where the ground is drawn
            pass
    thread = threading.Thread(target=quietly, name="postdeck-meanwhile", daemon=True)
    thread.start()
    return thread.join


def encode_slides(draw: Draw, sizes: tuple[str, ...], formats: tuple[str, ...],
                  numbers: Callable[[str], Iterable[int]]) -> list[SlideFiles]:
    """The slides ``numbers(size)`` names, drawn and encoded on this thread one at a time."""
    made = []
    for size in sizes:
        taken: list[int] = []  # the number of the slide being drawn is the last one taken
        for slide in draw(size, _noted(numbers(size), taken)):
            made.append(SlideFiles(size, taken[-1], slide.name, slide.image.size, encode_slide(slide, formats)))
    return made


def _noted(numbers: Iterable[int], taken: list[int]) -> Iterator[int]:
    for n in numbers:
        taken.append(n)
        yield n


def encode_slide(slide: Slide, formats: tuple[str, ...]) -> dict[str, bytes]:
    return {fmt: encode() for fmt, encode in encoders(slide, formats).items()}


def encoders(slide: Slide, formats: tuple[str, ...]) -> dict[str, Callable[[], bytes]]:
    """The slide's files to encode, each as a call: 'png', and 'jpg' for a JPEG or a PDF page."""
    calls: dict[str, Callable[[], bytes]] = {}
    if "png" in formats:
        calls["png"] = partial(encode_png, slide.image, slide.photo)
    if "jpg" in formats or "pdf" in formats:
        calls["jpg"] = partial(encode_jpeg, slide.image)
    return calls


# --- split between processes ------------------------------------------------------------------


def _in_processes(draw: Draw, sizes: tuple[str, ...], count: int, formats: tuple[str, ...],
                  parts: int) -> PendingCards:
    """``parts - 1`` forked copies start taking slides from one queue per size at once; this
    process joins them when it asks for the result, having made the deck's other files
    meanwhile. None waits for another at the end by more than a slide (runs of slides fixed in
    advance left one waiting 15-30 ms, more with a photo cover). A fork the system refuses (a
    process limit) leaves the slides to encoding threads instead."""
    queues: dict[str, int] = {}
    copies: list[_Copy] = []

    def cancel() -> None:  # stop and reap every copy not collected yet; close the queues
        for copy in copies:
            copy.stop()
        for queue in queues.values():
            with suppress(OSError):
                os.close(queue)

    try:
        for size in sizes:
            queues[size] = _queue(count)
        for _ in range(parts - 1):
            copies.append(_fork(draw, sizes, formats, queues))
    except OSError:
        cancel()
        return _in_threads(draw, sizes, count, formats, parts)
    except BaseException:
        cancel()
        raise

    def every_slide() -> list[SlideFiles]:
        try:
            made = encode_slides(draw, sizes, formats, lambda size: _taken(queues[size]))
            for queue in queues.values():
                os.close(queue)
            queues.clear()
            while copies:
                made += copies[0].collect()
                copies.pop(0)
        except BaseException:
            cancel()
            raise
        done = {(s.size, s.number) for s in made}
        # A copy that failed (a slide that cannot be drawn) or was killed: its slides are drawn
        # here, where the same error is raised as it would be without a copy.
        missing = {size: [n for n in range(count) if (size, n) not in done] for size in sizes}
        return made + encode_slides(draw, sizes, formats, missing.__getitem__)
    return PendingCards(sizes, formats, every_slide, cancel)


def _queue(count: int) -> int:
    """A pipe holding the slide numbers 0..count-1, two bytes each, with nothing more to come."""
    read, write = os.pipe()
    try:
        # Written whole before any copy reads: a pipe holds 64 KB (32,768 slides).
        os.write(write, b"".join(n.to_bytes(2, "big") for n in range(count)))
    except BaseException:
        os.close(read)
        raise
    finally:
        os.close(write)
    return read


def _taken(queue: int) -> Iterator[int]:
    """The numbers this process takes from the queue, one when it is ready to draw the next
    slide, until the queue is empty; bytes read by one process are gone for the others, and a
    read of two bytes is never split (reads under PIPE_BUF are atomic)."""
    while number := os.read(queue, 2):
        yield int.from_bytes(number, "big")


REAPER = "postdeck-reaper"


@dataclass(frozen=True)
class _Copy:
    """A forked copy drawing slides."""

    pid: int
    done: int  # a pipe's end: a byte when the copy's files are written; nothing if it failed or was killed
    files: BinaryIO  # a nameless temporary file the copy writes its files to (marshal: SlideFiles fields)

    def collect(self) -> list[SlideFiles]:
        """The files of the slides it drew; none if it failed or was killed."""
        written = os.read(self.done, 1) == b"1"
        os.close(self.done)
        with self.files:
            self.files.seek(0)
            data = self.files.read()
        _reap(self.pid)
        return [SlideFiles(*fields) for fields in marshal.loads(data)] if written else []

    def stop(self) -> None:
        """Kill and reap it, and close what it handed over (also when collecting stopped half-way)."""
        with suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        with suppress(OSError):
            os.close(self.done)
        self.files.close()
        with suppress(ChildProcessError):
            os.waitpid(self.pid, 0)


def _reap(pid: int) -> None:
    """The copy has handed its files over and may still be leaving (freeing its memory took
    ~5 ms): reaped by a thread then, not waited for (``can_fork`` waits for it)."""
    if os.waitpid(pid, os.WNOHANG)[0] == 0:
        threading.Thread(target=_wait_for, args=(pid,), name=REAPER, daemon=True).start()


def _wait_for(pid: int) -> None:
    with suppress(ChildProcessError):  # reaped already (stopped after an interrupt)
        os.waitpid(pid, 0)


def _fork(draw: Draw, sizes: tuple[str, ...], formats: tuple[str, ...], queues: Mapping[str, int]) -> _Copy:
    # A file, not a pipe, for the files: the copy writes them all and leaves without waiting
    # for this process to read them (through a pipe, 1 MB and its exit took 11-17 ms).
    read, write = os.pipe()
    try:
        files = tempfile.TemporaryFile()
        pid = os.fork()
    except BaseException:
        os.close(read)
        os.close(write)
        raise
    if pid == 0:  # the copy: draw and encode slides, hand the files back, and leave at once
        status = 1
        try:
            # Its collections then leave the objects it shares with this process alone, so
            # their pages are not copied (Python's advice for fork without exec: gc.freeze).
            gc.freeze()
            os.close(read)
            made = encode_slides(draw, sizes, formats, lambda size: _taken(queues[size]))
            files.write(marshal.dumps([(s.size, s.number, s.name, s.pixels, s.files) for s in made]))
            files.flush()
            os.write(write, b"1")
            status = 0
        finally:
            os._exit(status)  # never back into the caller's code, its exit handlers or buffers
    os.close(write)
    return _Copy(pid, read, files)


# --- threads ----------------------------------------------------------------------------------


def _in_threads(draw: Draw, sizes: tuple[str, ...], count: int, formats: tuple[str, ...],
                threads: int) -> PendingCards:
    """Slides drawn here, each encoded by threads while the next is drawn. A slide drawn waits
    for the SLIDES_IN_FLIGHT before it to be saved (drawing ran ahead of encoding, and each
    slide waiting held its pixels)."""
    pool = ThreadPoolExecutor(max_workers=threads)
    drawn: list[tuple[str, int, str, tuple[int, int], dict[str, Future[bytes]]]] = []
    encoding: deque[list[Future[bytes]]] = deque()  # the files of the slides handed on, oldest first
    try:
        for size in sizes:
            for number, s in enumerate(draw(size, range(count))):
                while len(encoding) >= SLIDES_IN_FLIGHT:
                    wait(encoding.popleft())
                jobs = {fmt: pool.submit(encode) for fmt, encode in encoders(s, formats).items()}
                drawn.append((size, number, s.name, s.image.size, jobs))
                encoding.append(list(jobs.values()))
    except BaseException:  # a slide that cannot be drawn: do not encode the others
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=False)  # the last slide still encodes; result() waits for it

    def encoded() -> list[SlideFiles]:
        return [SlideFiles(size, number, name, wh, {fmt: job.result() for fmt, job in jobs.items()})
                for size, number, name, wh, jobs in drawn]
    return PendingCards(sizes, formats, encoded)
