"""Start the Streamlit app (``rekenqa app``) on the bundled app.py, from any folder, on this machine only.

``streamlit run app.py`` reads ``~/.streamlit/config.toml``, then ``.streamlit/config.toml`` in the current
folder, then the one beside the script, then STREAMLIT_* variables, each overriding the one before; flags on
its command line come last and win. So the settings that keep the app private and quiet are passed as
flags, and Streamlit runs in the project folder: a ``.streamlit/config.toml`` in the folder the user started
from (which could turn off XSRF protection, say, for which there is no flag here) is never read.

Streamlit runs in this process, as ``streamlit run`` itself does, so stopping it (Ctrl+C, or terminating the
process, on Windows too) stops the server: there is no child process to leave behind.
"""

from __future__ import annotations

import dataclasses
import errno
import ipaddress
import logging
import os
import socket
from pathlib import Path

from rekenqa.errors import AppUnavailable
from rekenqa.settings import PROJECT_ROOT, Settings

logger = logging.getLogger(__name__)

def app_script(root: Path | None = None) -> Path:
    """The bundled app.py (the project root of the editable install), or AppUnavailable."""
    script = (root or PROJECT_ROOT) / "app.py"
    if not script.is_file():
        raise AppUnavailable(
            f"De app is niet gevonden: {script} ontbreekt.",
            hint="rekenqa app werkt vanuit een checkout van het project (bash scripts/setup.sh installeert die).",
        )
    return script


def is_loopback(address: str) -> bool:
    """Whether ``address`` is reachable from this machine only (127.0.0.0/8, ::1 or localhost)."""
    if address.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(address.strip().strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: it resolves to some interface, so treat it as the network


def streamlit_flags(address: str, port: int, headless: bool) -> list[str]:
    """The ``streamlit run`` flags that hold whatever any config file or STREAMLIT_* variable says."""
    return [
        f"--server.address={address}",
        f"--server.port={port}",
        f"--server.headless={str(headless).lower()}",
        # No tracebacks, source paths or exception types in the browser; they go to the console only.
        "--client.showErrorDetails=none",
        # No "Ask Google" / "Ask ChatGPT" buttons under an error: nothing leaves the machine.
        "--client.showErrorLinks=false",
        "--browser.gatherUsageStats=false",
        # Streamlit's own English welcome ("You can now view your Streamlit app …", a hint on "streamlit
        # skills"): the launcher says where the app runs, in Dutch.
        "--logger.hideWelcomeMessage=true",
        # The rest of the project's .streamlit/config.toml: no English menu, no watching of .venv/ (it
        # doubled the first start's build on 2 cores) and no e-mail prompt blocking the first start.
        "--client.toolbarMode=minimal",
        "--server.fileWatcherType=none",
        "--server.runOnSave=false",
        "--server.showEmailPrompt=false",
    ]


def check_port_free(address: str, port: int) -> None:
    """Raise AppUnavailable when ``address:port`` cannot be bound (Streamlit would say so in English)."""
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        if os.name != "nt":
            # As Streamlit binds: a port left in TIME_WAIT by the previous run is free. (On Windows this option
            # would let the bind succeed on a port another socket listens on.)
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((address, port))
        except OSError as exc:
            problem, hint = _bind_problem(exc, address, port)
            raise AppUnavailable(f"De app kan niet starten op {address}:{port}: {problem}.", hint=hint) from exc


def _bind_problem(exc: OSError, address: str, port: int) -> tuple[str, str]:
    """What went wrong binding, and what to do (errno values of Linux, macOS and Windows)."""
    if isinstance(exc, socket.gaierror):
        return "dat adres is onbekend", "Laat --adres weg om op deze computer te luisteren (127.0.0.1)."
    if exc.errno in (errno.EADDRINUSE, 10048):
        return "die poort is al in gebruik", (
            f"Draait de app al? Open dan {url(address, port)}, of kies een andere poort met --poort."
        )
    if exc.errno in (errno.EADDRNOTAVAIL, 10049):
        return "deze computer heeft dat adres niet", "Laat --adres weg om op deze computer te luisteren (127.0.0.1)."
    if exc.errno in (errno.EACCES, 10013):  # a privileged port, or one Windows reserves
        return "geen toestemming voor die poort", "Kies een poort boven 1024 met --poort, zoals 8501."
    return exc.strerror or "dat lukt niet", "Kies een andere poort met --poort."


def _host(address: str) -> str:
    return f"[{address}]" if ":" in address else address


def url(address: str, port: int) -> str:
    """The address to open in a browser (all interfaces are reachable through localhost too)."""
    try:
        everywhere = ipaddress.ip_address(address.strip("[]")).is_unspecified  # 0.0.0.0 or ::
    except ValueError:
        everywhere = False
    return f"http://{'localhost' if everywhere else _host(address)}:{port}"


def absolute_path_settings(settings: Settings) -> dict[str, str]:
    """REKENQA_* path variables the user set, made absolute: the app runs in the project folder."""
    env: dict[str, str] = {}
    for field in dataclasses.fields(settings):
        name = f"REKENQA_{field.name.upper()}"
        value = getattr(settings, field.name)
        if isinstance(value, Path) and os.environ.get(name):
            env[name] = str(value.resolve())
    return env


def prepare(address: str, port: int) -> Path:
    """Check that the app can start (app.py, settings, the port) before anything is printed; return app.py."""
    script = app_script()
    settings = Settings.from_env()  # a bad REKENQA_* variable is reported here, in Dutch, not in the browser
    check_port_free(address, port)
    # The app runs in the project folder: paths the user gave relative to the folder they started in.
    os.environ.update(absolute_path_settings(settings))
    return script


def run(script: Path, address: str, port: int, headless: bool) -> None:
    """Run the app on ``script`` (from ``prepare``) until it is stopped; blocks."""
    from streamlit.web import cli as streamlit_cli  # heavy: only when the app really starts

    flags = streamlit_flags(address, port, headless)
    os.chdir(script.parent)
    logger.info("streamlit run %s %s", script, " ".join(flags))
    streamlit_cli.main(["run", str(script), *flags], prog_name="streamlit", standalone_mode=False)
