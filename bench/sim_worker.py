"""Dask worker preload for bench_scale.py's *simulated* workers: document processing becomes a sleep.

This machine has 2 cores, so 4 or 8 real GiNZA workers would only share them. To measure what orchestration
(Prefect task runs, Dask scheduling, the cache) costs with more workers, each simulated worker replaces
``pipeline.orchestrate.run.process_one`` by: read the document as usual, sleep for its measured processing time
(``BENCH_SIM_SECONDS_PER_CHAR`` × its length), return its document record with no extracted rows. Everything
around it (the task, its cache entry, the Processed record, the tables) runs for real; the language models are
not loaded (pipeline.orchestrate.dask_worker's model load is skipped), so start-up does not eat the two cores.
Loaded by Dask itself (``DASK_DISTRIBUTED__WORKER__PRELOAD``); nothing in pipeline/ knows about it.
"""
import os
import time


def dask_setup(worker) -> None:  # called by distributed when the worker starts
    from pipeline.orchestrate import worker as _worker, run
    from pipeline.load.corpus import load_document
    from pipeline.extract.document import DocumentResult

    per_char = float(os.environ["BENCH_SIM_SECONDS_PER_CHAR"])

    def simulated(path, corpus_dir, parse_cache=None):
        document = load_document(path, corpus_dir)
        time.sleep(per_char * document.chars)
        return DocumentResult(document)

    run.process_one = simulated
    _worker.init = lambda *args, **kwargs: None   # no models needed (pipeline.orchestrate.dask_worker preloads after this)
