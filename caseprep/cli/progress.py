"""Progress bars for long commands: on stderr, and only when a person watches a terminal.

A bar goes to stderr so that stdout stays the command's result (a manifest, a JSON object);
it is left out when stderr is not a terminal (a pipe, a log file, CI) and whenever the
command was asked for `--json`, whose reader is a program.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator

import click


@contextlib.contextmanager
def progress(length: int, label: str, hidden: bool = False) -> Iterator[Callable[[int], None]]:
    """`advance(n)` moves a bar of `length` steps on stderr; a no-op when nobody watches."""
    if hidden or length <= 0 or not sys.stderr.isatty():
        yield lambda n: None
        return
    with click.progressbar(length=length, label=label, file=sys.stderr) as bar:
        yield bar.update


@contextlib.contextmanager
def progress_once_counted(label: str,
                          hidden: bool = False) -> Iterator[Callable[[int, int], None]]:
    """A bar for work whose size is learned as it starts: `update(done, total)` opens it on
    the first call, then moves it one step per call."""
    bars: contextlib.ExitStack = contextlib.ExitStack()
    advance: list[Callable[[int], None]] = []

    def update(done: int, total: int) -> None:
        if not advance:
            advance.append(bars.enter_context(progress(total, label, hidden)))
        advance[0](1)

    with bars:
        yield update
