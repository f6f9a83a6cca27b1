#!/usr/bin/env bash
# Set up rekenqa in .venv: CPU-only torch first (an unpinned torch pulls a multi-GB CUDA build), then the project.
# With --tests: also the browser the browser tests drive (Debian's chromium; Playwright downloads no browser).
set -euo pipefail
cd "$(dirname "$0")/.."
TESTS=0
for arg in "$@"; do
  case "$arg" in
    --tests) TESTS=1 ;;
    *) echo "Fout: onbekende optie $arg (bedoeld: --tests)." >&2; exit 2 ;;
  esac
done
PY="${PYTHON:-}"
if [ -z "$PY" ]; then
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
      PY="$candidate"; break
    fi
  done
fi
if [ -z "$PY" ]; then
  echo "Fout: Python 3.11 is nodig (python3.11 niet gevonden)." >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet "torch==2.13.0"
.venv/bin/python -m pip install --quiet -e ".[dev]"
if [ "$TESTS" = 1 ] && ! command -v chromium >/dev/null 2>&1 && [ ! -x /usr/bin/chromium ]; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "Chromium installeren voor de browsertests …"
    apt-get install -y -q chromium >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null; }
  elif command -v apt-get >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo apt-get install -y -q chromium >/dev/null 2>&1 || { sudo apt-get update -q >/dev/null && sudo apt-get install -y -q chromium >/dev/null; }
  else
    echo "Let op: Chromium ontbreekt; tests/test_browser.py wordt overgeslagen (installeer chromium om die te draaien)." >&2
  fi
fi
echo "rekenqa is geïnstalleerd in .venv"
