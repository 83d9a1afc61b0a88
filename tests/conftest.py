"""Shared fixtures: the real GiNZA pipeline, loaded once per test session."""
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.core import settings  # noqa: E402

settings.apply()
os.environ["PIPELINE_DAEMON"] = "0"   # a developer's running daemon never serves the tests' runs (test_daemon.py
#                                       starts daemons of its own)
SEED = ROOT / "corpus" / "000_79eea7d80fcbe56c.ja.txt"


@pytest.fixture(scope="session")
def nlp():
    from pipeline.lang.nlp import get_nlp

    return get_nlp("ja")


@pytest.fixture(scope="session")
def finder():
    from pipeline.lang.ja.quantities import QuantityFinder

    return QuantityFinder()


@pytest.fixture(scope="session")
def seed_result():
    from pipeline.extract.document import process_document

    return process_document(SEED, SEED.parent)


@pytest.fixture()
def prefect_home(tmp_path, monkeypatch):
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "prefect-home"))
    return tmp_path
