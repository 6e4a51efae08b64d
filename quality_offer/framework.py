"""Loading a framework folder into one validated, cross-checked :class:`Framework`.

A framework folder holds ``framework.yaml`` (the manifest) and one YAML file of criteria per
section; the reference index lives beside the frameworks in ``criteria/references/``. Each
file is validated alone, then the whole is checked across files: unique ids, known sections
and scales, a descriptor for every level, references that resolve, ``replaced_by`` targets
that exist. Every problem is collected, so an LA officer sees them all at once.
"""

from __future__ import annotations

import functools
import itertools
import os
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError, Problem
from .models import CriteriaFile, Criterion, FrameworkManifest, Reference, ReferenceIndex, Scale
from .models import Section as SectionModel
from .yamlsafe import Positions, display_name, locate, read, validate

PACKAGE_DIR = Path(__file__).resolve().parent
# The criteria ship inside the package (``quality_offer/criteria`` is a link to the checkout's
# ``criteria/`` folder, copied whole into a wheel), so an installed command finds them too.
CRITERIA_DIR = Path(os.environ.get("QUALITY_OFFER_CRITERIA", (PACKAGE_DIR / "criteria").resolve()))
MANIFEST = "framework.yaml"


@dataclass(frozen=True)
class Framework:
    """A framework ready to use: manifest, criteria in report order, and the references."""

    manifest: FrameworkManifest
    criteria: tuple[Criterion, ...]
    references: dict[str, Reference]
    path: Path | None = None
    _by_id: dict[str, Criterion] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_id.update({c.id: c for c in self.criteria})

    @property
    def id(self) -> str:
        return self.manifest.id

    @property
    def version(self) -> str:
        return self.manifest.version

    @property
    def title(self) -> str:
        return self.manifest.title

    @property
    def sections(self) -> list[SectionModel]:
        return self.manifest.sections

    @functools.cached_property
    def scales(self) -> dict[str, Scale]:
        return {s.id: s for s in self.manifest.scales}

    def criterion(self, criterion_id: str) -> Criterion:
        return self._by_id[criterion_id]

    def has(self, criterion_id: str) -> bool:
        return criterion_id in self._by_id

    def scale_of(self, criterion: Criterion) -> Scale:
        return self.scales[criterion.scale]

    def section_of(self, criterion_id: str) -> str:
        return self._section_index[criterion_id]

    def in_section(self, section_id: str) -> list[Criterion]:
        return [c for c in self.criteria if self._section_index[c.id] == section_id]

    @functools.cached_property
    def _section_index(self) -> dict[str, str]:
        return dict(self._sections_of)

    @property
    def active(self) -> list[Criterion]:
        """Criteria in use: not withdrawn."""
        return [c for c in self.criteria if not c.withdrawn]

    def reference(self, ref_id: str) -> Reference:
        return self.references[ref_id]

    # filled by the loader: criterion id -> section id
    _sections_of: tuple[tuple[str, str], ...] = ()
    # filled by the loader: criterion id, the file it is in, its index there (for messages)
    _files_of: tuple[tuple[str, str, int], ...] = ()

    def where(self, criterion_id: str, *key: str | int) -> Problem:
        """A problem located at this criterion (or one of its fields) in its YAML file."""
        for cid, path, i in self._files_of:
            if cid == criterion_id:
                try:
                    _data, positions = read(Path(path))
                except InputError:
                    positions = {}
                label = ".".join(str(k) for k in ("criteria", i, *key))
                return _locate_in(positions, display_name(Path(path)), ("criteria", i, *key),
                                  label, "")
        return Problem(str(self.path or self.id), None, None, criterion_id, "")


def _locate_in(positions: Positions, name: str, path: tuple[str | int, ...], field_name: str,
               message: str) -> Problem:
    line, col = locate(positions, path)
    return Problem(name, line, col, field_name, message)


def load_references(folder: Path) -> tuple[dict[str, Reference], list[Problem],
                                           dict[str, tuple[str, Positions, int]]]:
    """Read every YAML file in the reference folder; return the index and any problems."""
    refs: dict[str, Reference] = {}
    problems: list[Problem] = []
    where: dict[str, tuple[str, Positions, int]] = {}
    files = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    if not files:
        problems.append(Problem(str(folder), None, None, "", "no reference index found"))
    for path in files:
        try:
            data, positions = read(path)
            index = validate(ReferenceIndex, data, display_name(path), positions)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        for i, ref in enumerate(index.references):
            if ref.id in refs:
                problems.append(_locate_in(positions, display_name(path), ("references", i, "id"),
                                           f"references.{i}.id",
                                           f"reference {ref.id!r} is listed twice"))
            refs[ref.id] = ref
            where[ref.id] = (str(path), positions, i)
    return refs, problems, where


