"""``rekenqa app``: the Streamlit app on the bundled app.py, from any folder, on 127.0.0.1 only."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import rekenqa
from rekenqa import launch
from rekenqa.cli import app
from rekenqa.errors import AppUnavailable
from rekenqa.settings import PROJECT_ROOT, Settings

runner = CliRunner()

HOSTILE_CONFIG = """\
[server]
address = "0.0.0.0"
headless = false
fileWatcherType = "auto"
enableXsrfProtection = false
[client]
showErrorDetails = "full"
showErrorLinks = "true"
toolbarMode = "developer"
[browser]
gatherUsageStats = true
"""


@pytest.fixture
def hostile_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder (not the project) whose .streamlit/config.toml opens the app to the network."""
    folder = tmp_path / "elders"
    (folder / ".streamlit").mkdir(parents=True)
    (folder / ".streamlit" / "config.toml").write_text(HOSTILE_CONFIG, encoding="utf-8")
    monkeypatch.chdir(folder)
    return folder


def _env() -> dict[str, str]:
    """This process's environment, with the rekenqa under test first on the path of a child process."""
    src = str(Path(rekenqa.__file__).resolve().parents[1])
    return dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in (src, os.environ.get("PYTHONPATH")) if p))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# ================================================================================================ pieces


def test_flags_keep_the_app_private_and_quiet() -> None:
    flags = launch.streamlit_flags("127.0.0.1", 8501, headless=True)
    for flag in (
        "--server.address=127.0.0.1",
        "--server.port=8501",
        "--server.headless=true",
        "--client.showErrorDetails=none",
        "--client.showErrorLinks=false",
        "--browser.gatherUsageStats=false",
        "--client.toolbarMode=minimal",
        "--server.fileWatcherType=none",
        "--logger.hideWelcomeMessage=true",
    ):
        assert flag in flags
    assert "--server.headless=false" in launch.streamlit_flags("127.0.0.1", 8501, headless=False)


def test_show_error_details_value_is_one_streamlit_knows() -> None:
    from streamlit.config import ShowErrorDetailsConfigOptions

    assert "none" in {option.value for option in ShowErrorDetailsConfigOptions}


def test_flags_win_over_the_config_file_of_the_current_folder(hostile_cwd: Path) -> None:
    """Streamlit's own account of its settings, started where a hostile config.toml lives."""
    flags = launch.streamlit_flags("127.0.0.1", 8599, headless=True)
    done = subprocess.run([sys.executable, "-m", "streamlit", "config", "show", *flags], cwd=hostile_cwd,
                          capture_output=True, text=True, env=_env(), timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    shown = {line.split(" = ")[0]: line.split(" = ", 1)[1] for line in done.stdout.splitlines() if " = " in line}
    assert shown["address"] == '"127.0.0.1"' and shown["port"] == "8599"
    assert shown["showErrorDetails"] == '"none"' and shown["showErrorLinks"] == '"false"'
    assert shown["gatherUsageStats"] == "false" and shown["toolbarMode"] == '"minimal"'
    assert shown["fileWatcherType"] == '"none"'
    assert shown["enableXsrfProtection"] == "false"  # no flag for this one: hence the launcher leaves this folder


@pytest.mark.parametrize(
    ("address", "loopback"),
    [("127.0.0.1", True), ("127.0.0.2", True), ("localhost", True), ("::1", True), ("[::1]", True),
     ("0.0.0.0", False), ("::", False), ("192.168.1.10", False), ("laptop.gemeente.nl", False)],
)
def test_is_loopback(address: str, loopback: bool) -> None:
    assert launch.is_loopback(address) is loopback


def test_a_taken_port_is_a_dutch_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(AppUnavailable, match=rf"^De app kan niet starten op 127\.0\.0\.1:{port}: die poort is al in gebruik\. Draait de app al\?"):
            launch.check_port_free("127.0.0.1", port)


def test_relative_path_settings_are_made_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("REKENQA_INDEX_DIR", "mijn-index")
    env = launch.absolute_path_settings(Settings.from_env())
    assert env["REKENQA_INDEX_DIR"] == str(tmp_path.resolve() / "mijn-index")
    assert "REKENQA_CORPUS_DIR" not in env  # not set by the user: the default is absolute already


def test_app_is_found_in_the_project_root() -> None:
    assert launch.app_script() == PROJECT_ROOT / "app.py"


# ============================================================================================ the command


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, ...]]:
    """``rekenqa app`` up to the point where Streamlit would start."""
    calls: list[tuple[Any, ...]] = []
    monkeypatch.setattr(launch, "check_port_free", lambda address, port: None)
    monkeypatch.setattr(launch, "run", lambda *args: calls.append(args))
    return calls


