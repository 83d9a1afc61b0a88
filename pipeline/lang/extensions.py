"""Every custom ``Doc``/``Span`` extension the pipeline uses, registered in one place."""
from spacy.tokens import Doc, Span


def doc_text(doc: Doc) -> str:
    """``doc.text``, joined once per doc: spaCy joins it from every token on each access, which was ~40% of the
    rule layer's time (issue 14; the rules read it per sentence). Kept in ``doc.user_data`` (never cached to
    disk); the rules never retokenise a doc, so it stays the doc's text."""
    text = doc.user_data.get("text")
    if text is None:
        text = doc.user_data["text"] = doc.text
    return text


def register() -> None:
    """Register the extensions (idempotent)."""
    if not Span.has_extension("quantity"):
        Span.set_extension("quantity", default=None)   # pipeline.lang.ja.quantities.Quantity
    if not Doc.has_extension("text"):
        Doc.set_extension("text", getter=doc_text)     # doc._.text: doc.text, joined once


register()
