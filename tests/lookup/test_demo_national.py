"""`barnskydd demo-national` as a user runs it: set up, look a moved family up, stop.

The command runs in its own process with a small scale and free ports; the test logs in on
B's desk over HTTP, opens the case the command printed, runs the lookup and finds A; A's team
lead then sees the notice; SIGTERM stops every child process the command started.
"""

from __future__ import annotations

import os
import queue
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.slow

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
CASE = re.compile(r"öppna ärende (BU-\d{4}-\d{6})")
READY = "Avsluta med Ctrl-C."
SETUP_TIMEOUT = 240.0


def _free(port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_base() -> int:
    """Return a base port whose four demo ports (+0, +1, +100, +200) are free."""
    for _ in range(100):
        base = random.randrange(20_000, 60_000)
        if all(_free(base + offset) for offset in (0, 1, 100, 200)):
            return base
    raise RuntimeError("no free ports")


def children_of(pid: int) -> set[int]:
    """Return the ids of the processes whose parent is `pid` (Linux /proc)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def login(client: httpx.Client, username: str) -> None:
    """Log in with the demo password."""
    token = TOKEN.search(client.get("/logga-in").text)
    assert token
    page = client.post(
        "/logga-in",
        data={"username": username, "password": "demo", "csrf_token": token.group(1), "next": "/"},
    )
    assert f"Inloggad som <strong>{username}</strong>" in page.text


class Output:
    """The command's output, read by a thread so that waiting for a line can time out."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        assert process.stdout is not None
        self.stream = process.stdout
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.reader = threading.Thread(target=self._pump, daemon=True)
        self.reader.start()

    def _pump(self) -> None:
        for line in self.stream:
            self.lines.put(line)
        self.lines.put(None)

    def until(self, last: str, timeout: float) -> str:
        """Return the output up to the line `last`, or fail with what came."""
        output, deadline = "", time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=1)
            except queue.Empty:
                continue
            if line is None:
                break
            output += line
            if line.strip() == last:
                return output
        raise AssertionError(f"demo-national was not ready:\n{output}")

    def close(self) -> None:
        """Wait for the end of the output (the process has ended) and close the pipe."""
        self.reader.join(timeout=10)
        self.stream.close()


def test_the_demo_finds_a_moved_family_notifies_a_and_stops_every_process(
    tmp_path: Path,
) -> None:
    base = free_base()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "barnskydd",
            "demo-national",
            "--directory",
            str(tmp_path / "national"),
            "--port-base",
            str(base),
            "--scale",
            "0.03",
            "--moved",
            "2",
            "--interval",
            "1",
        ],
        env={**os.environ, "BARNSKYDD_LOG_LEVEL": "WARNING"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    started: set[int] = set()
    output_reader = Output(process)
    try:
        output = output_reader.until(READY, SETUP_TIMEOUT)
        started = children_of(process.pid)
        assert len(started) == 6  # pseudonymiser, index, two desks, two publishers
        match = CASE.search(output)
        assert match, output
        number = match.group(1)
        assert not re.search(r"\d{8}-?\d{4}", output)  # no identity number printed

        with httpx.Client(
            base_url=f"http://127.0.0.1:{base + 1}", follow_redirects=True, trust_env=False
        ) as b:
            login(b, "handlaggare")
            case_page = b.get(f"/arenden/{number}")
            assert case_page.status_code == 200
            token = TOKEN.search(case_page.text)
            assert token
            answer = b.post(
                f"/arenden/{number}/riksuppslag",
                data={"purpose": "forhandsbedomning", "csrf_token": token.group(1)},
            )
        assert answer.status_code == 200, answer.text
        assert "Oskarshamn (0882)" in answer.text

        with httpx.Client(
            base_url=f"http://127.0.0.1:{base}", follow_redirects=True, trust_env=False
        ) as a:
            login(a, "arbetsledare")
            deadline = time.monotonic() + 60
            notices = a.get("/aviseringar").text
            while "Kalmar (0880)" not in notices and time.monotonic() < deadline:
                time.sleep(1)  # A's publisher fetches notices every second
                notices = a.get("/aviseringar").text
        assert "Kalmar (0880)" in notices
        assert "Förhandsbedömning" in notices

        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0
        assert [pid for pid in started if Path(f"/proc/{pid}").exists()] == []
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        output_reader.close()
        for pid in started:
            if Path(f"/proc/{pid}").exists():
                os.kill(pid, signal.SIGKILL)
