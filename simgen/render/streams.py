"""Frames in flight: the threads that let sampling and post-processing overlap the render.

`SpecStream` samples the specs of a run lazily, ahead of the renderer, in a bounded queue;
`PostThread` runs the post-render work (labels, encoding, writing, the commit) of frame i on a
worker thread while the main thread renders frame i+1. Cycles releases the GIL while it renders
(bpy 5.0.1, measured: a Python thread kept 64 % of its idle speed during a render on 2 loaded
cores), so both overlap the render on the CPU and entirely on a GPU. Order is kept: specs come
out in frame order and frames are committed in the order they were put.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

log = logging.getLogger(__name__)

Item = TypeVar("Item")

SAMPLE_AHEAD = 8
"""Specs the sampler thread may have ready before the renderer asks for them."""


class SpecStream(Generic[Item]):
    """A run's frame specs, sampled lazily on a thread that runs up to `ahead` frames ahead of
    the consumer: `first` (already sampled, or None) and then `sample(index)` of each index of
    `rest`.
    Iterating yields them in order; an error in sampling (e.g. a PlacementError of a later
    frame) is raised where that frame would be."""

    _END = object()

    def __init__(self, sample: Callable[[int], Item], first: Item | None, rest: Iterator[int],
                 ahead: int = SAMPLE_AHEAD) -> None:
        self._sample, self._first, self._rest = sample, first, rest
        self._queue: queue.Queue = queue.Queue(maxsize=ahead)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="simgen-sampler", daemon=True)

    def __enter__(self) -> Iterator[Item]:
        self._thread.start()
        return self._iterate()

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        with contextlib.suppress(queue.Empty):
            while True:
                self._queue.get_nowait()  # unblock a put
        self._thread.join()

    def _put(self, item: object) -> bool:
        while not self._stop.is_set():
            with contextlib.suppress(queue.Full):
                self._queue.put(item, timeout=0.1)
                return True
        return False

    def _run(self) -> None:
        try:
            for index in self._rest:
                if not self._put(self._sample(index)):
                    return
        except BaseException as error:  # noqa: BLE001  (handed to the consumer, raised there)
            self._put(error)
            return
        self._put(self._END)

    def _iterate(self) -> Iterator[Item]:
        if self._first is not None:
            yield self._first
        while (item := self._queue.get()) is not self._END:
            if isinstance(item, BaseException):
                raise item
            yield item


class PostThread(Generic[Item]):
    """Runs `commit(frame)` for each frame `put`, in order, on one worker thread, at most one
    frame queued behind the one it works on. An error in `commit` is raised by the next `put`
    or on exit; on exit the frames already handed over are committed first."""

    _END = object()

    def __init__(self, commit: Callable[[Item], None]) -> None:
        self._commit = commit
        self._queue: queue.Queue = queue.Queue(maxsize=1)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="simgen-post", daemon=True)

    def __enter__(self) -> PostThread:
        self._thread.start()
        return self

    def put(self, frame: Item) -> None:
        self._raise()
        self._queue.put(frame)

    def _raise(self) -> None:
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def _run(self) -> None:
        while (frame := self._queue.get()) is not self._END:
            if self._error is None:
                try:
                    self._commit(frame)
                except BaseException as error:  # noqa: BLE001  (raised on the main thread)
                    self._error = error

    def __exit__(self, exc_type, exc, tb) -> None:
        self._queue.put(self._END)
        self._thread.join()
        if exc is None:
            self._raise()
        elif self._error is not None:
            log.error("writing a frame failed while stopping: %s", self._error)
