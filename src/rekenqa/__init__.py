"""rekenqa: ask, fact-check and quote-check a Dutch audit report, offline, with page citations."""

import logging

logging.getLogger(__name__).addHandler(logging.NullHandler())

__version__ = "0.1.0"
