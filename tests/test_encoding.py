"""Encoding card files: how PNGs are packed, slides in flight, the JPEG's own copy."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from postdeck.brand.schema import load_brand
from postdeck.cards.cardfiles import encode_png, rgb_png
from postdeck.cards.render import Slide


def inked(ground: Image.Image, n: int) -> Image.Image:
    """A card: the ground with a few lines of white text on it."""
    card = ground.copy()
    ImageDraw.Draw(card).text((90, 200 + 40 * n), f"line {n} of a quote on the card", fill=(255, 255, 255))
    return card


def slide(name: str, image: Image.Image) -> Slide:
    return Slide(name, "card", image)


@pytest.mark.parametrize("template", ["default", "clinic", "bold", "editorial", "blocks"])
def test_a_card_on_flat_colour_is_written_unfiltered_in_about_pillows_bytes(template: str) -> None:
    # Why these PNGs' bytes changed (they were palette images): quantizing a card to 256
    # colours and checking that it still looked the same took 35-70 ms a card and ~50 ms a
    # ground, a third of a deck's CPU, for files half the size and far below any platform's
    # limit. Written in full colour, they are the card's very pixels; unfiltered rows (flat
    # colour repeats along a row) take 11-15 ms a card where Pillow's writer, which tries five
    # row filters on every row, takes 23-32 ms, and come out within 15% of its bytes.
    from postdeck.cards.render import SAMPLE, render_deck

    for card in render_deck(SAMPLE, load_brand(template), "portrait"):
        data, pillows = encode_png(card.image, card.photo), io.BytesIO()
        card.image.save(pillows, "PNG", compress_level=3)
        assert data == rgb_png(card.image) and len(data) < 1.15 * pillows.tell(), card.name
        with Image.open(io.BytesIO(data)) as im:
            assert im.tobytes() == card.image.tobytes()


def test_with_threads_a_slide_is_drawn_while_the_two_before_it_encode_and_no_further_ahead(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Drawing ran ahead of slow encoding and every slide waiting held its pixels (~6 MB a
    # card) and its encoders' buffers: ~30 MB of a batch's peak memory.
    import threading
    import time

    from postdeck.cards import parallel

    saved: list[str] = []
    lock = threading.Lock()

    def slow(encode: object) -> object:
        def encoded(image: Image.Image, *args: object) -> bytes:
            time.sleep(0.05)  # slower than drawing, as a photo card's PNG is
            with lock:
                saved.append(image.info["name"])
            return encode(image, *args)  # type: ignore[operator]
        return encoded

    monkeypatch.setattr(parallel, "encode_png", slow(parallel.encode_png))
    monkeypatch.setattr(parallel, "encode_jpeg", slow(parallel.encode_jpeg))
    monkeypatch.setattr(parallel, "can_fork", lambda: False)  # where processes cannot be forked
    ground = Image.new("RGB", (200, 100), (240, 240, 240))
    behind: list[list[str]] = []  # when each slide is drawn: the slides before it not yet saved

    def drawn(size: str, numbers: Iterable[int]) -> Iterator[Slide]:
        for n in numbers:
            with lock:
                behind.append([f"{k}" for k in range(n) if saved.count(f"{k}") < 2])
            image = inked(ground, 0)
            image.info["name"] = f"{n}"
            yield slide(f"{n:02d}", image)

    for cores in (1, 2, 4):
        saved.clear(), behind.clear()
        files = parallel.card_files(drawn, ("square",), 6, ("png", "jpg"), cores=cores)
        assert len(files) == 12 and sorted(saved) == sorted(f"{n}" for n in range(6) for _ in "ab")
        assert all(set(waiting) <= {f"{n - 2}", f"{n - 1}"} for n, waiting in enumerate(behind)), behind
        if cores > 1:  # the two before it encode at once
            assert any(len(waiting) == 2 for waiting in behind), behind


def test_a_photo_card_is_written_as_rows_less_the_row_above_packed_by_run_length() -> None:
    # Why photo cards' PNG bytes changed: Pillow's writer tried five filters on every row
    # (52 ms a card); rows less the row above them are runs of small numbers that zlib's
    # run-length strategy packs in ~30 ms, the same pixels in at most 15% more bytes.
    import zlib

    from postdeck.cards.render import SAMPLE, render_deck

    card = render_deck(SAMPLE, load_brand("photo"), "square")[1]
    assert card.photo
    data, pillows = encode_png(card.image, card.photo), io.BytesIO()
    card.image.save(pillows, "PNG", compress_level=3, compress_type=zlib.Z_RLE)
    with Image.open(io.BytesIO(data)) as im:
        assert im.mode == "RGB" and im.tobytes() == card.image.tobytes()
    assert len(data) < 1.15 * pillows.tell()


def test_a_slides_png_never_takes_along_its_jpegs_icc_profile() -> None:
    """A slide's PNG and JPEG are saved on two threads at once, and Image.save keeps its
    options on the image while it writes: a PNG saved meanwhile by Image.save took the JPEG's
    ICC profile along, so photo PNGs had an iCCP chunk in some runs and not in others. An RGB
    slide's PNG is written from its pixels; any other slide's JPEG is saved from a copy."""
    from concurrent.futures import ThreadPoolExecutor

    from postdeck.cards.cardfiles import encode_jpeg

    for mode in ("RGB", "RGBA"):
        slide = Image.effect_noise((256, 256), 60).convert(mode)  # slow enough to overlap
        with ThreadPoolExecutor(2) as pool:
            for _ in range(10):
                png, jpeg = pool.submit(encode_png, slide), pool.submit(encode_jpeg, slide)
                assert b"iCCP" not in png.result() and b"ICC_PROFILE" in jpeg.result(), mode


@pytest.mark.parametrize("size", [(1, 1), (1, 300), (300, 1), (65, 129), (97, 64), (33, 65)])
@pytest.mark.parametrize("photo", [False, True])
def test_any_rgb_image_comes_back_from_its_png_pixel_for_pixel(size: tuple[int, int], photo: bool) -> None:
    # Rows go to zlib a band of 64 at a time, a photo's less the row above (across bands too).
    noise = Image.merge("RGB", [Image.effect_noise(size, 80 + 30 * band).convert("L") for band in range(3)])
    data = rgb_png(noise, photo)
    with Image.open(io.BytesIO(data)) as im:
        assert im.size == size and im.mode == "RGB" and im.tobytes() == noise.tobytes()


def _sample_draw() -> object:
    from functools import partial

    from postdeck.cards.render import SAMPLE, iter_slides

    return partial(iter_slides, SAMPLE, load_brand("default"))


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="no fork on this system")
def test_a_slide_that_cannot_be_drawn_in_the_forked_copy_raises_its_error_here(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from postdeck.cards import parallel
    from postdeck.errors import RenderError

    draw, here = _sample_draw(), os.getpid()

    def failing(size: str, numbers: object) -> Iterator[Slide]:
        for s in draw(size, numbers):  # type: ignore[operator]
            if s.name == "01":  # whichever process draws it
                raise RenderError(f"post 1: too long (drawn in {'this process' if os.getpid() == here else 'the copy'})")
            yield s

    monkeypatch.setattr(parallel, "can_fork", lambda: True)
    with pytest.raises(RenderError, match=r"post 1: too long \(drawn in this process\)"):
        parallel.card_files(failing, ("square",), 5, ("png",), cores=2)


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="no fork on this system")
def test_a_forked_copy_that_is_killed_costs_time_not_cards(monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    import signal

    from postdeck.cards import parallel

    draw, here = _sample_draw(), os.getpid()

    def killed(size: str, numbers: object) -> Iterator[Slide]:
        for s in draw(size, numbers):  # type: ignore[operator]
            if os.getpid() != here:
                os.kill(os.getpid(), signal.SIGKILL)  # as the kernel's out-of-memory killer would
            yield s

    monkeypatch.setattr(parallel, "can_fork", lambda: True)
    files = parallel.card_files(killed, ("square",), 5, ("png", "pdf"), cores=2)
    assert files == parallel.card_files(draw, ("square",), 5, ("png", "pdf"), cores=1)  # type: ignore[arg-type]


def forks_noted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The pids of the copies forked from here on, as os.fork returns them."""
    import os

    forked: list[int] = []
    fork = os.fork

    def noted() -> int:
        pid = fork()
        if pid:
            forked.append(pid)
        return pid
    monkeypatch.setattr(os, "fork", noted)
    return forked


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="no fork on this system")
def test_a_slide_that_cannot_be_drawn_here_stops_the_forked_copy(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from postdeck.cards import parallel
    from postdeck.errors import RenderError

    draw, here, forked = _sample_draw(), os.getpid(), forks_noted(monkeypatch)

    def failing_here(size: str, numbers: object) -> Iterator[Slide]:
        for s in draw(size, numbers):  # type: ignore[operator]
            if os.getpid() == here:
                raise RenderError("post 1: too long")
            yield s

    monkeypatch.setattr(parallel, "can_fork", lambda: True)
    with pytest.raises(RenderError, match="post 1"):
        parallel.card_files(failing_here, ("square",), 5, ("png",), cores=2)
    assert len(forked) == 1
    with pytest.raises(ChildProcessError):  # stopped and reaped: no process left behind
        os.waitpid(forked[0], os.WNOHANG)


def test_a_deck_is_not_split_between_processes_while_other_threads_run() -> None:
    # A fork copies only the calling thread: a lock another thread held stays held in the copy.
    import threading

    from postdeck.cards import parallel

    if threading.active_count() > 1:
        pytest.skip("other threads already running")
    assert parallel.can_fork() == (hasattr(__import__("os"), "fork") and __import__("sys").platform != "darwin")
    stop = threading.Event()
    worker = threading.Thread(target=stop.wait)
    worker.start()
    try:
        assert not parallel.can_fork()
    finally:
        stop.set()
        worker.join()


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="no fork on this system")
def test_the_copy_freezes_what_it_shares_and_this_process_keeps_its_collections_as_they_were(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # The copy's collections leave the objects it shares with this process alone (their pages
    # are not copied); here nothing changes: frozen then unfrozen, a batch's garbage would
    # never have been collected, or start-up's frozen objects walked again.
    import gc

    from postdeck.cards import parallel

    monkeypatch.setattr(parallel, "can_fork", lambda: True)
    before = gc.get_freeze_count()
    parallel.card_files(_sample_draw(), ("square",), 5, ("png",), cores=2)  # type: ignore[arg-type]
    assert gc.get_freeze_count() == before


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="no fork on this system")
@pytest.mark.parametrize("cores", [2, 3])
def test_processes_take_the_next_slide_when_free_and_each_slide_is_drawn_once(
        cores: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Runs of slides fixed in advance left one process waiting 15-30 ms for the other at the
    # end (more with a photo cover): each takes the next slide when it is done with the last.
    import os
    import time

    from postdeck.cards import parallel

    draw, log = _sample_draw(), tmp_path / "drawn"

    def noted(size: str, numbers: Iterable[int]) -> Iterator[Slide]:
        for s in draw(size, numbers):  # type: ignore[operator]
            time.sleep(0.2 if s.name == "00-cover" else 0.02)  # a slow cover: the others take the rest
            with open(log, "a", encoding="utf-8") as f:  # one line, appended whole
                f.write(f"{os.getpid()} {size} {s.name}\n")
            yield s

    monkeypatch.setattr(parallel, "can_fork", lambda: True)
    files = parallel.card_files(noted, ("square", "story"), 5, ("png", "pdf"), cores=cores)
    lines = [line.split() for line in log.read_text(encoding="utf-8").splitlines()]
    assert sorted((size, name) for _, size, name in lines) == sorted(
        (size, name) for size in ("square", "story") for name in ("00-cover", "01", "02", "03", "04-closing"))
    by = {pid: [name for p, size, name in lines if p == pid and size == "square"] for pid, _, _ in lines}
    assert len(by) == cores  # every process drew some
    cover = next(pid for pid, names in by.items() if "00-cover" in names)
    assert by[cover] == ["00-cover"]  # while the cover was drawn, the others drew the rest
    assert files == parallel.card_files(draw, ("square", "story"), 5, ("png", "pdf"), cores=1)  # type: ignore[arg-type]


def test_grounds_are_made_on_a_thread_while_the_article_is_split_and_waited_for_before_drawing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A photo ground (decoded, fitted, blended: ~40 ms in Pillow, which gives up Python's lock)
    # was made by each drawing process; made once on the core the text work leaves idle, and
    # before the deck is split between processes, which copy no thread.
    import threading

    from postdeck import build
    from postdeck.cards import paint, parallel

    made: list[str] = []
    make_grounds = build.make_grounds

    def noted_grounds(brand: object, sizes: tuple[str, ...]) -> None:
        made.append(threading.current_thread().name)
        make_grounds(brand, sizes)  # type: ignore[arg-type]

    forks_with_threads: list[int] = []
    monkeypatch.setattr(build, "make_grounds", noted_grounds)
    monkeypatch.setattr(parallel, "can_fork", lambda: forks_with_threads.append(threading.active_count()) or False)
    paint._background.cache_clear()
    seed = Path(__file__).resolve().parent.parent / "posts" / "01-acupuncture-post-surgical-back-pain.txt"
    build.build_article(seed, tmp_path, build.BuildOptions(template="photo", sizes=("square",)), cores=2)
    assert made == ["postdeck-meanwhile"] and forks_with_threads == [1]
    assert paint._background.cache_info().currsize == 1  # made there, found made by the drawing


def test_work_done_meanwhile_leaves_its_error_to_the_call_that_needs_it(capfd: pytest.CaptureFixture[str]) -> None:
    from postdeck.cards import parallel

    def broken() -> None:
        raise OSError("photo.jpg: truncated")

    parallel.meanwhile(broken, cores=2)()
    assert capfd.readouterr().err == ""  # no "Exception in thread": drawing the slide reports it
    ran: list[int] = []
    wait = parallel.meanwhile(lambda: ran.append(1), cores=1)
    wait()
    assert ran == []  # one core: nothing ahead of time, the ground is made when first needed


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="no fork on this system")
def test_a_page_that_cannot_be_made_leaves_no_copy_drawing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The copy draws while the deck's page is made: a failing page (or Ctrl-C) stops and reaps
    # it, instead of leaving a process that draws every slide for nothing.
    import os

    from postdeck import build
    from postdeck.cards import parallel

    forked = forks_noted(monkeypatch)

    def broken_page(*args: object, **kwargs: object) -> str:
        raise KeyboardInterrupt

    monkeypatch.setattr(parallel, "can_fork", lambda: True)
    monkeypatch.setattr(build, "deck_preview", broken_page)
    seed = Path(__file__).resolve().parent.parent / "posts" / "01-acupuncture-post-surgical-back-pain.txt"
    with pytest.raises(KeyboardInterrupt):
        build.build_article(seed, tmp_path, build.BuildOptions(sizes=("square",)), cores=2)
    assert len(forked) == 1
    with pytest.raises(ChildProcessError):  # stopped and reaped
        os.waitpid(forked[0], os.WNOHANG)


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="no fork on this system")
def test_a_fork_the_system_refuses_half_way_leaves_the_slides_to_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    # Found by review: a fork refused at a process limit (EAGAIN) left the copy already forked
    # running and unreaped, and said "cannot write its deck; check the output folder".
    import os

    from postdeck.cards import parallel

    forked, fork = forks_noted(monkeypatch), os.fork

    def second_refused() -> int:
        if forked:
            raise BlockingIOError(11, "Resource temporarily unavailable")
        return fork()

    monkeypatch.setattr(os, "fork", second_refused)
    monkeypatch.setattr(parallel, "can_fork", lambda: True)
    fds = len(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else None
    draw = _sample_draw()
    files = parallel.card_files(draw, ("square",), 5, ("png", "pdf"), cores=3)  # type: ignore[arg-type]
    assert files == parallel.card_files(draw, ("square",), 5, ("png", "pdf"), cores=1)  # type: ignore[arg-type]
    assert len(forked) == 1
    with pytest.raises(ChildProcessError):  # the one forked was stopped and reaped
        os.waitpid(forked[0], os.WNOHANG)
    if fds is not None:
        assert len(os.listdir("/proc/self/fd")) == fds  # queues and pipes closed


def test_a_deck_of_more_than_255_slides_is_queued_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    # Found by review: one byte a slide number failed at 256 slides (a deck.yaml edited to 255 posts).
    from postdeck.cards import parallel

    monkeypatch.setattr(parallel, "can_fork", lambda: hasattr(__import__("os"), "fork"))
    tiny = Image.new("RGB", (8, 8), (200, 200, 200))

    def dots(size: str, numbers: Iterable[int]) -> Iterator[Slide]:
        for n in numbers:
            yield slide(f"{n:03d}", tiny)

    files = parallel.card_files(dots, ("square",), 300, ("png",), cores=2)
    assert sorted(files) == [f"cards/{n:03d}-square.png" for n in range(300)]


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="no fork on this system")
def test_ctrl_c_while_the_copies_files_are_collected_stops_and_reaps_them_all(monkeypatch: pytest.MonkeyPatch) -> None:
    # Found by review: only this process's own drawing stopped the copies on an interrupt.
    import os

    from postdeck.cards import parallel

    forked = forks_noted(monkeypatch)
    collect = parallel._Copy.collect

    def interrupted(self: parallel._Copy) -> object:
        os.read(self.done, 1)  # the copy is done; Ctrl-C lands here
        raise KeyboardInterrupt

    monkeypatch.setattr(parallel, "can_fork", lambda: True)
    monkeypatch.setattr(parallel._Copy, "collect", interrupted)
    fds = len(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else None
    with pytest.raises(KeyboardInterrupt):
        parallel.card_files(_sample_draw(), ("square",), 5, ("png",), cores=3)  # type: ignore[arg-type]
    assert len(forked) == 2 and collect is not interrupted
    for pid in forked:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
    if fds is not None:
        assert len(os.listdir("/proc/self/fd")) == fds
