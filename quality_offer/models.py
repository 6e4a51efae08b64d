"""The framework as data: pydantic models for the YAML files in ``criteria/``.

Every model is frozen and forbids unknown fields, so a typo in a YAML key is an error that
names the key rather than a setting silently ignored. The JSON Schemas that editors use for
completion are generated from these models (see ``quality_offer.schemas``).
"""

from __future__ import annotations

import functools
from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Id = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9._-]{0,63}$"),
    Field(description="A stable identifier: letters, digits, dot, dash or underscore."),
]
Text = Annotated[str, StringConstraints(min_length=1, max_length=4000)]
RefId = Annotated[
    str,
    StringConstraints(min_length=2, max_length=80),
    Field(description='A reference id from the reference index, e.g. "CoP 6.37".'),
]

Phase = Literal["nursery", "primary", "secondary", "all-through", "special", "16-plus"]
SchoolType = Literal[
    "maintained",
    "academy",
    "free-school",
    "16-19-academy",
    "pupil-referral-unit",
    "non-maintained-special",
    "independent",
]
PHASES: tuple[str, ...] = get_args(Phase)
TYPES: tuple[str, ...] = get_args(SchoolType)


class Strict(BaseModel):
    """Base for every YAML-backed model: immutable, and unknown keys are errors."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Level(Strict):
    """One step of a rating scale, lowest first in the scale's list."""

    id: Id
    label: Text
    descriptor: Text = Field(description="What this level means in general, for any criterion.")
    meets_expectation: bool = Field(
        description="True for the expected standard and above: a rating below it is a gap."
    )


class Scale(Strict):
    """An ordered rating scale: duties use not met / partly met / met."""

    id: Id
    label: Text
    levels: list[Level] = Field(min_length=2)

    @model_validator(mode="after")
    def _levels_are_ordered(self) -> Scale:
        ids = [level.id for level in self.levels]
        if len(set(ids)) != len(ids):
            raise ValueError(f"scale {self.id!r} repeats a level id")
        flags = [level.meets_expectation for level in self.levels]
        if True not in flags:
            raise ValueError(f"scale {self.id!r} has no level that meets the expectation")
        first = flags.index(True)
        if not all(flags[first:]):
            raise ValueError(
                f"scale {self.id!r}: every level above the expected one must also meet it"
            )
        return self

    # Cached: the gap analysis asks these for every criterion of every audit it reads.
    @functools.cached_property
    def level_ids(self) -> list[str]:
        return [level.id for level in self.levels]

    @functools.cached_property
    def expected(self) -> Level:
        """The lowest level that meets the expectation."""
        return next(level for level in self.levels if level.meets_expectation)

    @functools.cached_property
    def _ranks(self) -> dict[str, int]:
        return {level.id: i for i, level in enumerate(self.levels)}

    def rank(self, level_id: str) -> int:
        try:
            return self._ranks[level_id]
        except KeyError:
            raise ValueError(f"{level_id!r} is not a level of scale {self.id!r}") from None

    def level(self, level_id: str) -> Level:
        return self.levels[self.rank(level_id)]


class Section(Strict):
    """A part of the framework, in report order: the duties, then each outcome."""

    id: Id
    title: Text
    summary: Text | None = None


class Source(Strict):
    """The document a framework encodes, as published."""

    title: Text
    publisher: Text
    date: Text = Field(description="Publication date or period as printed, e.g. 2015-2018.")
    url: str | None = None
    note: Text | None = None


class Rollup(Strict):
    """The rules used to sum up a section, stated in words for the report."""

    section_rule: Text
    duty_rule: Text


class FrameworkManifest(Strict):
    """``framework.yaml``: what the framework is and the scales and sections it uses."""

    id: Id
    title: Text
    version: Annotated[str, StringConstraints(pattern=r"^[0-9]+(\.[0-9]+){0,2}$")]
    publisher: Text
    source: Source
    notes: list[Text] = Field(default_factory=list)
    rollup: Rollup
    scales: list[Scale] = Field(min_length=1)
    sections: list[Section] = Field(min_length=1)


class AppliesTo(Strict):
    """Which schools a criterion applies to; ``all`` (the default) means every one."""

    phases: Literal["all"] | list[Phase] = "all"
    types: Literal["all"] | list[SchoolType] = "all"
    note: Text | None = Field(
        default=None, description="Why some schools are excluded, for the reader."
    )

    def includes(self, phase: str, school_type: str) -> bool:
        return (self.phases == "all" or phase in self.phases) and (
            self.types == "all" or school_type in self.types
        )


class Criterion(Strict):
    """One thing a school rates itself against."""

    id: Id
    text: Text = Field(description="The criterion in the source's words, lost words restored.")
    published_text: Text | None = Field(
        default=None,
        description="The text exactly as the source printed it, where words were lost.",
    )
    origin: Literal["quality-offer", "code-of-practice"] = Field(
        description="Listed by the Quality Offer, or added from the Code for a complete view."
    )
    statutory: bool = Field(description="True for a duty (must), false for an expectation.")
    scale: Id
    levels: dict[Id, Text] = Field(
        description="A descriptor for every level of the scale, written for this criterion."
    )
    evidence_prompts: list[Text] = Field(min_length=1)
    references: list[RefId] = Field(
        min_length=1, description="The verified references the report shows."
    )
    published_references: list[RefId] = Field(
        default_factory=list,
        description="The citations as the source printed them (empty where it printed none).",
    )
    reference_note: Text | None = Field(
        default=None, description="Why the verified references differ from the published ones."
    )
    legal_basis: list[RefId] = Field(
        default_factory=list, description="Acts and Regulations behind a duty."
    )
    note: Text | None = None
    applies_to: AppliesTo = Field(default_factory=AppliesTo)
    na_allowed: bool = Field(
        default=False, description='Whether "not applicable" may be chosen.'
    )
    withdrawn: bool = False
    replaced_by: Id | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Criterion:
        if self.statutory and self.na_allowed:
            raise ValueError(
                "a statutory duty cannot allow 'not applicable': limit applies_to instead"
            )
        if self.replaced_by and not self.withdrawn:
            raise ValueError("replaced_by is only for a withdrawn criterion")
        differs = set(self.published_references) != set(self.references)
        if self.published_references and differs and not self.reference_note:
            raise ValueError(
                "reference_note is required where the verified references differ "
                "from the published ones"
            )
        return self


class CriteriaFile(Strict):
    """One YAML file of criteria, all in one section."""

    section: Id
    criteria: list[Criterion] = Field(min_length=1)


class Reference(Strict):
    """An entry of the reference index: a Code paragraph, a chapter, an Act or a Regulation."""

    id: RefId
    source: Literal["CoP", "CFA 2014", "EqA 2010", "SEND Regs 2014", "SI", "CYPA 2008", "Local"]
    ref: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    title: Text
    summary: Text
    evidence: Literal["V", "M", "U"] = Field(
        description="V verified against a published source; M from memory; U unverified."
    )
    exists: bool = Field(
        default=True,
        description="False for a citation the source printed that matches no real paragraph.",
    )
    note: Text | None = None
    url: Annotated[str, StringConstraints(pattern=r"^https://")]


class ReferenceIndex(Strict):
    """``criteria/references/*.yaml``: every source the criteria cite."""

    references: list[Reference] = Field(min_length=1)