def test_app_defaults_to_this_machine(started: list[tuple[Any, ...]]) -> None:
    result = runner.invoke(app, ["app"])
    assert result.exit_code == 0, result.output
    assert started == [(PROJECT_ROOT / "app.py", "127.0.0.1", 8501, False)]
    assert "De app start op http://127.0.0.1:8501" in result.output and "Let op" not in result.output


def test_app_warns_for_an_address_on_the_network(started: list[tuple[Any, ...]]) -> None:
    result = runner.invoke(app, ["app", "--adres", "0.0.0.0", "--poort", "8600", "--headless"])
    assert result.exit_code == 0, result.output
    assert started == [(PROJECT_ROOT / "app.py", "0.0.0.0", 8600, True)]
    assert "Let op: de app luistert op 0.0.0.0, dus ook andere computers in het netwerk" in result.output


def test_app_missing_is_a_dutch_error(started: list[tuple[Any, ...]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(launch, "PROJECT_ROOT", tmp_path)
    result = runner.invoke(app, ["app"])
    assert result.exit_code == 1 and started == []
    assert result.output.startswith(f"Fout: De app is niet gevonden: {tmp_path / 'app.py'} ontbreekt.")


# ============================================================================================ end to end


def _listening(pid: int, port: int) -> set[str]:
    import psutil

    process = psutil.Process(pid)
    connections = getattr(process, "net_connections", process.connections)(kind="inet")
    return {c.laddr.ip for c in connections if c.status == psutil.CONN_LISTEN and c.laddr.port == port}


def _other_addresses() -> list[str]:
    """This machine's IPv4 addresses that are not loopback (none in some containers)."""
    import psutil

    return [a.address for addrs in psutil.net_if_addrs().values() for a in addrs
            if a.family == socket.AF_INET and not a.address.startswith("127.")]


def test_app_starts_from_any_folder_on_127_0_0_1_only(hostile_cwd: Path) -> None:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "rekenqa", "app", "--headless", "--poort", str(port)],
        cwd=hostile_cwd, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        deadline, health = time.monotonic() + 25, ""
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1) as answer:
                    health = answer.read().decode()
                break
            except OSError:
                time.sleep(0.3)
        assert health == "ok", f"no answer on port {port}; exit code {process.poll()}"
        assert _listening(process.pid, port) == {"127.0.0.1"}
        for address in _other_addresses():
            with socket.socket() as probe, pytest.raises(OSError):
                probe.settimeout(1)
                probe.connect((address, port))
    finally:
        process.terminate()  # SIGTERM: Streamlit stops its server; on Windows: TerminateProcess
        try:
            output, _ = process.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
    assert process.returncode == (0 if os.name != "nt" else 1), output
    assert f"De app start op http://127.0.0.1:{port} (stoppen: Ctrl+C)." in output
    assert "Let op" not in output
    assert "You can now view" not in output and "streamlit skills" not in output  # Streamlit's English welcome
    launch.check_port_free("127.0.0.1", port)  # no server left behind (a connection in TIME_WAIT is fine)
