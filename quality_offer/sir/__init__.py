"""Checking a school's SEN information report against the law, and for readability.

``extract`` reads the file, ``items`` loads what the report must contain (YAML), ``match``
finds each item, ``readability`` scores the text and finds the review date, ``check`` puts it
together and ``evidence`` turns a result into evidence for the audit.
"""

from .check import Result, check, render_text
from .extract import Document, Unreadable, read_bytes, read_file

__all__ = ["Document", "Result", "Unreadable", "check", "read_bytes", "read_file",
           "render_text"]
