"""Bilingual (Japanese/English) claim extraction for policy and security reports."""

__version__ = "0.1.0"
