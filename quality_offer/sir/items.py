"""The items a SEN information report must contain, and how to recognise each: data, not code.

The items live in ``criteria/sen-information-report/items.yaml`` beside the frameworks, so a
local authority can add its own expectations for the report (a link to its Local Offer page,
a named parent partnership service) by editing YAML, with the same located errors and JSON
Schema help as the criteria. Matching is deliberately simple and explainable: phrases,
headings and how close together the words stand. No model is involved.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, field_validator, model_validator

from ..errors import InputError, Problem
from ..framework import CRITERIA_DIR
from ..models import AppliesTo, Id, Strict, Text
from ..yamlsafe import display_name, read, validate

ITEMS_FILE = CRITERIA_DIR / "sen-information-report" / "items.yaml"
Phrase = Annotated[str, StringConstraints(min_length=2, max_length=120)]


class Concept(Strict):
    """One idea the passage must mention: any one of its phrases or patterns will do.

    Phrases match whole words, ignoring case; a phrase ending in ``*`` matches any ending
    (``consult*`` matches consult, consults, consulted, consultation). Patterns are regular
    expressions for things phrases cannot list, such as an email address or a phone number.
    """

    name: Text = Field(description="What the concept is, shown to the user, e.g. 'complaints'.")
    phrases: list[Phrase] = Field(default_factory=list)
    patterns: list[Annotated[str, StringConstraints(min_length=2, max_length=300)]] = Field(
        default_factory=list, description="Regular expressions (Python syntax), ignoring case.")

    @field_validator("patterns")
    @classmethod
    def _patterns_compile(cls, value: list[str]) -> list[str]:
        for pattern in value:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"pattern {pattern!r} is not a regular expression: {exc}") \
                    from None
        return value

    @model_validator(mode="after")
    def _something_to_match(self) -> Concept:
        if not self.phrases and not self.patterns:
            raise ValueError(f"concept {self.name!r} needs at least one phrase or pattern")
        return self


class Match(Strict):
    """How a passage is recognised as answering an item."""

    headings: list[Phrase] = Field(
        default_factory=list,
        description="A heading containing one of these phrases points at the section under it.")
    concepts: list[Concept] = Field(
        min_length=1,
        description="Every concept must appear in one passage (the passage's heading counts) "
                    "for the item to be found; the first is the item's subject, and a passage "
                    "with it but not all the others makes the item unclear.")
    within: int = Field(default=60, ge=5, le=400, description=(
        "The concepts must stand within this many words of each other in the passage."))


class Item(Strict):
    """One thing the law (or the local authority) asks the report to contain."""

    id: Id
    reference: Text = Field(description='The citation shown, e.g. "SEND Regs 2014 Sch 1 para 4".')
    evidence: Literal["V", "M", "U", "Local"] = Field(description=(
        "V: reference checked against the published text; M: from memory; U: unverified; "
        "Local: a local authority's own expectation, not law."))
    statutory: bool = Field(description="True where the law requires the item.")
    requirement: Text = Field(description="What must be in the report, in plain words.")
    why: Text = Field(description="Why the law (or the authority) asks for it, for parents.")
    law_text: Text | None = Field(default=None, description="The provision's words, if checked.")
    doubt: Text | None = Field(default=None, description="What an editor should still check.")
    applies_to: AppliesTo = Field(default_factory=AppliesTo)
    match: Match

    @model_validator(mode="after")
    def _unverified_cites_no_paragraph(self) -> Item:
        if self.evidence in ("M", "U") and not self.doubt:
            raise ValueError("an item whose reference is not verified needs a 'doubt' note")
        return self


class Jargon(Strict):
    """A term parents may not know, and the words that spell it out."""

    term: Annotated[str, StringConstraints(min_length=2, max_length=40)]
    meaning: list[Phrase] = Field(min_length=1, description="Any of these explains the term.")


class ItemsFile(Strict):
    """``items.yaml``: the report's required items, the jargon list and the review rules."""

    id: Id
    title: Text
    version: Annotated[str, StringConstraints(pattern=r"^\d+(\.\d+){0,2}$")]
    notes: list[Text] = Field(default_factory=list)
    review_max_days: int = Field(default=365, ge=1, le=3660, description=(
        "A report last reviewed more than this many days before the audit is out of date."))
    items: list[Item] = Field(min_length=1)
    jargon: list[Jargon] = Field(default_factory=list)
    plain_capitals: list[Annotated[str, StringConstraints(min_length=2, max_length=12)]] = Field(
        default_factory=list,
        description="Words in capitals that need no explanation (UK, PE, ICT...).")

    @model_validator(mode="after")
    def _ids_unique(self) -> ItemsFile:
        seen: set[str] = set()
        for item in self.items:
            if item.id in seen:
                raise ValueError(f"item id {item.id!r} is used twice")
            seen.add(item.id)
        return self


def load(path: Path = ITEMS_FILE) -> ItemsFile:
    """Read and validate an items file; :class:`InputError` with located problems if bad."""
    data, positions = read(path)
    name = display_name(path)
    items = validate(ItemsFile, data, name, positions)
    if not items.items:
        raise InputError([Problem(name, None, None, "items", "no items")])
    return items


@functools.cache
def shipped() -> ItemsFile:
    """The items installed with the tool, loaded once per process."""
    return load(ITEMS_FILE)
