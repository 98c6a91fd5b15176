"""Running ``pact-advisor`` as a person does: in a pseudo-terminal read through a terminal
emulator (what is on the screen, not the escape codes), or as a plain subprocess."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

import pexpect
import pyte

from pact_advisor.cli import main

#: The console script of the environment the tests run in.
SCRIPT = str(Path(sys.executable).with_name("pact-advisor"))
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def run(*argv: str, stdin: str = "") -> tuple[int, str]:
    """``main(argv)`` in this process, standard output captured (not a terminal)."""
    out = io.StringIO()
    code = main(list(argv), stdin=io.StringIO(stdin), stdout=out)
    return code, out.getvalue()


def command(
    *argv: str, cwd: str | os.PathLike[str] | None = None, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``pact-advisor argv`` in a subprocess, output piped."""
    return subprocess.run(
        [SCRIPT, *argv],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=cwd,
        env={**os.environ, **(env or {})},
    )


class Terminal:
    """``pact-advisor`` in a pseudo-terminal of ``columns`` x ``rows``, its screen kept by a
    VT100 emulator that also answers the terminal queries a real one answers."""

    def __init__(
        self,
        argv: Sequence[str],
        *,
        columns: int = 100,
        rows: int = 50,
        env: Mapping[str, str] | None = None,
        cwd: str | os.PathLike[str] | None = None,
    ) -> None:
        self.screen = pyte.HistoryScreen(columns, rows, history=5000)
        self.stream = pyte.ByteStream(self.screen)
        environment = {**os.environ, "TERM": "xterm-256color", **(env or {})}
        self.child = pexpect.spawn(
            SCRIPT, list(argv), dimensions=(rows, columns), env=environment, cwd=cwd, timeout=5
        )
        self.raw = b""
        self.screen.write_process_input = self.child.send

    def send(self, keys: str) -> None:
        self.child.send(keys)

    def _pump(self) -> bool:
        try:
            data = self.child.read_nonblocking(65536, timeout=0.1)
        except pexpect.TIMEOUT:
            return True
        except pexpect.EOF:
            return False
        self.raw += data
        self.stream.feed(data)
        return True

    def lines(self) -> list[str]:
        """Every line shown so far, scrolled off the top or still on the screen."""

        def text(line) -> str:
            return "".join(line[x].data for x in range(self.screen.columns)).rstrip()

        return [text(line) for line in self.screen.history.top] + [
            line.rstrip() for line in self.screen.display
        ]

    def text(self) -> str:
        return "\n".join(self.lines())

    def wait_for(self, needle: str, timeout: float = 60) -> None:
        end = time.monotonic() + timeout
        while needle not in self.text():
            if time.monotonic() > end or not self._pump():
                if needle in self.text():
                    return
                raise AssertionError(f"{needle!r} not on the screen:\n{self.text()}")

    def wait_for_exit(self, timeout: float = 30) -> int:
        end = time.monotonic() + timeout
        while self._pump():
            if time.monotonic() > end:
                raise AssertionError(f"still running:\n{self.text()}")
        self.child.close()
        return self.child.exitstatus if self.child.exitstatus is not None else -1

    def close(self) -> None:
        if self.child.isalive():
            self.child.terminate(force=True)
