"""Every custom ``Doc``/``Span`` extension the pipeline uses, registered in one place."""
from spacy.tokens import Span


def register() -> None:
    """Register the extensions (idempotent)."""
    if not Span.has_extension("quantity"):
        Span.set_extension("quantity", default=None)   # pipeline.lang.ja.quantities.Quantity


register()