def load(folder: Path, references_dir: Path | None = None) -> Framework:
    """Load and check one framework folder; raise :class:`InputError` listing every problem."""
    folder = Path(folder)
    references_dir = references_dir or folder.parent / "references"
    problems: list[Problem] = []
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        raise InputError([Problem(str(manifest_path), None, None, "", "no framework.yaml here")])
    try:
        data, _ = read(manifest_path)
        manifest = validate(FrameworkManifest, data, display_name(manifest_path), _)
    except InputError as exc:
        raise InputError(exc.problems) from None
    refs, ref_problems, _where = load_references(references_dir)
    problems.extend(ref_problems)

    scales = {s.id: s for s in manifest.scales}
    section_ids = [s.id for s in manifest.sections]
    per_section: dict[str, list[Criterion]] = {s: [] for s in section_ids}
    seen: dict[str, str] = {}
    sections_of: list[tuple[str, str]] = []
    located: list[tuple[Criterion, str, Positions, int]] = []
    path_of: dict[str, Path] = {}
    unreadable = False  # a file that failed may be the missing section's: don't guess
    for path in sorted(folder.glob("*.yaml")):
        if path.name == MANIFEST:
            continue
        name = display_name(path)
        path_of[name] = path
        try:
            data, positions = read(path)
            cfile = validate(CriteriaFile, data, display_name(path), positions)
        except InputError as exc:
            problems.extend(exc.problems)
            unreadable = True
            continue
        if cfile.section not in per_section:
            problems.append(_locate_in(positions, name, ("section",), "section",
                                       f"unknown section {cfile.section!r}; the framework has "
                                       + ", ".join(section_ids)))
            continue
        for i, crit in enumerate(cfile.criteria):
            base = ("criteria", i)
            label = f"criteria.{i}"
            if crit.id in seen:
                problems.append(_locate_in(positions, name, (*base, "id"), f"{label}.id",
                                           f"criterion id {crit.id!r} is already used in "
                                           f"{seen[crit.id]}"))
                continue
            seen[crit.id] = name
            per_section[cfile.section].append(crit)
            sections_of.append((crit.id, cfile.section))
            located.append((crit, name, positions, i))

    withdrawn_ids = {crit.id: crit.withdrawn for crit, *_ in located}
    for crit, name, positions, i in located:
        base: tuple[str | int, ...] = ("criteria", i)
        label = f"criteria.{i}"
        scale = scales.get(crit.scale)
        if scale is None:
            problems.append(_locate_in(positions, name, (*base, "scale"), f"{label}.scale",
                                       f"unknown scale {crit.scale!r}; the framework has "
                                       + ", ".join(scales)))
        else:
            missing = [lv for lv in scale.level_ids if lv not in crit.levels]
            extra = [lv for lv in crit.levels if lv not in scale.level_ids]
            if missing:
                problems.append(_locate_in(positions, name, (*base, "levels"), f"{label}.levels",
                                           "no descriptor for level(s) " + ", ".join(missing)))
            for lv in extra:
                problems.append(_locate_in(positions, name, (*base, "levels", lv),
                                           f"{label}.levels.{lv}",
                                           f"level {lv!r} is not in scale {scale.id!r}"))
            if crit.statutory != (crit.scale == "duty") and "duty" in scales:
                problems.append(_locate_in(positions, name, (*base, "statutory"),
                                           f"{label}.statutory",
                                           "statutory duties use the 'duty' scale and "
                                           "expectations the others"))
        for key in ("references", "published_references", "legal_basis"):
            for j, ref in enumerate(getattr(crit, key)):
                if ref not in refs:
                    problems.append(_locate_in(positions, name, (*base, key, j),
                                               f"{label}.{key}",
                                               f"unknown reference {ref!r}"))
        coming = ([(("in_force", "enacted_by"), crit.in_force)] if crit.in_force else []) + [
            (("level_changes", k, "in_force", "enacted_by"), ch.in_force)
            for k, ch in enumerate(crit.level_changes)]
        for where_, in_force in coming:
            for j, ref in enumerate(in_force.enacted_by):
                if ref not in refs:
                    problems.append(_locate_in(positions, name, (*base, *where_, j),
                                               f"{label}." + ".".join(map(str, where_)),
                                               f"unknown reference {ref!r}"))
        for j, ref in enumerate(crit.references):
            if ref in refs and not refs[ref].exists:
                problems.append(_locate_in(positions, name, (*base, "references", j),
                                           f"{label}.references",
                                           f"{ref!r} is marked as matching no real paragraph; "
                                           "cite it only in published_references"))
        for target in crit.replacements:
            if target not in seen:
                problems.append(_locate_in(positions, name, (*base, "replaced_by"),
                                           f"{label}.replaced_by",
                                           f"replaced_by names {target!r}, "
                                           "which is not a criterion"))
            elif withdrawn_ids.get(target):
                problems.append(_locate_in(positions, name, (*base, "replaced_by"),
                                           f"{label}.replaced_by",
                                           f"replaced_by names {target!r}, which is withdrawn "
                                           "too; name the criterion that replaces it now"))
    for section in section_ids:
        if not per_section[section] and not unreadable:
            problems.append(Problem(display_name(manifest_path), None, None, "sections",
                                    f"section {section!r} has no criteria file"))
    if problems:
        raise InputError(problems)
    ordered = tuple(c for s in section_ids for c in per_section[s])
    return Framework(manifest=manifest, criteria=ordered, references=refs, path=folder,
                     _sections_of=tuple(sections_of),
                     _files_of=tuple((c.id, str(path_of[name]), i)
                                     for c, name, _p, i in located))


