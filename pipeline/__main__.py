"""``python -m pipeline``."""
import atexit
import logging
import os
import sys

from pipeline.cli import main

code = main()
# Everything a command writes is committed (tables fsynced and renamed) before main() returns; what is left is the
# interpreter tearing down spaCy, GiNZA and Prefect objects, measured at ~2.2 s of a one-document run (issue 14).
# Run the exit handlers (Prefect's embedded server stops, its last events flush), flush, and leave.
from pipeline.core.settings import trace  # noqa: E402

trace("exit handlers")
atexit._run_exitfuncs()
trace("exit")
logging.shutdown()
sys.stdout.flush()
sys.stderr.flush()
os._exit(code)
