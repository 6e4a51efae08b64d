"""What changed between two versions of a framework, criterion by criterion.

The same :class:`FrameworkDiff` feeds the command line (JSON and text), the app's framework
page and the move of an audit to a new version, so what a SENCO is told will happen to their
answers is exactly what the move does.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from .applies_words import who
from .framework import Framework, version_key
from .models import Criterion, InForce
from .reports.wording import coming_when
from .vocabulary import PHASE_WORDS, PHASES, TYPE_WORDS, TYPES

#: The fields a diff reports, in this order; each names what a reader would see change.
FIELDS: tuple[str, ...] = ("text", "levels", "references", "applies_to", "statutory", "scale",
                           "na_allowed", "evidence_prompts", "in_force")
#: Changes that alter what the school is asked or who is asked: an answer is re-checked.
RECHECK_FIELDS = frozenset({"text", "levels", "applies_to", "statutory", "scale",
                            "na_allowed"})

# Plain words for each field, for the text form and the app.
FIELD_WORDS = {
    "text": "reworded", "levels": "level descriptors changed",
    "references": "references changed", "applies_to": "applies to different schools",
    "statutory": "duty / expectation changed", "scale": "rating scale changed",
    "na_allowed": "'not applicable' allowed changed",
    "evidence_prompts": "evidence prompts changed",
    "in_force": "when it comes into force changed",
}


@dataclass(frozen=True)
class Withdrawn:
    id: str
    replacements: tuple[str, ...] = ()

    @property
    def replaced_by(self) -> str | None:
        """The replacing criteria in words ("D6a and D6b"), or None."""
        if not self.replacements:
            return None
        if len(self.replacements) == 1:
            return self.replacements[0]
        return ", ".join(self.replacements[:-1]) + " and " + self.replacements[-1]


@dataclass(frozen=True)
class Changed:
    id: str
    fields: tuple[str, ...]

    @property
    def needs_recheck(self) -> bool:
        return bool(RECHECK_FIELDS.intersection(self.fields))


@dataclass(frozen=True)
class Coming:
    """A new or changed criterion (or one of its levels) that is law not yet in force."""

    id: str
    level: str | None  # None: the whole criterion; else the level whose wording changes
    date: dt.date | None  # None: the date is still to be set
    commencement: str

    @property
    def when(self) -> str:
        return coming_when(self.date)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "level": self.level,
                "in_force": self.date.isoformat() if self.date else None,
                "commencement": self.commencement}


def coming_label(fw: Framework, c: Coming) -> str:
    """The criterion id, and the level's label for a level a coming law rewords."""
    if c.level is None:
        return c.id
    return f"{c.id}, level {fw.scale_of(fw.criterion(c.id)).level(c.level).label}"


def _coming(crit: Criterion) -> list[Coming]:
    def one(level: str | None, f: InForce) -> Coming:
        return Coming(crit.id, level, f.date, " ".join(f.commencement.split()))

    out = [one(None, crit.in_force)] if crit.in_force is not None else []
    return out + [one(c.level, c.in_force) for c in crit.level_changes]


@dataclass(frozen=True)
class FrameworkDiff:
    """Two versions of one framework compared: criteria added, withdrawn and changed."""

    old: Framework
    new: Framework
    added: tuple[str, ...]
    withdrawn: tuple[Withdrawn, ...]
    changed: tuple[Changed, ...]
    #: Criteria in another section in the new version: (id, old section id, new section id).
    #: The answer stands (nothing it was asked changed), but it counts in another section's
    #: share, which an LA officer comparing years needs to know.
    moved: tuple[tuple[str, str, str], ...] = ()
    _changed: dict[str, Changed] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._changed.update({c.id: c for c in self.changed})

    def fields_of(self, criterion_id: str) -> tuple[str, ...]:
        """What changed in a criterion in both versions; empty if it is the same."""
        found = self._changed.get(criterion_id)
        return found.fields if found else ()

    @property
    def empty(self) -> bool:
        return not (self.added or self.withdrawn or self.changed or self.moved)

    @property
    def coming(self) -> tuple[Coming, ...]:
        """The coming duties among the new and changed criteria, with their in-force dates
        (a criterion not yet in force, or a level whose wording a coming law changes)."""
        ids = [*self.added, *(c.id for c in self.changed)]
        return tuple(x for cid in ids for x in _coming(self.new.criterion(cid)))

    def to_json(self) -> dict[str, Any]:
        return {
            "framework": self.new.id,
            "from": self.old.version,
            "to": self.new.version,
            "added": list(self.added),
            "withdrawn": [{"id": w.id, "replaced_by": (
                w.replacements[0] if len(w.replacements) == 1 else list(w.replacements) or None)}
                for w in self.withdrawn],
            "changed": [{"id": c.id, "fields": list(c.fields)} for c in self.changed],
            "coming": [c.to_json() for c in self.coming],
            "moved_section": [{"id": cid, "from": was, "to": now}
                              for cid, was, now in self.moved],
        }