def shipped_folders(root: Path = CRITERIA_DIR) -> list[Path]:
    """The framework folders under ``criteria/``."""
    return sorted(p.parent for p in root.glob(f"*/{MANIFEST}"))


def version_key(version: str) -> tuple[int, ...]:
    """A version as numbers, so 1.10.0 sorts after 1.9.0 and 1.1 equals 1.1.0."""
    parts = [int(p) for p in version.split(".")]
    return tuple(parts + [0] * (3 - len(parts)))


def registry(folders: list[Path]) -> dict[tuple[str, str], Framework]:
    """Load every folder, then check each framework's versions together as one history.

    Two folders may hold the same framework id at different versions (they are installed side
    by side); the same id and version twice is an error, as is any break in the history (see
    :func:`history_problems`). Every problem in every folder is raised at once.
    """
    out: dict[tuple[str, str], Framework] = {}
    problems: list[Problem] = []
    for folder in folders:
        try:
            fw = load(folder)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        if (fw.id, fw.version) in out:
            other = out[(fw.id, fw.version)].path
            problems.append(Problem(display_name(folder / MANIFEST), None, None, "version",
                                    f"{fw.id} {fw.version} is installed twice (also in "
                                    f"{other}); give each version its own number"))
            continue
        out[(fw.id, fw.version)] = fw
    for fid in sorted({fid for fid, _ in out}):
        problems.extend(history_problems(versions_in(out, fid)))
    if problems:
        raise InputError(problems)
    return out


def versions_in(installed: dict[tuple[str, str], Framework], framework_id: str,
                ) -> list[Framework]:
    """The installed versions of one framework, oldest first."""
    return sorted((fw for (fid, _v), fw in installed.items() if fid == framework_id),
                  key=lambda fw: version_key(fw.version))


def history_problems(history: list[Framework]) -> list[Problem]:
    """Breaks in a framework's history, oldest version first in ``history``.

    Criterion ids are never reused and never dropped: a criterion that leaves the framework
    stays in the newer version's files marked ``withdrawn`` (so its text stays readable and
    audits on the older version can be moved), and a withdrawn id never comes back with
    another meaning. ``replaced_by`` targets are checked within each version by :func:`load`.
    """
    problems: list[Problem] = []
    for older, newer in itertools.pairwise(history):
        for old in older.criteria:
            if not newer.has(old.id):
                problems.append(Problem(
                    display_name((newer.path or Path(newer.id)) / MANIFEST), None, None,
                    "criteria", f"criterion {old.id!r} of {older.id} {older.version} is missing "
                    f"from {newer.version}; keep it there marked withdrawn: true (with "
                    "replaced_by where another criterion takes its place)"))
                continue
            new = newer.criterion(old.id)
            if old.withdrawn and not new.withdrawn:
                p = newer.where(old.id, "withdrawn")
                problems.append(Problem(p.file, p.line, p.column, p.field or "withdrawn",
                                        f"criterion {old.id!r} was withdrawn in {older.version} "
                                        f"and is back in {newer.version}; ids are never "
                                        "reused: give the criterion a new id"))
    return problems


@functools.cache
def shipped() -> dict[tuple[str, str], Framework]:
    """Every framework installed with the tool, by (id, version). Loaded once per process."""
    return registry(shipped_folders())


def versions(framework_id: str) -> list[Framework]:
    """The installed versions of one framework, oldest first; empty if none."""
    return versions_in(shipped(), framework_id)


def get(framework_id: str, version: str | None = None) -> Framework:
    """An installed framework; the newest version where none is named."""
    found = versions(framework_id)
    if version is not None:
        found = [fw for fw in found if fw.version == version]
    if not found:
        raise KeyError(f"framework {framework_id!r}"
                       + (f" version {version!r}" if version else "") + " is not installed")
    return found[-1]


def default() -> Framework:
    """The framework a new audit uses: the first installed, newest version."""
    ids = sorted({fid for fid, _ in shipped()})
    return get(ids[0])
