"""Compare schools: the local authority adviser's view of many schools' audits.

Everything on this page is computed by :mod:`quality_offer.compare`; the page only lays it
out. The audits come from the database, limited in the SQL to the authorities the user
advises (an administrator sees every school), or from audit files the adviser uploads.

- The comparison is computed once and kept for the session while the database has not
  changed (:func:`data_version` is one small aggregate query); each audit's analysis is
  also kept per database by its version, so a change re-analyses only the audits changed.
- Every chart has its numbers beside it as text; every rating is said in words.
- Names and notes typed by schools reach the screen only through :func:`.text.plain` (in
  Markdown) or in data tables, which show text as it is and never as Markdown or HTML.
- Exports are formula-safe (:mod:`quality_offer.compare.tables`); the one meant to leave
  the authority names no school and suppresses small groups, and says so.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import altair as alt
import streamlit as st

from ..compare import Comparison, NothingToCompare, address, from_store, load_folder
from ..compare.core import SchoolResult, Skipped
from ..compare.privacy import DEFAULT_THRESHOLD, shared_summary
from ..compare.tables import cell_guard, shared_xlsx, to_csv, to_xlsx
from ..dates import long_date
from ..errors import InputError
from ..permissions import Scope, User
from ..store import StoreError
from ..vocabulary import AUDIT_STATUS_LABELS, PHASE_LABELS, TYPE_LABELS
from ..yamlsafe import MAX_BYTES
from . import report_jobs, session
from .text import count, one_line, plain

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ALL_YEARS = "All years"
VIEWS = ("Heatmap", "Common gaps", "Duties not met", "Moderation", "One school", "Trends",
         "Exports", "Not submitted")
FROM_DB, FROM_FILES = "The database", "Audit files I upload"
#: Rows drawn in the heatmap chart; the table beside it always has every school.
CHART_ROWS = 60
#: A colour-blind-safe sequential scheme (cividis: dark blue to yellow, monotone lightness).
SCHEME = "cividis"
#: Share axes: 0% to 100%, with a little room so a mark at either end is drawn whole.
DOMAIN, TICKS = [-0.03, 1.03], [0, 0.2, 0.4, 0.6, 0.8, 1]

_DB_KEY = "_cmp_db"  # Session State: (fingerprint, Comparison) from the database
_FILES_KEY = "_cmp_files"  # Session State: Comparison of uploaded files


# --- who may see what -----------------------------------------------------------------------


def compare_scope(user: User) -> Scope:
    """The schools ``user`` may compare: every school for an administrator, else the
    authorities they advise. A school role never widens it: comparing is an adviser's job."""
    if user.is_admin:
        return Scope(everything=True)
    las = {m.la_code for m in user.memberships if m.role == "adviser" and m.la_code}
    return Scope(la_codes=frozenset(las))


# --- loading ------------------------------------------------------------------------------


@st.cache_resource(show_spinner=False, max_entries=8)
def _analysis_cache(url: str) -> dict[tuple[Any, ...], SchoolResult]:
    """Per database: each audit's analysis by its id and version (see compare.database).

    Shared by sessions, which is safe: entries are only looked up for audits the user's own
    scoped query returned, and a changed audit has a new version, hence a new key.
    """
    return {}


def data_version(store: Any, scope: Scope) -> tuple[Any, ...]:
    """A fingerprint of the audits in scope: it changes whenever any of them changes.

    Every save bumps its audit's version; every change (a school's details too) adds a
    row to the change log; a new or removed audit changes the count.
    """
    return store.comparison_fingerprint(None if scope.everything else scope.la_codes)


def database_comparison(user: User) -> Comparison:
    """The comparison of the schools ``user`` may compare, recomputed only on a change."""
    store = session.store()
    scope = compare_scope(user)
    key = (str(store.engine.url), scope, data_version(store, scope))
    kept = st.session_state.get(_DB_KEY)
    if kept is not None and kept[0] == key:
        return kept[1]
    comp = from_store(store, scope=scope, cache=_analysis_cache(str(store.engine.url)))
    st.session_state[_DB_KEY] = (key, comp)
    return comp