def _scale_shape(fw: Framework, crit: Criterion) -> tuple[str, tuple[str, ...]]:
    scale = fw.scales.get(crit.scale)
    return crit.scale, tuple(scale.level_ids) if scale else ()


def changed_fields(old_fw: Framework, old: Criterion, new_fw: Framework,
                   new: Criterion) -> tuple[str, ...]:
    """The :data:`FIELDS` that differ between two versions of one criterion.

    ``scale`` changes when the criterion names another scale or its scale's levels changed
    in the framework, since either way an old rating may no longer be a level.
    """
    out = []
    for name in FIELDS:
        if name == "scale":
            differs = _scale_shape(old_fw, old) != _scale_shape(new_fw, new)
        elif name == "in_force":
            differs = (old.in_force, old.level_changes) != (new.in_force, new.level_changes)
        elif name in ("references", "evidence_prompts"):
            differs = list(getattr(old, name)) != list(getattr(new, name))
        elif name == "applies_to":
            # Which schools, not how it is explained: a sentence or note added for readers
            # does not send every school's answer back to be re-checked.
            differs = ((old.applies_to.phases, old.applies_to.types)
                       != (new.applies_to.phases, new.applies_to.types))
        else:
            differs = getattr(old, name) != getattr(new, name)
        if differs:
            out.append(name)
    return tuple(out)


def diff(old: Framework, new: Framework) -> FrameworkDiff:
    """What changed from ``old`` to ``new`` (two versions of one framework id)."""
    if old.id != new.id:
        raise ValueError(f"{old.id} and {new.id} are different frameworks")
    added, withdrawn, changed = [], [], []
    for crit in new.criteria:
        before = old._by_id.get(crit.id)
        if crit.withdrawn:
            if before is not None and not before.withdrawn:
                withdrawn.append(Withdrawn(crit.id, crit.replacements))
            continue
        if before is None or before.withdrawn:
            added.append(crit.id)
            continue
        fields = changed_fields(old, before, new, crit)
        if fields:
            changed.append(Changed(crit.id, fields))
    # A criterion dropped from the files (the validator refuses this for installed versions)
    # is treated as withdrawn with no replacement, so no answer is ever lost.
    withdrawn += [Withdrawn(c.id) for c in old.active if not new.has(c.id)]
    moved = tuple((c.id, old.section_of(c.id), new.section_of(c.id)) for c in new.active
                  if old.has(c.id) and not old.criterion(c.id).withdrawn
                  and old.section_of(c.id) != new.section_of(c.id))
    return FrameworkDiff(old, new, tuple(added), tuple(withdrawn), tuple(changed), moved)


def same_criteria(a: Framework, b: Framework) -> frozenset[str]:
    """Criteria asked the same way in both versions, so answers to them can be counted together.

    In use in both, with nothing changed that a re-check is needed for (wording, levels,
    scale, who it applies to, duty or not, "not applicable"): a reworded criterion's old and
    new answers are never mixed in one count.
    """
    older, newer = ordered(a, b)
    d = diff(older, newer)
    return frozenset(
        c.id for c in newer.active
        if older.has(c.id) and not older.criterion(c.id).withdrawn
        and not RECHECK_FIELDS.intersection(d.fields_of(c.id)))


def ordered(a: Framework, b: Framework) -> tuple[Framework, Framework]:
    """The two versions, older first."""
    return (a, b) if version_key(a.version) <= version_key(b.version) else (b, a)


def _wrap(text: str, indent: str) -> str:
    import textwrap

    return textwrap.fill(text, width=96, initial_indent=indent, subsequent_indent=indent)


def scope_words(crit: Criterion) -> str:
    """Who a criterion applies to, as schools read it: the framework's own sentence, then the
    phases and school types in words (never the ids of the YAML)."""
    a = crit.applies_to
    phases = ("every phase" if a.phases == "all"
              else ", ".join(PHASE_WORDS[p] for p in PHASES if p in a.phases))
    types = ("every type of school" if a.types == "all"
             else ", ".join(TYPE_WORDS[t] for t in TYPES if t in a.types))
    sentence = who(crit) or "All schools and settings."
    return f"{sentence} (Phases: {phases}; schools: {types}.)"


def section_title(fw: Framework, section_id: str) -> str:
    """A section's title in ``fw`` (its id if it has none there)."""
    return next((s.title for s in fw.sections if s.id == section_id), section_id)


