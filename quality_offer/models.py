"""The framework as data: pydantic models for the YAML files in ``criteria/``.

Every model is frozen and forbids unknown fields, so a typo in a YAML key is an error that
names the key rather than a setting silently ignored. The JSON Schemas that editors use for
completion are generated from these models (see ``quality_offer.schemas``).
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from .vocabulary import EvidenceLevel, Phase, SchoolType

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
    who: Text | None = Field(
        default=None,
        description="One plain sentence saying who the duty applies to, shown to schools.",
    )
    note: Text | None = Field(
        default=None,
        description="The legal reasoning behind the scope, for editors (source view only).",
    )

    def includes(self, phase: str, school_type: str) -> bool:
        return (self.phases == "all" or phase in self.phases) and (
            self.types == "all" or school_type in self.types
        )


class InForce(Strict):
    """When a law that is enacted but not yet in force starts to bind schools.

    A criterion or a level carrying this is a coming duty until ``date``: reports list it
    apart, with what to prepare, and never count it as a gap. On ``date`` it becomes an
    ordinary duty without a new framework version. No ``date`` means the date is still to
    be set (for example by commencement regulations not yet made).
    """

    date: dt.date | None = Field(
        default=None,
        description="The day it comes into force; leave out while the date is still to be set.",
    )
    enacted_by: list[RefId] = Field(
        min_length=1, description='The provision that makes the law, e.g. "CWSA 2026 s34".'
    )
    commencement: Text = Field(
        description="How the date is fixed, in plain words (e.g. by regulations not yet made)."
    )
    prepare: list[Text] = Field(
        min_length=1, description="What a school should get ready before it comes into force."
    )

    def applies_on(self, day: dt.date) -> bool:
        """Whether the law is in force on ``day``."""
        return self.date is not None and self.date <= day


class LevelChange(Strict):
    """A level descriptor that a coming law changes: the new wording, from its date."""

    level: Id
    descriptor: Text = Field(description="The level's descriptor once the law is in force.")
    in_force: InForce


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
    na_when: Text | None = Field(
        default=None,
        description='For a duty: the one situation in which "not applicable" may be chosen, '
                    "in plain words (e.g. no pupil on roll has an EHC plan).",
    )
    withdrawn: bool = False
    replaced_by: Id | list[Id] | None = Field(
        default=None,
        description="For a withdrawn criterion: the criterion that takes its place, or a list "
                    "where it was split; a school's answer moves to each, to be re-checked.",
    )
    in_force: InForce | None = Field(
        default=None,
        description="For a law enacted but not yet in force; leave out for one already in force.",
    )
    level_changes: list[LevelChange] = Field(
        default_factory=list,
        description="Level descriptors that a coming law changes, each from its own date.",
    )

    @property
    def replacements(self) -> tuple[str, ...]:
        """The criteria that take a withdrawn criterion's place (several where it was split)."""
        if self.replaced_by is None:
            return ()
        if isinstance(self.replaced_by, str):
            return (self.replaced_by,)
        return tuple(self.replaced_by)

    def in_force_on(self, day: dt.date) -> bool:
        """Whether the criterion binds schools on ``day`` (always, unless it is coming)."""
        return self.in_force is None or self.in_force.applies_on(day)

    def descriptor(self, level_id: str, day: dt.date) -> str:
        """This criterion's descriptor for a level as it reads on ``day``."""
        text = self.levels[level_id]
        for change in self.level_changes:
            if change.level == level_id and change.in_force.applies_on(day):
                text = change.descriptor
        return text

    @model_validator(mode="after")
    def _consistent(self) -> Criterion:
        if self.statutory and self.na_allowed and not self.na_when:
            raise ValueError(
                "a statutory duty cannot allow 'not applicable' unless na_when says when: "
                "otherwise limit applies_to instead"
            )
        if self.na_when and not self.na_allowed:
            raise ValueError("na_when is only for a criterion that allows 'not applicable'")
        for change in self.level_changes:
            if change.level not in self.levels:
                raise ValueError(f"level_changes names {change.level!r}, which has no "
                                 "descriptor here")
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
    source: Literal["CoP", "CFA 2014", "EqA 2010", "SEND Regs 2014", "SI", "CYPA 2008",
                    "CWSA 2026", "Academies Act 2010", "Pupil Information Regs 2005",
                    "Childcare Act 2006", "Guidance", "Local"]
    ref: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    title: Text
    summary: Text
    evidence: EvidenceLevel = Field(
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