#: Each uploaded audit file is held to the audit reader's limit, and one selection to this
#: much in all: the files past it are left out and listed, and the rest compared.
UPLOAD_MB = max(1, MAX_BYTES // 1_000_000)
TOTAL_UPLOAD_BYTES = 50_000_000


def over_the_total(files: list[Any], limit: int | None = None
                   ) -> tuple[list[Any], list[Skipped]]:
    """The files that fit in ``limit`` bytes together, in the order chosen, and the rest."""
    limit = TOTAL_UPLOAD_BYTES if limit is None else limit
    kept: list[Any] = []
    left: list[Skipped] = []
    total = 0
    for f in files:
        size = int(getattr(f, "size", 0) or len(f.getvalue()))
        if total + size > limit:
            left.append(Skipped(Path(f.name).name, f"not read: the files chosen together are "
                                f"over {limit // 1_000_000} MB; compare the rest in another "
                                "selection"))
            continue
        total += size
        kept.append(f)
    return kept, left


def _load_uploads(files: list[Any]) -> None:
    """Compare the uploaded audit files; a broken file is listed with its error, skipped."""
    bar = st.progress(0.0, text="Reading the audit files...")
    files, too_many = over_the_total(files)
    with tempfile.TemporaryDirectory(prefix="qo-compare-") as tmp:
        folder = Path(tmp)
        paths = []
        for i, f in enumerate(files):
            # Each file in its own folder, so two uploads with one name cannot collide.
            name = Path(f.name).name or "audit"
            sub = folder / str(i)
            sub.mkdir()
            path = sub / name
            path.write_bytes(f.getvalue())
            paths.append(path)

        def progress(done: int, total: int, _name: str) -> None:
            bar.progress(done / max(total, 1), text=f"Read {done} of {total} files")

        prefix = str(folder)
        try:
            comp = load_folder(paths, progress)
        except NothingToCompare as exc:
            st.session_state[_FILES_KEY] = None
            st.session_state["_cmp_files_failed"] = [
                (_short(s.file, prefix), _short(s.error, prefix))
                for s in [*exc.skipped, *too_many]]
            bar.empty()
            return
        except ValueError as exc:
            st.session_state["_cmp_files_failed"] = [("", str(exc))]
            bar.empty()
            return
    skipped = tuple(type(s)(_short(s.file, prefix), _short(s.error, prefix))
                    for s in comp.skipped) + tuple(too_many)
    results = tuple(_unsourced(r, prefix) for r in comp.results)
    st.session_state[_FILES_KEY] = Comparison(comp.framework, results, skipped)
    st.session_state.pop("_cmp_files_failed", None)
    bar.empty()


def _short(text: str, prefix: str) -> str:
    """A temporary path shown as the name the adviser uploaded."""
    import re

    return re.sub(re.escape(prefix) + r"[\\/]\d+[\\/]", "", text)


def _unsourced(res: SchoolResult, prefix: str) -> SchoolResult:
    from dataclasses import replace

    return replace(res, source=_short(res.source or "", prefix) or None)


def _files_comparison() -> Comparison | None:
    st.markdown("Choose the audit files (YAML or JSON) to compare: select many at once. A "
                "file that cannot be read is listed with the reason and left out; the rest "
                "are compared.")
    files = st.file_uploader(f"Audit files (YAML or JSON, up to {UPLOAD_MB} MB each and "
                             f"{TOTAL_UPLOAD_BYTES // 1_000_000} MB in all)",
                             type=["yaml", "yml", "json"], accept_multiple_files=True,
                             max_upload_size=UPLOAD_MB, key="cmp_upload")
    if st.button("Compare these files", key="cmp_upload_go", type="primary",
                 disabled=not files):
        _load_uploads(list(files or []))
    failed = st.session_state.get("_cmp_files_failed")
    if failed:
        st.error("None of the files could be compared.")
        st.dataframe([{"File": f, "Problem": e} for f, e in failed], hide_index=True)
    return st.session_state.get(_FILES_KEY)


# --- small helpers --------------------------------------------------------------------------


def pct(share: float | None) -> str:
    return "none assessed" if share is None else f"{share:.0%}"


def _name(value: str) -> str:
    """A school's name for a data table: shown as typed, a formula made harmless."""
    return cell_guard()(value)


def _phase(v: str | None) -> str:
    return PHASE_LABELS.get(v or "", v or "not recorded")


def _type(v: str | None) -> str:
    return TYPE_LABELS.get(v or "", v or "not recorded")


def _short_title(title: str) -> str:
    """``Outcome 1: high quality provision`` -> ``Outcome 1`` for a chart's axis."""
    return title.split(":", 1)[0]


def here(label: str, **changes: Any) -> str:
    """A Markdown link to this page with ``changes`` made to its address: a real link, which
    a keyboard user reaches with Tab and follows with Enter, and which can be shared."""
    now = {key: st.session_state.get(key) for key in address.FIELDS}
    return f"[{plain(label)}]({address.href(now, **changes)})"


def school_link(r: SchoolResult) -> str:
    """The school's name, linking to its One school view (same filters and year)."""
    return here(r.name, cmp_view="One school", cmp_school=r.urn)


def criterion_link(cid: str, section: str, label: str | None = None) -> str:
    """The criterion, linking to it school by school in the drill-down."""
    return here(label or cid, cmp_view="Heatmap", cmp_section=section, cmp_criterion=cid)


#: At most this many schools are listed as links under a table; the One school view has all.
LINKED_SCHOOLS = 200


def _school_links(schools: list[SchoolResult], what: str = "Open a school") -> None:
    """Each school in a table as a link to its One school view, under the table."""
    if not schools:
        return
    shown = schools[:LINKED_SCHOOLS]
    more = (f" · and {len(schools) - len(shown):,} more in the One school view"
            if len(schools) > len(shown) else "")
    st.markdown(f"{what}: " + " · ".join(school_link(r) for r in shown) + more)


def _level_labels(comp: Comparison) -> dict[str, str]:
    return {lv.id: lv.label for sc in comp.framework.manifest.scales for lv in sc.levels}


# --- filters --------------------------------------------------------------------------------


def _filters(comp: Comparison) -> tuple[Comparison, Comparison, str | None]:
    """The filter widgets; returns (every year, the chosen year, the year or None)."""
    for key, field in (("cmp_phase", "phase"), ("cmp_type", "type"), ("cmp_area", "area")):
        if key in st.session_state:  # values from an address that are not options are dropped
            st.session_state[key] = address.keep_known(list(st.session_state[key]),
                                                       comp.values(field))
    cols = st.columns(5)
    phase = cols[0].multiselect("Phase", comp.values("phase"), key="cmp_phase",
                                format_func=_phase, placeholder="All phases")
    kind = cols[1].multiselect("Type", comp.values("type"), key="cmp_type",
                               format_func=_type, placeholder="All types")
    area = cols[2].multiselect("Area", comp.values("area"), key="cmp_area",
                               placeholder="All areas")
    years = comp.years
    options = [*reversed(years), ALL_YEARS]
    if st.session_state.get("cmp_year") not in options:
        st.session_state.pop("cmp_year", None)
    year = cols[3].selectbox("Academic year", options, key="cmp_year",
                             help="The latest year is shown first. With all years, each "
                                  "school counts once, by its latest audit.")
    share = _min_assessed(cols[4])
    every = comp.with_min_assessed(share / 100).filter(phase=phase or None, type=kind or None,
                                                       area=area or None)
    chosen = None if year == ALL_YEARS else year
    return every, (every.filter(year=chosen) if chosen else every), chosen


def _min_assessed(where: Any) -> int:
    """The least share (in percent) of its applicable criteria a school must have assessed
    to be scored; set here, every view and export on the page follows it."""
    if st.session_state.get("cmp_min_assessed") not in address.SHARES:
        st.session_state["cmp_min_assessed"] = address.DEFAULT_SHARE  # unset or not offered
    return int(where.selectbox(
        "Share assessed to be scored", address.SHARES, key="cmp_min_assessed",
        format_func=lambda p: f"{p}%",
        help="An audit with less of its applicable criteria assessed is shown apart, with "
             "how much it has assessed: it is not in the heatmap, the common gaps or the "
             f"quartiles. {address.DEFAULT_SHARE}% unless set."))


# --- heatmap --------------------------------------------------------------------------------


def heatmap_rows(comp: Comparison) -> list[dict[str, Any]]:
    """The heatmap's numbers: one row per school (latest audit), a percentage per section."""
    secs = comp.framework.sections
    rows = []
    for r in comp.current:
        row: dict[str, Any] = {"School": _name(r.name), "URN": r.urn,
                               "Year": r.academic_year, "Phase": _phase(r.phase),
                               "Type": _type(r.type), "Area": _name(r.area or ""),
                               "Status": _status_words(r.status),
                               "Assessed": assessed_words(r)}
        for s in secs:
            row[_short_title(s.title)] = pct(r.sections[s.id].share)
        row["Duties not met or partly met"] = len(r.unmet_duties)
        rows.append(row)
    return rows


def _status_words(status: str) -> str:
    """A draft says so wherever a school's row shows."""
    label = AUDIT_STATUS_LABELS.get(status, status)
    return label if status in HANDED_IN else f"Draft ({label.lower()})"


def assessed_words(r: SchoolResult) -> str:
    """How much of a school's audit is answered, as an adviser would say it."""
    return f"{r.assessed:.0%} of {r.applicable} criteria assessed"


def _shown_apart_view(comp: Comparison) -> None:
    apart = comp.shown_apart
    if not apart:
        return
    st.subheader(f"Shown apart: less than {comp.min_assessed:.0%} assessed")
    st.caption("These audits have too few answers to read as a result; they are not in the "
               "heatmap, the common gaps or the quartiles until more is assessed.")
    st.dataframe([{"School": _name(r.name), "URN": r.urn, "Year": r.academic_year,
                   "Status": _status_words(r.status),
                   "Assessed": assessed_words(r)} for r in apart],
                 hide_index=True, key="cmp_apart_table")
    _school_links(apart)


def _order(comp: Comparison, how: str) -> list[SchoolResult]:
    return comp.lowest_first() if how == "Lowest first" else comp.current


def heatmap_chart(comp: Comparison, schools: list[SchoolResult]) -> alt.LayerChart:
    """Schools by section, coloured by share and labelled with it (never colour alone)."""
    secs = comp.framework.sections
    order = [f"{r.name} ({r.urn}, {r.assessed:.0%} assessed"
             + ("" if r.status in HANDED_IN else ", draft") + ")" for r in schools]
    now = {key: st.session_state.get(key) for key in address.FIELDS}
    data = []
    for r, label in zip(schools, order, strict=True):
        # a click on a cell opens the school beside the others, as the links under the
        # table do (which are the way in for a keyboard)
        opens = address.href(now, cmp_view="One school", cmp_school=r.urn)
        for s in secs:
            share = r.sections[s.id].share
            data.append({"School": label, "Section": _short_title(s.title),
                         "Title": s.title, "Share": share, "Label": pct(share)
                         if share is not None else "none",
                         "Dark": share is not None and share < 0.5, "Opens": opens})
    x = alt.X("Section:N", sort=[_short_title(s.title) for s in secs], title=None,
              axis=alt.Axis(orient="top", labelAngle=0, labelLimit=120))
    y = alt.Y("School:N", sort=order, title=None, axis=alt.Axis(labelLimit=260))
    base = alt.Chart(alt.Data(values=data)).encode(x=x, y=y)
    rect = base.mark_rect(stroke="white", strokeWidth=1).encode(
        color=alt.Color("Share:Q", title="Share at or above expected",
                        scale=alt.Scale(scheme=SCHEME, domain=[0, 1]),
                        legend=alt.Legend(format=".0%", orient="bottom",
                                          gradientLength=260)),
        tooltip=[alt.Tooltip("School:N"), alt.Tooltip("Title:N", title="Section"),
                 alt.Tooltip("Label:N", title="At or above expected")],
        href="Opens:N")
    # Cells with nothing assessed: their label ("not assessed") is in the text layer, so the
    # grey rectangles are decoration, hidden from screen readers (an empty group has no name).
    empty = base.transform_filter("datum.Share === null").mark_rect(
        color="#f3f2f1", stroke="#b1b4b6", strokeWidth=1, aria=False)
    text = base.mark_text(fontSize=12).encode(
        text="Label:N",
        color=alt.condition("datum.Dark", alt.value("white"), alt.value("#0b0c0c")))
    # The description becomes the SVG's accessible name (WCAG 2.2, 1.1.1).
    return (rect + empty + text).properties(
        height=alt.Step(26),
        description=f"Heatmap: the share of criteria met in each section, for "
                    f"{len(schools)} schools, each cell labelled with its figure.")


def _heatmap_view(comp: Comparison) -> None:
    st.header("Schools by section")
    st.caption("Each cell is the share of a school's assessed criteria in that section rated "
               "at or above the expected level (darker: lower). Rule: "
               + plain(comp.framework.manifest.rollup.section_rule))
    schools = comp.current
    if not schools:
        st.info("No school matches these filters.")
        _shown_apart_view(comp)
        return
    how = st.radio("Order", ["Lowest first", "Name"], key="cmp_order", horizontal=True)
    ordered = _order(comp, how)
    shown = ordered[:CHART_ROWS]
    if len(ordered) > CHART_ROWS:
        st.caption(f"The chart shows the first {CHART_ROWS} of {len(ordered):,} schools in "
                   "this order; the table below has every school. Narrow the filters to "
                   "chart others.")
    summary = "; ".join(
        f"{r.name}: " + ", ".join(f"{_short_title(s.title)} {pct(r.sections[s.id].share)}"
                                  for s in comp.framework.sections) for r in shown[:10])
    with st.container(key="heatmap"):  # scrolls sideways on a phone (see theme.py)
        st.altair_chart(heatmap_chart(comp, shown), width="stretch",
                        alt=f"Heatmap of {len(shown)} schools by section. {summary}")
    st.subheader("The same numbers as a table")
    st.dataframe(heatmap_rows(comp), hide_index=True, key="cmp_heat_table")
    st.caption(" · ".join(plain(s.title) for s in comp.framework.sections))
    _school_links(ordered, "Open a school beside the others")
    _shown_apart_view(comp)
    _drilldown(comp)


def criterion_rows(comp: Comparison, section: str) -> list[dict[str, Any]]:
    """Schools by criterion in one section: the rating in words, moderation beside it."""
    labels = _level_labels(comp)
    fw = comp.framework
    crits = [c.id for c in fw.active if fw.section_of(c.id) == section]
    mixed = any(r.comparable is not None for r in comp.current)
    rows = []
    for r in comp.current:
        row: dict[str, Any] = {"School": _name(r.name), "URN": r.urn}
        if mixed:
            row["Version"] = r.framework_version
        for cid in crits:
            row[cid] = answer_words(r, cid, labels)
        rows.append(row)
    return rows


def answer_words(r: SchoolResult, cid: str, labels: dict[str, str]) -> str:
    """A school's answer to one criterion, in words, moderation beside it."""
    cell = r.cells.get(cid)
    if not r.compares(cid):
        return f"not comparable (version {r.framework_version} asks it differently)"
    if cell is None:
        text = "does not apply"
    elif cell.not_applicable:
        text = "not applicable"
    elif cell.rating is None:
        text = "not assessed"
    else:
        text = labels.get(cell.rating, cell.rating)
        if cell.meets is False:
            text += " (below expected)"
    if cell is not None and cell.moderated_rating:
        text += f"; moderated: {labels.get(cell.moderated_rating, cell.moderated_rating)}"
    return text


def _close_criterion() -> None:
    st.session_state.pop("cmp_criterion", None)


def _one_criterion(comp: Comparison, cid: str) -> None:
    """One criterion school by school: what a common gap's link opens."""
    fw = comp.framework
    crit = fw.criterion(cid)
    labels = _level_labels(comp)
    st.markdown(f"**{plain(cid)}**{' (statutory duty)' if crit.statutory else ''}: "
                f"{plain(crit.text)}")
    mixed = any(r.comparable is not None for r in comp.current)
    st.table([{"School": school_link(r), "URN": r.urn,
               **({"Version": r.framework_version} if mixed else {}),
               "Answer": plain(answer_words(r, cid, labels))} for r in comp.current],
             hide_index=True)
    st.button("Show the whole section", key="cmp_criterion_close", on_click=_close_criterion)


def _drilldown(comp: Comparison) -> None:
    st.subheader("One section, criterion by criterion")
    fw = comp.framework
    titles = {s.id: s.title for s in fw.sections}
    section = st.selectbox("Section", list(titles), key="cmp_section",
                           format_func=lambda s: titles[s])
    crits = [c for c in fw.active if fw.section_of(c.id) == section]
    if st.session_state.get("cmp_criterion") not in {c.id for c in crits}:
        st.session_state.pop("cmp_criterion", None)  # a stale or foreign link: the section
    elif comp.current:
        _one_criterion(comp, st.session_state["cmp_criterion"])
        return
    others = [r for r in comp.current if r.comparable is not None]
    if others:
        st.caption(f"{count(len(others), 'school')} on another version of the criteria than "
                   f"{plain(fw.version)}: a criterion that version asks differently (new, "
                   "reworded, re-scoped or re-levelled) is marked not comparable, and that "
                   "school's answer to it is left out of every count.")
    st.dataframe(criterion_rows(comp, section), hide_index=True, key="cmp_crit_table")

    def apart(cid: str) -> str:
        n = sum(1 for r in others if not r.compares(cid))
        return f" (not comparable for {count(n, 'school')} on another version)" if n else ""

    with st.expander("What the criteria in this section are"):
        st.markdown("\n".join(f"- **{criterion_link(c.id, section)}**"
                              f"{' (statutory duty)' if c.statutory else ''}: {plain(c.text)}"
                              f"{plain(apart(c.id))}" for c in crits))


# --- common gaps, duties ------------------------------------------------------------------


def gap_rows(comp: Comparison, limit: int | None = None) -> list[dict[str, Any]]:
    labels = _level_labels(comp)
    titles = {s.id: s.title for s in comp.framework.sections}
    rows = []
    for i, g in enumerate(comp.common_gaps()[:limit], 1):
        rows.append({
            "Rank": i, "Kind": "Statutory duty" if g.statutory else "Expectation",
            "Criterion": g.criterion, "Section": _short_title(titles[g.section]),
            "Schools below expected": g.schools_below,
            "Schools assessed": g.schools_assessed, "Share below": f"{g.share:.0%}",
            "Ratings": ", ".join(f"{labels.get(lv, lv)} {n}" for lv, n in g.counts.items()),
            "Criterion text": g.text})
    return rows


def _gaps_view(comp: Comparison) -> None:
    st.header("Criteria most schools rate below expected")
    n = len(comp.current)
    st.markdown(f"Of {count(n, 'school')}, most schools below first: the list to decide "
                "the authority's training and support. Statutory duties are marked "
                "**Statutory duty** in the Kind column; on a tie, duties come first. Shares "
                "are of the schools that assessed the criterion.")
    rows = gap_rows(comp)
    if not rows:
        st.info("No criterion is rated below expected by any school in this selection.")
        return
    top = rows[0]
    st.markdown(f"Most common: **{plain(top['Criterion'])}** ({top['Kind'].lower()}), "
                f"{top['Schools below expected']} of {top['Schools assessed']} schools "
                f"below expected ({top['Share below']}).")
    st.dataframe(rows, hide_index=True, key="cmp_gaps_table",
                 column_config={"Criterion text": st.column_config.TextColumn(width="large")})
    st.markdown("Open a criterion school by school:\n" + "\n".join(
        f"{i}. " + criterion_link(g.criterion, g.section,
                                  f"{g.criterion}: {one_line(g.text, 90)}")
        + f" ({g.schools_below} of {g.schools_assessed} below expected)"
        for i, g in enumerate(comp.common_gaps(), 1)))


def duty_rows(comp: Comparison) -> list[dict[str, Any]]:
    rows = []
    for school in comp.duties_not_met():
        for d in school["duties"]:
            rows.append({"School": _name(school["name"]), "URN": school["urn"],
                         "Year": school["academic_year"], "Duty": d["criterion"],
                         "School's rating": d["rating_label"],
                         "Moderated rating": d["moderated_label"] or "not moderated",
                         "Moderation note": _name(d["moderation_note"] or ""),
                         "Duty text": d["text"]})
    return rows


def _duties_view(comp: Comparison) -> None:
    st.header("Statutory duties not met, school by school")
    schools = comp.duties_not_met()
    n = len(comp.current)
    st.markdown(f"{len(schools)} of {count(n, 'school')} rate at least one statutory duty "
                "not met or partly met. The LA's moderated rating is beside the school's "
                "own where an adviser has recorded one.")
    if schools:
        st.dataframe(duty_rows(comp), hide_index=True, key="cmp_duty_table")
        by_key = {r.key: r for r in comp.current_all}
        _school_links([by_key[(s["urn"], s["academic_year"])] for s in schools
                       if (s["urn"], s["academic_year"]) in by_key])


# --- moderation -----------------------------------------------------------------------------


def _moderation_view(comp: Comparison) -> None:
    """The adviser's queue, and every answer where the authority's view differs."""
    st.header("Moderation")
    labels = _level_labels(comp)
    queue = comp.moderation_queue()
    st.subheader("Submitted and not yet moderated")
    rows = queue["not_moderated"]
    if rows:
        st.dataframe([{"School": _name(r["name"]), "URN": r["urn"], "Year": r["academic_year"],
                       "Assessed": f"{r['assessed']:.0%}"} for r in rows],
                     hide_index=True, key="cmp_mod_waiting")
    else:
        st.markdown("Every submitted audit has at least one moderated answer.")
    st.subheader("Duties rated met with no evidence recorded")
    rows = queue["met_without_evidence"]
    if rows:
        st.dataframe([{"School": _name(r["name"]), "URN": r["urn"], "Year": r["academic_year"],
                       "Duties": ", ".join(r["criteria"])} for r in rows],
                     hide_index=True, key="cmp_mod_noevidence")
    else:
        st.markdown("None: every duty rated met has evidence recorded.")
    st.subheader("Most unlike last year's moderation")
    rows = queue["unlike_last_year"]
    if rows:
        st.dataframe([{"School": _name(r["name"]), "URN": r["urn"], "Year": r["academic_year"],
                       "Answers unlike last year's moderation": r["differences"],
                       "Criteria": ", ".join(r["criteria"])} for r in rows],
                     hide_index=True, key="cmp_mod_unlike")
    else:
        st.markdown("No school has a rating unlike last year's moderation of it.")
    st.subheader("Where the authority's view differs")
    diffs = comp.differences()
    if not diffs:
        st.markdown("No moderated rating differs from the school's own.")
        return
    st.caption("The school's own rating stays as the school gave it; the authority's is "
               "beside it, never over it.")
    st.dataframe([{"School": _name(d["name"]), "URN": d["urn"], "Criterion": d["criterion"],
                   "Criterion text": d["text"],
                   "School's rating": labels.get(d["rating"] or "", "not assessed"),
                   "Authority's rating": labels.get(d["moderated_rating"],
                                                    d["moderated_rating"]),
                   "Note": _name(d["moderation_note"] or "")} for d in diffs],
                 hide_index=True, key="cmp_mod_differs")


# --- one school -----------------------------------------------------------------------------


def _school_choice(comp: Comparison, key: str) -> SchoolResult | None:
    schools = comp.current_all
    if not schools:
        st.info("No school matches these filters.")
        return None
    by_urn = {r.urn: r for r in schools}
    if st.session_state.get(key) not in by_urn:
        st.session_state.pop(key, None)
    urn = st.selectbox("School", list(by_urn), key=key,
                       format_func=lambda u: f"{by_urn[u].name} (URN {u})")
    return by_urn[urn]


def school_chart(detail: dict[str, Any]) -> alt.LayerChart:
    """The school's share (a point) on each section's spread: quartile box, median tick."""
    rows = []
    for s in detail["sections"]:
        d = s["distribution"]
        rows.append({"Section": _short_title(s["title"]), "Title": s["title"],
                     "School": s["share"], "Q1": d["q1"], "Median": d["median"],
                     "Q3": d["q3"], "Min": d["min"], "Max": d["max"]})
    order = [r["Section"] for r in rows]
    base = alt.Chart(alt.Data(values=rows)).encode(
        y=alt.Y("Section:N", sort=order, title=None, axis=alt.Axis(labelLimit=200)))
    pc = alt.Axis(format=".0%", values=TICKS)
    scale = alt.Scale(domain=DOMAIN, nice=False)
    whisker = base.mark_rule(color="#505a5f").encode(
        x=alt.X("Min:Q", scale=scale, axis=pc, title="Share at or above expected"),
        x2="Max:Q")
    box = base.mark_bar(size=16, color="#b1b4b6").encode(x="Q1:Q", x2="Q3:Q")
    median = base.mark_tick(color="#0b0c0c", thickness=3, size=20).encode(x="Median:Q")
    point = base.mark_point(shape="diamond", size=160, filled=True, color="#1d70b8").encode(
        x="School:Q", tooltip=["Title:N", alt.Tooltip("School:Q", format=".0%"),
                               alt.Tooltip("Median:Q", format=".0%")])
    return (whisker + box + median + point).properties(height=alt.Step(34))


def _one_school_view(comp: Comparison, every: Comparison, from_db: bool) -> None:
    st.header("One school beside the others")
    res = _school_choice(comp, "cmp_school")
    if res is None:
        return
    detail = every.school(res.urn, res.academic_year)
    assert detail is not None
    prev = detail["previous_year"]
    st.markdown(f"**{plain(res.name)}**, URN {res.urn}, {res.academic_year}, "
                f"{_phase(res.phase)}, {_type(res.type)}; audit "
                f"{AUDIT_STATUS_LABELS.get(res.status, res.status).lower()}. "
                + (f"Change is since {prev}." if prev else "No earlier audit to compare with."))
    st.caption(f"The spread is of the schools in the current filters that audited in "
               f"{res.academic_year}: grey "
               "bar from the lower to the upper quartile, black tick at the median, line "
               "from lowest to highest, blue diamond this school.")
    st.altair_chart(school_chart(detail), width="stretch",
                    alt="This school's share in each section beside the median and "
                        "quartiles of all schools; the table has the numbers.")
    st.dataframe([{
        "Section": _short_title(s["title"]), "This school": pct(s["share"]),
        "Median": pct(s["distribution"]["median"]),
        "Lower quartile": pct(s["distribution"]["q1"]),
        "Upper quartile": pct(s["distribution"]["q3"]),
        "Where it sits": s["place"] or "",
        "Last year": pct(s["previous"]) if prev else "no audit",
        "Change": ("" if s["change"] is None else f"{s['change'] * 100:+.0f} points"),
        "Flagged (duty not met)": "yes" if s["flagged"] else "no",
    } for s in detail["sections"]], hide_index=True, key="cmp_school_table")
    if detail["unmet_duties"]:
        st.markdown("Statutory duties not met or partly met: "
                    + ", ".join(plain(c) for c in detail["unmet_duties"]) + ".")
    if (from_db and session.may_school("view", res.urn)
            and st.button("Open this school's gap report", key="cmp_open", type="primary")):
        session.select_audit(res.urn, res.academic_year)
        session.go("report")


# --- trends ---------------------------------------------------------------------------------


def trend_rows(every: Comparison) -> list[dict[str, Any]]:
    titles = {s.id: s.title for s in every.framework.sections}
    rows = []
    for t in every.trends():
        row: dict[str, Any] = {"Year": t["academic_year"], "Schools": t["schools"]}
        for sid, d in t["sections"].items():
            row[f"{_short_title(titles[sid])} median"] = pct(d["median"])
        row["Schools with a duty not met"] = t["schools_with_unmet_duties"]
        rows.append(row)
    return rows


def _line_chart(rows: list[dict[str, Any]], title: str, order: list[str]) -> alt.Chart:
    """Shares by year, one line per section: colour, dash and marker shape all differ."""
    chart = alt.Chart(alt.Data(values=rows)).mark_line(point=alt.OverlayMarkDef(size=60)).encode(
        x=alt.X("Year:N", title="Academic year", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("Share:Q", title=title, scale=alt.Scale(domain=DOMAIN, nice=False),
                axis=alt.Axis(format=".0%", values=TICKS)),
        # two columns of section names: three ran off the right of a phone's screen
        color=alt.Color("Section:N", sort=order, scale=alt.Scale(scheme="tableau10"),
                        legend=alt.Legend(orient="bottom", columns=2)),
        strokeDash=alt.StrokeDash("Section:N", sort=order, legend=None),
        shape=alt.Shape("Section:N", sort=order, legend=None),
        tooltip=["Year:N", "Section:N", alt.Tooltip("Share:Q", format=".0%")])
    return chart.properties(height=300)


def _trends_view(every: Comparison) -> None:
    st.header("Trends across years")
    titles = {s.id: s.title for s in every.framework.sections}
    order = [_short_title(t) for t in titles.values()]
    trends = every.trends()
    if not trends:
        st.info("No audits in this selection.")
        return
    st.subheader("The authority")
    st.caption("Median share at or above expected, per section and year. The number of "
               "schools is given for each year: a changing group of schools moves the median "
               "as much as real change does.")
    points = [{"Year": t["academic_year"], "Section": _short_title(titles[sid]),
               "Share": d["median"]}
              for t in trends for sid, d in t["sections"].items() if d["median"] is not None]
    if len(trends) > 1:
        st.altair_chart(_line_chart(points, "Median share", order), width="stretch",
                        alt="Median share per section by year; the table has the numbers.")
    else:
        st.caption(f"Only {trends[0]['academic_year']} so far: a trend needs two years.")
    st.dataframe(trend_rows(every), hide_index=True, key="cmp_trend_table")
    st.subheader("One school")
    res = _school_choice(every, "cmp_trend_school")
    if res is None:
        return
    rows = every.school_trend(res.urn)
    points = [{"Year": t["academic_year"], "Section": _short_title(titles[sid]),
               "Share": v} for t in rows for sid, v in t["sections"].items() if v is not None]
    if len(rows) > 1:
        st.altair_chart(_line_chart(points, "Share", order), width="stretch",
                        alt=f"{res.name}: share per section by year.")
    st.dataframe([{"Year": t["academic_year"],
                   **{_short_title(titles[sid]): pct(v) + (
                       f" ({t['change'][sid] * 100:+.0f})" if t["change"][sid] is not None
                       else "") for sid, v in t["sections"].items()},
                   "Duties not met or partly met": ", ".join(t["unmet_duties"]) or "none"}
                  for t in rows], hide_index=True, key="cmp_school_trend_table")
    st.caption("In brackets: the change in percentage points on the year before.")


# --- exports --------------------------------------------------------------------------------


def export_files(comp: Comparison, threshold: int) -> dict[str, tuple[str, str, str,
                                                                     Callable[[], bytes]]]:
    """key -> (label, file name, mime, build): each file built only when clicked."""
    stem = "quality-offer-comparison"
    return {
        "xlsx": ("Comparison (XLSX)", f"{stem}.xlsx", XLSX, lambda: to_xlsx(comp)),
        "csv": ("Every answer (CSV)", f"{stem}.csv", "text/csv",
                lambda: to_csv(comp).encode("utf-8-sig")),
        "shared": ("Summary to share (XLSX)",
                   f"{stem}-shared-threshold-{threshold}.xlsx", XLSX,
                   lambda: shared_xlsx(comp, threshold)),
    }


def _exports_view(comp: Comparison, from_db: bool, scope: Scope) -> None:
    st.header("Exports")
    n = len({r.urn for r in comp.results})
    audits = count(len(comp.results), 'audit')
    st.markdown(f"The exports hold the {count(n, 'school')} and {audits} "
                f"in the current filters. An audit with less than {comp.min_assessed:.0%} "
                "of its criteria assessed is marked as shown apart and left out of the "
                "common gaps and the quartiles. Spreadsheet cells that would run as a formula "
                "are made harmless (a leading apostrophe).")
    threshold = int(st.number_input(
        "Smallest group shown in the summary to share", min_value=1, max_value=100,
        value=DEFAULT_THRESHOLD, step=1, key="cmp_threshold",
        help="Any group (phase, type, area, criterion) of fewer schools than this has its "
             "figures replaced by 'suppressed'."))
    files = export_files(comp, threshold)
    cols = st.columns(3)
    for col, (key, (label, name, mime, build)) in zip(cols, files.items(), strict=True):
        with col:
            st.download_button(label, build, file_name=name, mime=mime, on_click="ignore",
                               key=f"cmp_dl_{key}", icon=":material/download:",
                               width="stretch")
    summary = shared_summary(comp, threshold)
    st.info("**The summary to share** names no school. It gives the authority's medians by "
            "phase, type and area and the common gaps. " + plain(summary["note"])
            + f" In this selection, {count(summary['suppressed'], 'group')} "
            f"{'is' if summary['suppressed'] == 1 else 'are'} suppressed.",
            icon=":material/shield:")
    st.subheader("Every school's PDF report")
    if not from_db:
        st.caption("The PDF reports are made from the database; load the audits into the "
                   "database (Import and export page) to make them.")
        return
    report_jobs.start_part(comp, scope, data_version(session.store(), scope))


# --- not submitted --------------------------------------------------------------------------


def _coverage_view(every: Comparison, year: str | None, scope: Scope) -> None:
    from .. import gias

    st.header("Schools that have not submitted")
    st.markdown("Upload the authority's list of schools as a CSV extract from Get "
                "Information about Schools (GIAS, from the DfE): every open school in it "
                "without an audit is listed.")
    upload = st.file_uploader("GIAS extract (CSV)", type=["csv"], key="cmp_gias")
    area_column = st.text_input("Column to use as the area (optional)", key="cmp_gias_area",
                                placeholder="for example DistrictAdministrative (name)")
    if upload is None:
        return
    try:
        register = gias.parse_text(upload.getvalue(), upload.name,
                                   area_column=area_column.strip() or None)
    except InputError as exc:
        st.error("The file cannot be used: " + plain("; ".join(str(p) for p in exc.problems)))
        return
    if not scope.everything:
        register = register.in_las(scope.la_codes)
    cov = gias.coverage(register, every, year)
    st.markdown(f"**{cov['submitted']} of {count(cov['schools'], 'school')}** in the list "
                f"have an audit for {cov['academic_year'] or 'the year chosen'}; "
                f"{len(cov['not_submitted'])} have not.")
    if cov["not_submitted"]:
        st.dataframe([{"School": _name(s["name"]), "URN": s["urn"],
                       "Phase": _phase(s["phase"]), "Type": _type(s["type"]),
                       "Area": _name(s["area"] or ""), "LA code": s["la_code"] or ""}
                      for s in cov["not_submitted"]], hide_index=True,
                     key="cmp_not_submitted")
    if cov["problems"]:
        with st.expander(f"{count(len(cov['problems']), 'line')} of the file could not be "
                         "used as it is"):
            st.code("\n".join(cov["problems"][:200]), language=None, wrap_lines=True)


# --- the page -------------------------------------------------------------------------------


def render() -> None:
    session.follow_page_request()
    st.title("Compare schools")
    user = session.current_user()
    if not session.may("compare"):
        st.error("Comparing schools is for local authority advisers and administrators.",
                 icon=":material/block:")
        return
    scope = compare_scope(user)
    report_jobs.sidebar_part(scope)
    _read_address()
    source = st.segmented_control("Audits from", [FROM_DB, FROM_FILES], key="cmp_source",
                                  default=FROM_DB, required=True)
    from_db = source != FROM_FILES
    if from_db:
        try:
            comp: Comparison | None = database_comparison(user)
        except LookupError:
            comp = None
        if comp is not None and not comp.results:
            where = ("" if scope.everything else " of your authority ("
                     + ", ".join(sorted(scope.la_codes)) + ")")
            st.info(f"There are no audits{where} in the database yet.")
            comp = None
    else:
        comp = _files_comparison()
    if comp is None:
        return
    if comp.skipped:
        with st.expander(f"{count(len(comp.skipped), 'audit')} left out: see why"):
            st.dataframe([{"File": s.file, "Why": s.error} for s in comp.skipped],
                         hide_index=True, key="cmp_skipped")
    others = comp.other_versions()
    if others:
        with st.expander(f"{count(len(others), 'audit')} on another version than "
                         f"{comp.framework.version}: compared on the unchanged criteria only"):
            st.dataframe([{"School": o["name"], "URN": o["urn"], "Year": o["academic_year"],
                           "Version": o["framework_version"],
                           "Not compared (changed since)": ", ".join(o["not_comparable"])}
                          for o in others], hide_index=True, key="cmp_versions")
    if from_db:
        comp = _collection(comp, scope)
    every, view, year = _filters(comp)
    if st.session_state.get("cmp_view") not in VIEWS:
        st.session_state.pop("cmp_view", None)
    n = len(view.current)
    apart = len(view.shown_apart)
    st.markdown(f"**{n:,} {'school' if n == 1 else 'schools'}** in this selection"
                + (f" (and {apart:,} shown apart, under {view.min_assessed:.0%} assessed)"
                   if apart else "")
                + (f", {year}" if year else ", all years (each school by its latest audit)")
                + f" · {plain(comp.framework.title)}, version {comp.framework.version}")
    choice = st.segmented_control("View", VIEWS, key="cmp_view", default=VIEWS[0],
                                  required=True, label_visibility="collapsed")
    if choice == "Heatmap":
        _heatmap_view(view)
    elif choice == "Common gaps":
        _gaps_view(view)
    elif choice == "Duties not met":
        _duties_view(view)
    elif choice == "Moderation":
        _moderation_view(view)
    elif choice == "One school":
        _one_school_view(view, every, from_db)
    elif choice == "Trends":
        _trends_view(every)
    elif choice == "Exports":
        _exports_view(view, from_db, scope)
    elif choice == "Not submitted":
        _coverage_view(every, year, scope)
    _write_address()


HANDED_IN = ("submitted", "signed-off")


def _collection(comp: Comparison, scope: Scope) -> Comparison:
    """Once the authority has opened a collection, the views open on its year and count the
    audits schools have handed in; drafts can be shown too, marked as drafts."""
    la_code = _one_authority(comp, scope)
    cycle = session.store().cycle(la_code) if la_code else None
    if la_code and session.may("set_cycle", la_code=la_code):
        _collection_form(la_code, cycle, comp)
    if cycle is None:
        return comp
    closes = f", closing {long_date(cycle.closes_on)}" if cycle.closes_on else ""
    if cycle.academic_year in comp.years and "_cmp_cycle_opened" not in st.session_state:
        st.session_state["_cmp_cycle_opened"] = True
        st.session_state.setdefault("cmp_year", cycle.academic_year)
    # The schools yet to submit this collection: a school that has started next year's audit
    # early has a draft too, but it is not one the authority is waiting for.
    drafts = sum(1 for r in comp.results if r.status not in HANDED_IN)
    waiting = sum(1 for r in comp.results if r.status not in HANDED_IN
                  and r.academic_year == cycle.academic_year)
    st.caption(f"The authority is collecting {cycle.academic_year}{closes}. The views count "
               "audits schools have submitted or signed off"
               + (f"; {count(waiting, 'draft')} of {cycle.academic_year} not yet submitted"
                  if waiting else "")
               + (f" (and {count(drafts - waiting, 'draft')} of "
                  f"{'another year' if drafts - waiting == 1 else 'other years'})"
                  if drafts > waiting else "") + ".")
    if drafts and st.toggle("Include drafts (audits not yet submitted), marked as drafts",
                            key="cmp_drafts"):
        return comp
    return comp.filter(status=HANDED_IN)


def _one_authority(comp: Comparison, scope: Scope) -> str | None:
    """The authority whose collection the page shows: an adviser's own; for someone who sees
    every authority (an administrator), the one authority the schools compared belong to."""
    if len(scope.la_codes) == 1 and not scope.everything:
        return next(iter(scope.la_codes))
    if scope.everything:
        codes = {r.la_code for r in comp.results if r.la_code}
        return next(iter(codes)) if len(codes) == 1 else None
    return None


def _save_collection(la_code: str) -> None:
    """Button callback: set the authority's collection through the store (which checks the
    right), and open the views on the year set."""
    ss = st.session_state
    year = str(ss.get("cmp_cycle_year") or "").strip()
    closes = ss.get("cmp_cycle_closes")
    try:
        cycle = session.store().set_cycle(la_code, year, closes, session.current_user())
    except StoreError as exc:
        ss["_cmp_cycle_msg"] = ("error", f"The collection was not changed: {exc}")
        return
    ss["_cmp_cycle_msg"] = ("success", f"The authority is now collecting "
                            f"{cycle.academic_year}" + (f", closing {long_date(cycle.closes_on)}"
                                                        if cycle.closes_on else "") + ".")
    ss["cmp_year"] = cycle.academic_year
    ss["_cmp_cycle_opened"] = True


def _collection_form(la_code: str, cycle: Any, comp: Comparison) -> None:
    """For the authority's advisers: the year it collects and the closing date."""
    ss = st.session_state
    msg = ss.pop("_cmp_cycle_msg", None)
    if msg:
        (st.success if msg[0] == "success" else st.error)(plain(msg[1]))
    ss.setdefault("cmp_cycle_year", cycle.academic_year if cycle else
                  (comp.years[-1] if comp.years else ""))
    ss.setdefault("cmp_cycle_closes", cycle.closes_on if cycle else None)
    label = (f"The authority's collection: {cycle.academic_year}" if cycle
             else "The authority's collection: not set")
    with st.expander(label):
        st.caption("Compare opens on the year collected and counts the audits schools have "
                   "submitted; schools see the year and the closing date on their Audits "
                   "page. Leave the date empty for no closing date.")
        left, right = st.columns(2)
        left.text_input("Academic year collected", key="cmp_cycle_year",
                        placeholder="2026/27", max_chars=7)
        right.date_input("Closing date", key="cmp_cycle_closes", format="DD/MM/YYYY")
        st.button("Save the collection", key="cmp_cycle_save", on_click=_save_collection,
                  args=(la_code,))


def _read_address() -> None:
    """Once per session, take the view from the page's address (a reload or a shared link)."""
    if st.session_state.get("_cmp_address_read"):
        return
    st.session_state["_cmp_address_read"] = True
    st.session_state.update(address.state_from(st.query_params.get_all, VIEWS))


def _write_address() -> None:
    """Keep the address in step with what is on screen, so it can be reloaded or shared."""
    wanted = address.params_from(st.session_state)
    for field in address.FIELDS.values():
        if field.param not in wanted and field.param in st.query_params:
            del st.query_params[field.param]
    for name, value in wanted.items():
        current = st.query_params.get_all(name)
        if current != (value if isinstance(value, list) else [value]):
            st.query_params[name] = value