def renamed_sections(old: Framework, new: Framework) -> list[tuple[str, str]]:
    """(old title, new title) of each section kept under its id with a new title."""
    titles = {s.id: s.title for s in old.sections}
    return [(titles[s.id], s.title) for s in new.sections
            if s.id in titles and titles[s.id] != s.title]


def diff_text(d: FrameworkDiff) -> str:
    """The diff in words for an LA officer or a SENCO: what is new, gone, reworded, re-scoped.

    Says, for each withdrawn criterion, where a school's answer goes when the audit moves.
    """
    old, new = d.old, d.new
    lines = [f"{new.title} ({new.id}): what changed from version {old.version} to "
             f"{new.version}"]
    renamed = renamed_sections(old, new)
    if renamed:
        lines += ["", "Sections renamed (their criteria and answers stay with them)"]
        lines += [_wrap(f"{was} is now {now}", "  ") for was, now in renamed]
    if d.empty:
        lines.append("")
        lines.append("Nothing changed in the criteria.")
        return "\n".join(lines)
    lines.append(f"{len(d.added)} new, {len(d.withdrawn)} withdrawn, {len(d.changed)} changed"
                 + (f", {len(d.moved)} moved to another section." if d.moved else "."))
    if d.added:
        lines += ["", f"New criteria ({len(d.added)}): not assessed until the school rates "
                  "them"]
        for cid in d.added:
            lines.append(_wrap(f"{cid}: {new.criterion(cid).text}", "  "))
    if d.withdrawn:
        lines += ["", f"Withdrawn criteria ({len(d.withdrawn)})"]
        for w in d.withdrawn:
            lines.append(_wrap(f"{w.id}: {old.criterion(w.id).text}", "  "))
            if w.replaced_by:
                if len(w.replacements) > 1:
                    lines.append(_wrap(
                        f"Split into {w.replaced_by}. A school's answer is copied to each of "
                        "them that applies to the school and has no answer yet, to be "
                        "re-checked; where none can take it, it is kept as an archived "
                        "answer.", "    "))
                else:
                    lines.append(_wrap(
                        f"Replaced by {w.replaced_by}. A school's answer moves there to be "
                        f"re-checked, unless {w.replaced_by} already has an answer; then it "
                        "is kept as an archived answer.", "    "))
            else:
                lines.append("    No replacement. A school's answer is kept as an archived "
                             "answer: shown, exported, never counted.")
    if d.changed:
        lines += ["", f"Changed criteria ({len(d.changed)})"]
        for c in d.changed:
            before, after = old.criterion(c.id), new.criterion(c.id)
            words = ", ".join(FIELD_WORDS[f] for f in c.fields)
            lines.append(f"  {c.id}: {words}")
            if "text" in c.fields:
                lines.append(_wrap(f"Was: {before.text}", "    "))
                lines.append(_wrap(f"Now: {after.text}", "    "))
            if "applies_to" in c.fields:
                lines.append(_wrap(f"Applied to: {scope_words(before)}", "    "))
                lines.append(_wrap(f"Applies to: {scope_words(after)}", "    "))
                lines.append(_wrap("A school it no longer applies to keeps its answer as an "
                                   "archived answer.", "    "))
            if "levels" in c.fields and "scale" not in c.fields:
                for lv in new.scale_of(after).levels:
                    was, now = before.levels.get(lv.id), after.levels.get(lv.id)
                    if was != now:
                        lines.append(_wrap(f"{lv.label}: was {was!r}, now {now!r}", "    "))
            if "statutory" in c.fields:
                lines.append("    Now " + ("a statutory duty" if after.statutory
                                           else "an expectation") + ".")
            if "na_allowed" in c.fields:
                lines.append("    'Not applicable' is " + ("now allowed." if after.na_allowed
                                                          else "no longer allowed."))
            if "in_force" in c.fields and after.in_force is None and before.in_force:
                lines.append("    Now in force: no longer a coming duty.")
            if c.needs_recheck:
                lines.append("    A school's answer carries over, marked for re-check.")
            else:
                lines.append("    A school's answer carries over as it is.")
    if d.moved:
        lines += ["", f"Moved to another section ({len(d.moved)}): the answer stands, and "
                  "counts in the new section"]
        for cid, was, now in d.moved:
            lines.append(_wrap(f"{cid}: was in {section_title(old, was)}; now in "
                               f"{section_title(new, now)}.", "  "))
    if d.coming:
        lines += ["", f"Coming duties ({len(d.coming)}): enacted but not yet in force, listed",
                  "apart and never counted as gaps until their date"]
        for c in d.coming:
            lines.append(_wrap(f"{coming_label(new, c)}: {c.when}.", "  "))
            lines.append(_wrap(f"How the date is set: {c.commencement}", "    "))
    return "\n".join(lines)
