"""A hostile environment: full disks, closed streams, readers that leave, unreadable paths, Ctrl-C.

Each case runs the real command in a child process (the streams and signals are the process's own)
and checks the documented exit code (README, "Exit codes"), a one-line `error:` and no traceback.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

CLI = [sys.executable, "-m", "credroi"]
ENV = {**os.environ, "CREDROI_NO_CACHE": "1", "NO_COLOR": "1"}


def child(*args: str, **kwargs: object) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([*CLI, *args], env=ENV, capture_output=True, timeout=120, check=False, **kwargs)  # type: ignore[call-overload,no-any-return]


def one_error(stderr: bytes) -> str:
    text = stderr.decode()
    assert "Traceback" not in text
    errors = [line for line in text.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, text
    return errors[0]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
@pytest.mark.parametrize("fmt", ["json", "csv", "table"])
def test_a_full_disk_is_an_environment_failure(fmt: str) -> None:
    """Writing to a full device is exit 74 with the system's reason, never "internal error" (70)."""
    with open("/dev/full", "wb") as full:
        r = subprocess.run(
            [*CLI, "compare", "--format", fmt], env=ENV, stdout=full, stderr=subprocess.PIPE, timeout=120, check=False
        )
    assert r.returncode == 74
    assert one_error(r.stderr) == "error: cannot write the output: No space left on device"


def test_a_closed_stdout_is_refused_not_silently_empty() -> None:
    """With standard output closed the command would print nothing and claim success: exit 74 instead."""
    r = subprocess.run([*CLI, "compare"], env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    assert r.returncode == 0  # the control: /dev/null is a fine place to write
    shell = f"exec >&-; exec {sys.executable} -m credroi compare"
    r = subprocess.run(["sh", "-c", shell], env=ENV, stderr=subprocess.PIPE, timeout=120, check=False)
    assert r.returncode == 74
    assert one_error(r.stderr) == "error: standard output is closed: nowhere to print the result"
    code = "import os, runpy, sys; os.close(1); sys.argv = ['credroi', 'compare']; runpy.run_module('credroi')"
    r = subprocess.run([sys.executable, "-c", code], env=ENV, stderr=subprocess.PIPE, timeout=120, check=False)
    assert r.returncode == 74  # closed after start-up: the write fails
    assert "is closed" in one_error(r.stderr)


@pytest.mark.parametrize(
    "args",
    [["--help"], ["compare", "--help"], ["compare", "--format", "csv"], ["list", "--format", "json"]],
    ids=" ".join,
)
def test_a_reader_that_leaves_early_is_a_quiet_success(args: list[str]) -> None:
    """`credroi ... | head -1`: the reader closes the pipe before the output is written; exit 0, nothing on stderr."""
    proc = subprocess.Popen([*CLI, *args], env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None
    assert proc.stderr is not None
    proc.stdout.close()  # gone before the first byte
    with proc.stderr:
        err = proc.stderr.read()
    assert proc.wait(timeout=120) == 0
    assert err == b""


@pytest.mark.parametrize("kind", ["missing", "directory", "loop", "no-permission"])
def test_a_catalog_path_that_cannot_be_read_is_an_environment_failure(tmp_path: Path, kind: str) -> None:
    """Missing, a directory, a symlink loop, no permission: exit 74, the path and the reason, a hint about paths."""
    path = tmp_path / "c.yaml"
    if kind == "directory":
        path.mkdir()
    elif kind == "loop":
        path.symlink_to(tmp_path / "d.yaml")
        (tmp_path / "d.yaml").symlink_to(path)
    elif kind == "no-permission":
        if os.geteuid() == 0:
            pytest.skip("root reads files without read permission")
        path.write_text("credentials: []\n", encoding="utf-8")
        path.chmod(0)
    for command in (["compare"], ["catalog", "validate"]):
        r = child(*command, "--catalog", str(path))
        assert r.returncode == 74, (command, r.stderr)
        assert str(path) in r.stderr.decode()
        assert "Traceback" not in r.stderr.decode()
    r = child("compare", "--catalog", str(path))
    assert one_error(r.stderr).startswith(f"error: {path}: ")
    assert "hint: check the path" in r.stderr.decode()
    assert "lines shown" not in r.stderr.decode()  # there are none


def test_a_catalog_problem_without_a_line_does_not_point_at_lines(tmp_path: Path) -> None:
    """A file that is not text has no line to show: the hint does not speak of "the lines shown"."""
    path = tmp_path / "c.yaml"
    path.write_bytes(b"\x00\x01binary")
    r = child("compare", "--catalog", str(path))
    assert r.returncode == 1
    assert "lines shown" not in r.stderr.decode()


def test_ctrl_c_gives_130_and_a_whole_document_or_nothing() -> None:
    """SIGINT while a JSON document is computed: exit 130, no traceback, and stdout valid JSON or empty."""
    args = ["simulate", "--draws", "5000000", "--format", "json"]  # several seconds: the signal lands first
    proc = subprocess.Popen([*CLI, *args], env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(1.0)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=300)
    assert b"Traceback" not in err
    assert proc.returncode == 130, err
    if out:
        json.loads(out)  # whole, whatever the moment


def test_the_document_is_written_with_ctrl_c_held() -> None:
    """The write of a document holds SIGINT until it is done (it is delivered right after, exit 130)."""
    from credroi.cli.common import interrupts_held

    received = []
    previous = signal.signal(signal.SIGINT, lambda *_: received.append("int"))
    try:
        with interrupts_held():
            os.kill(os.getpid(), signal.SIGINT)
            assert received == []  # held during the block
        assert received == ["int"]  # delivered after it
    finally:
        signal.signal(signal.SIGINT, previous)


def test_a_closed_stdin_is_an_environment_failure() -> None:
    """`--catalog -` with standard input closed: exit 74 naming it, not an internal error."""
    shell = f"exec <&-; exec {sys.executable} -m credroi compare --catalog -"
    r = subprocess.run(["sh", "-c", shell], env=ENV, capture_output=True, timeout=120, check=False)
    assert r.returncode == 74
    assert one_error(r.stderr) == "error: <stdin>: standard input is closed"


def test_profile_init_where_a_file_stands_for_the_folder(tmp_path: Path) -> None:
    """A file where the profile's folder should be is the environment (74), not "already exists, use --force"."""
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    r = child("profile", "init", "--force", "--path", str(tmp_path / "afile" / "p.toml"))
    assert r.returncode == 74
    assert one_error(r.stderr) == f"error: {tmp_path / 'afile'}: cannot write: a file stands where its folder should be"
    assert "--force" not in r.stderr.decode()
