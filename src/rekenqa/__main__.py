"""``python -m rekenqa``: the same command line as ``rekenqa``."""

from rekenqa.cli import app

app(prog_name="rekenqa")
