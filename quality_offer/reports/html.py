"""The HTML report of one GapReport: one self-contained, accessible page.

Same content as the PDF, for screen readers, for email and for the web. One file with
nothing to fetch: no scripts, no web fonts, no images; the chart is inline SVG with a text
alternative and the same numbers in a table. Every free-text string goes through
:func:`html.escape` (after control characters are replaced), so markup typed into an audit
shows as text. Meaning never rests on colour: ratings, flags and overdue actions are words.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

from ..citations import cited_list
from ..dates import long_date
from ..gaps import GapReport, Item, RefOut, SectionResult
from ..vocabulary import (
    ACTION_STATUS_LABELS,
    AUDIT_STATUS_LABELS,
    CHECK_LABELS,
    EVIDENCE_CHECK_LABELS,
    EVIDENCE_KIND_LABELS,
    PRINTED_SIGN_OFFS,
    SIGN_OFF_ROLE_LABELS,
)
from .wording import clean_text, coming_when, draft_line, overdue_words, share_text

__all__ = ["render_html", "section_chart_svg"]


CSS = """
:root { --ink: #0b0c0c; --accent: #1d70b8; --grey: #505a5f; --rule: #b1b4b6;
        --light: #f3f2f1; --red: #d4351c; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff; font: 1rem/1.5 system-ui,
       -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif; }
.skip { position: absolute; left: -9999px; }
.skip:focus { left: 1rem; top: 1rem; background: #fd0; color: var(--ink); padding: .5rem; }
header.band { background: var(--accent); color: #fff; padding: 1.25rem 1.5rem; }
header.band p { margin: .15rem 0; }
main { max-width: 62rem; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 2.25rem; line-height: 1.15; margin: .5rem 0 .25rem; }
h2 { font-size: 1.6rem; margin: 2.5rem 0 .75rem; padding-top: .5rem;
     border-top: 3px solid var(--accent); }
h3 { font-size: 1.2rem; margin: 1.75rem 0 .5rem; }
h4 { font-size: 1.05rem; margin: .25rem 0 .5rem; }
p, li, dd { overflow-wrap: anywhere; }
td { overflow-wrap: break-word; }
.table-wrap { overflow-x: auto; }
figure { margin: 0 0 1rem; }
a { color: var(--accent); }
a:focus { outline: 3px solid #fd0; background: #fd0; color: var(--ink); }
.lead { font-size: 1.2rem; }
.muted, .small { color: var(--grey); }
.small { font-size: .9rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .95rem; }
caption { text-align: left; font-weight: 700; padding: .25rem 0 .5rem; }
th, td { text-align: left; vertical-align: top; padding: .45rem .6rem;
         border-bottom: 1px solid var(--rule); }
thead th { background: var(--light); border-bottom: 2px solid var(--ink); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
dl.details { display: grid; grid-template-columns: 12rem 1fr; gap: .35rem 1rem; }
dl.details dt { font-weight: 700; }
dl.details dd { margin: 0; }
.stats { display: grid; grid-template-columns: repeat(4, 1fr); gap: .75rem; padding: 0;
         list-style: none; }
.stats li { padding: .5rem .75rem; border-left: 5px solid var(--grey); background: var(--light); }
.stats .n { display: block; font-size: 2rem; font-weight: 700; line-height: 1.1; }
.stats .green { border-color: #005a30; background: #cce2d8; }
.stats .orange { border-color: #6e3619; background: #fcd6c3; }
.stats .red { border-color: #2a0b06; background: #f4cdc6; }
.tag { display: inline-block; font-size: .8rem; font-weight: 700; text-transform: uppercase;
       letter-spacing: .02em; padding: .05rem .4rem; }
.tag-green { color: #005a30; background: #cce2d8; }
.tag-red { color: #2a0b06; background: #f4cdc6; }
.tag-orange { color: #6e3619; background: #fcd6c3; }
.tag-grey { color: #282d30; background: #eeefef; }
article.criterion { border-bottom: 1px solid var(--rule); padding: .75rem 0 1rem; }
article.criterion .meta { color: var(--grey); font-size: .9rem; margin: 0; }
article.criterion dl { display: grid; grid-template-columns: 8rem 1fr; gap: .35rem 1rem;
                       margin: .5rem 0 0; }
article.criterion dt { font-weight: 700; font-size: .9rem; }
article.criterion dd { margin: 0; }
article.criterion dd p { margin: 0 0 .4rem; }
.evidence p { margin: 0 0 .4rem; }
.flag { color: var(--red); font-weight: 700; }
.overdue { color: var(--red); font-weight: 700; }
.signature { min-width: 10rem; }
.draft { border: 3px solid #a1260d; color: #a1260d; background: #fff; font-weight: 700;
         padding: .5rem .75rem; margin: 0; }
blockquote.reason { margin: .25rem 0 1rem; padding-left: 1rem; border-left: 4px solid
                    var(--rule); white-space: pre-wrap; }
nav.contents ol { padding-left: 1.25rem; }
footer { max-width: 62rem; margin: 2rem auto; padding: 1rem 1.5rem; color: var(--grey);
         border-top: 1px solid var(--rule); font-size: .9rem; }
@media (max-width: 40rem) {
  .stats { grid-template-columns: repeat(2, 1fr); }
  dl.details, article.criterion dl { grid-template-columns: 1fr; }
}
@media print {
  @page { size: A4; margin: 18mm 16mm; }
  .draft { padding: 1.5mm 3mm; font-size: 9pt; }
  body { font-size: 10.5pt; }
  .skip, nav.contents { display: none; }
  header.band { background: none; color: var(--ink); border-bottom: 3px solid var(--ink);
                padding: 0 0 .5rem; }
  main { max-width: none; padding: 0; }
  h2 { break-before: page; border-top: none; }
  h2, h3, h4 { break-after: avoid; }
  tr, .stats li, figure { break-inside: avoid; }
  .table-wrap { overflow: visible; }
  table { font-size: 9pt; }
  th, td { padding: .25rem .35rem; }
  caption { break-after: avoid; }
  thead { display: table-header-group; }
  a { color: var(--ink); }
  .references a[href^="http"]::after { content: " (" attr(href) ")"; font-size: 9pt; }
  .tag, .stats li { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def e(value: object) -> str:
    """Free text escaped for HTML, with control characters replaced."""
    return html.escape(clean_text(value), quote=True)


def e_lines(value: object) -> str:
    """Free text escaped, with its line breaks kept as <br>."""
    return "<br>\n".join(e(line) for line in clean_text(value).split("\n"))


def _paras(value: object) -> str:
    lines = [ln for ln in clean_text(value).split("\n") if ln.strip()]
    return "".join(f"<p>{e(ln)}</p>" for ln in lines)


def _tag(text: str, colour: str) -> str:
    return f'<strong class="tag tag-{colour}">{e(text)}</strong>'


def _item_tag(item: Item) -> str:
    if item.not_applicable_reason is not None:
        return _tag("Not applicable", "grey")
    if item.rating is None:
        return _tag("Not assessed", "grey")
    label = item.rating_label or item.rating
    if item.meets:
        return _tag(label, "green")
    return _tag(label, "red" if item.statutory else "orange")


def _table(caption: str, headers: Sequence[str], rows: Iterable[Sequence[str]],
           numeric: Sequence[int] = (), row_headers: bool = True) -> str:
    """A table with a caption, column headers and (by default) the first cell as row header.

    Cells are HTML already escaped by the caller.
    """
    head = "".join(f'<th scope="col"{" class=num" if i in numeric else ""}>{h}</th>'
                   for i, h in enumerate(headers))
    body = []
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            cls = ' class="num"' if i in numeric else ""
            if i == 0 and row_headers:
                cells.append(f'<th scope="row"{cls}>{cell}</th>')
            else:
                cells.append(f"<td{cls}>{cell}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (f'<div class="table-wrap"><table>\n<caption>{caption}</caption>\n'
            f"<thead><tr>{head}</tr></thead>\n<tbody>\n" + "\n".join(body)
            + "\n</tbody>\n</table></div>\n")


def _chart_words(sec: SectionResult) -> str:
    if sec.meeting_expectation_share is None:
        words = "not assessed yet"
    else:
        words = (f"{sec.at_or_above} of {sec.assessed} assessed at or above expected "
                 f"({share_text(sec.meeting_expectation_share)})")
        if sec.not_assessed:
            words += f", {sec.not_assessed} not assessed"
    return words


def section_chart_svg(sections: Sequence[SectionResult]) -> str:
    """A horizontal bar per section, numbers beside each bar, with a title and description.

    A flagged section gets its own line in words under the bar; colour only repeats it.
    """
    width, track = 760, 260
    rows = []
    y = 0
    for sec in sections:
        share = sec.meeting_expectation_share or 0
        row_h = 58 if sec.flagged else 42
        rows.append(
            f'<text x="0" y="{y + 14}" font-weight="700" font-size="14">{e(sec.title)}</text>'
            f'<rect x="0" y="{y + 21}" width="{track}" height="12" fill="#f3f2f1" '
            f'stroke="#b1b4b6"/>'
            + (f'<rect x="0" y="{y + 21}" width="{track * share:.1f}" height="12" '
               f'fill="#1d70b8"/>' if share else "")
            + f'<text x="{track + 10}" y="{y + 32}" font-size="14">'
              f"{e(_chart_words(sec))}</text>"
            + (f'<text x="0" y="{y + 50}" font-size="13" font-weight="700" '
               f'fill="#d4351c">Statutory duty not met in full: '
               f"{e(', '.join(sec.unmet_duties))}</text>" if sec.flagged else ""))
        y += row_h
    desc = "; ".join(f"{sec.title}: {_chart_words(sec)}"
                     + (" — statutory duty not met in full" if sec.flagged else "")
                     for sec in sections)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" '
            f'aria-labelledby="chart-title chart-desc" viewBox="0 0 {width} {y + 4}" '
            f'width="100%" style="max-width:{width}px" font-family="system-ui, sans-serif" '
            f'fill="#0b0c0c">'
            f'<title id="chart-title">Each section: share of assessed criteria at or above '
            f"the expected level</title>"
            f'<desc id="chart-desc">{e(desc)}</desc>' + "".join(rows) + "</svg>")


def _cover(r: GapReport) -> str:
    s = r.school
    status = AUDIT_STATUS_LABELS.get(r.status, r.status)
    if r.is_draft:
        status += " (draft: not signed off)"
    rows = [
        ("URN", e(s.get("urn", ""))),
        ("Academic year", e(r.academic_year)),
        ("Framework", f"{e(r.framework.get('title', ''))}, version "
                      f"{e(r.framework.get('version', ''))}"),
        ("Status", f"{e(status)}, report as of {long_date(r.as_of)}"),
        ("Completed by", e(r.completed_by) if r.completed_by else "Not recorded"),
    ]
    kind = " ".join(str(x).replace("-", " ") for x in (s.get("phase"), s.get("type")) if x)
    if kind:
        rows.append(("School", e(kind.capitalize() + " school")))
    if s.get("la_code"):
        rows.append(("Local authority", e(s["la_code"])
                     + (f", {e(s['area'])}" if s.get("area") else "")))
    if r.current_sign_offs:
        rows.append(("Signed off by", "<br>".join(
            f"{e(so.name)} ({SIGN_OFF_ROLE_LABELS.get(so.role, so.role)}), {long_date(so.date)}"
            for so in r.current_sign_offs)))
    details = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows)
    return (f"<h1>{e(s.get('name', ''))}</h1>\n"
            '<p class="lead">SEND provision self-assessment and gap report</p>\n'
            f'<dl class="details">{details}</dl>\n'
            '<nav class="contents" aria-label="Contents"><h2 id="contents">Contents</h2><ol>'
            '<li><a href="#summary">Summary for governors</a></li>'
            '<li><a href="#full">Full gap report</a></li>'
            '<li><a href="#actions">Action plan</a></li>'
            '<li><a href="#coming">Duties that are coming</a></li>'
            '<li><a href="#not-assessed">Not assessed</a></li>'
            '<li><a href="#checks">Quality checks</a></li>'
            '<li><a href="#references">References</a></li>'
            '<li><a href="#how-checked">How the references were checked</a></li></ol></nav>\n')


def _summary(r: GapReport) -> str:
    d = r.duties
    out = ['<section aria-labelledby="summary">',
           '<h2 id="summary">Summary for governors</h2>',
           f'<p class="lead">How {e(r.school.get("name", ""))} rates its provision for pupils '
           f"with special educational needs and disabilities (SEND) in {e(r.academic_year)}, "
           f"against the {e(r.framework.get('title', ''))}. The school rated itself; this is "
           "a self-assessment, not an inspection judgement.</p>",
           "<h3>Statutory duties: what the law says the school must do</h3>",
           f"<p>Of {d.total} legal duties, <strong>{d.met} met</strong>, "
           f"<strong>{d.partly_met} partly met</strong>, <strong>{d.not_met} not met</strong> "
           f"and <strong>{d.not_assessed} not assessed</strong>.</p>",
           '<ul class="stats">'
           f'<li class="green"><span class="n">{d.met}</span> Met</li>'
           f'<li class="orange"><span class="n">{d.partly_met}</span> Partly met</li>'
           f'<li class="red"><span class="n">{d.not_met}</span> Not met</li>'
           f'<li><span class="n">{d.not_assessed}</span> Not assessed</li></ul>',
           "<h3>Each section at a glance</h3>",
           '<p class="small">The bar shows the share of assessed criteria at or above the '
           "expected level; the numbers are printed beside it and in the table below.</p>",
           f"<figure>{section_chart_svg(r.sections)}</figure>"]
    rows = []
    for sec in r.sections:
        rows.append([e(sec.title), str(sec.applicable), str(sec.assessed),
                     str(sec.at_or_above), share_text(sec.meeting_expectation_share),
                     str(sec.not_assessed),
                     ('<span class="flag">Not met in full: '
                      f"{e(', '.join(sec.unmet_duties))}</span>") if sec.flagged else "None"])
    out.append(_table("Each section in numbers",
                      ["Section", "Applicable", "Assessed", "At or above expected",
                       "Share", "Not assessed", "Statutory duties not met"],
                      rows, numeric=(1, 2, 3, 4, 5)))
    out.append(f'<p class="small"><strong>How this is worked out.</strong> '
               f"{e(r.rules.get('section', ''))} {e(r.rules.get('duty', ''))}</p>")
    out.append("<h3>Top priorities</h3>")
    if not any(sec.assessed for sec in r.sections):
        out.append("<p>Nothing has been assessed yet, so there are no priorities to show.</p>")
    elif r.gaps:
        rows = []
        for n, gap in enumerate(r.gaps[:5], 1):
            action = "None planned"
            if gap.action:
                action = e_lines(gap.action.what)
                who = [e(gap.action.owner)] if gap.action.owner.strip() else []
                if gap.action.due:
                    who.append(f"by {long_date(gap.action.due)}")
                if who:
                    action += f'<br><span class="muted">{", ".join(who)}</span>'
            rows.append([str(n), f"<strong>{e(gap.criterion)}</strong> {e(gap.text)}",
                         f"{e(gap.rating_label)}<br><span class=muted>expected: "
                         f"{e(gap.expected_label)}</span>", action])
        out.append(_table("The most urgent gaps", ["Priority", "Criterion", "Rated",
                                                   "Action planned"], rows))
        if len(r.gaps) > 5:
            out.append(f"<p>And {len(r.gaps) - 5} more in the full gap report.</p>")
    else:
        out.append("<p>No gaps: every assessed criterion is at or above the expected "
                   "level.</p>")
    if r.not_assessed:
        out.append(f"<p><strong>{len(r.not_assessed)} not assessed yet</strong> and not "
                   "counted as met.</p>")
    if r.questions:
        out.append("<h3>Questions governors could ask</h3><ol>"
                   + "".join(f"<li>{e(q)}</li>" for q in r.questions) + "</ol>")
    if r.coming:
        out.append(f'<p class="small"><strong>{len(r.coming)} coming</strong>: the law has '
                   "changed but not in force yet, so not counted here; see "
                   '<a href="#coming">Duties that are coming</a> for what to prepare.</p>')
    out.append(_overdue(r))
    by_role = {so.role: so for so in r.current_sign_offs}
    roles = list(PRINTED_SIGN_OFFS) + [x for x in by_role if x not in PRINTED_SIGN_OFFS]
    rows = []
    for role in roles:
        so = by_role.get(role)
        rows.append([SIGN_OFF_ROLE_LABELS.get(role, role), e(so.name) if so else "",
                     '<span class="signature"></span>', long_date(so.date) if so else ""])
    out.append("<h3>Sign-off</h3><p>We have read this self-assessment and the action plan.</p>")
    out.append(_table("Signatures of the SENCO, headteacher and SEN governor",
                      ["Role", "Name", "Signature", "Date"], rows))
    for so in r.current_sign_offs:
        if so.comment and so.comment.strip():
            who = SIGN_OFF_ROLE_LABELS.get(so.role, so.role)
            out.append(f"<p><strong>{who}’s comment:</strong> {e_lines(so.comment)}</p>")
    for so in r.current_sign_offs:
        if so.reason:
            out.append(f"<p><strong>{e(so.name)} ({SIGN_OFF_ROLE_LABELS.get(so.role, so.role)}) "
                       "signed before the audit was finished, on "
                       f"{long_date(so.date)}. The reason given:</strong></p>"
                       f'<blockquote class="reason">{e(so.reason)}</blockquote>')
    out.append("</section>")
    return "\n".join(out)


def _overdue(r: GapReport) -> str:
    """Overdue actions for governors: what, who and when it was due."""
    overdue = r.overdue_actions
    out = f"<h3>Overdue actions</h3><p>{e(overdue_words(len(overdue)))}</p>"
    if overdue:
        out += _table("Actions past their due date and not done",
                      ["Criterion", "Action", "Owner", "Was due"],
                      [[f"<strong>{e(a.criterion)}</strong>", e_lines(a.what),
                        e(a.owner) or "Not named", long_date(a.due) if a.due else ""]
                       for a in overdue])
    return out


def _coming(r: GapReport) -> str:
    """Laws passed but not yet in force: apart from the gaps, with what to prepare."""
    out = ['<section aria-labelledby="coming">', '<h2 id="coming">Duties that are coming</h2>']
    if not r.coming:
        out.append("<p>No law that is passed but not yet in force applies to the school.</p>")
        return "\n".join([*out, "</section>"])
    out.append('<p class="small">The law has changed but these duties are not in force yet. '
               "They are not counted above and are not gaps; they show what the school should "
               "prepare.</p>")
    rows = []
    for c in r.coming:
        what = f"<strong>{e(c.criterion)}</strong> {e(c.text)}"
        if c.level_label:
            what += (f'<br><span class="muted">New wording for {e(c.level_label)}: '
                     f"{e(c.descriptor)}</span>")
        rows.append([what, f'{e(coming_when(c.in_force_on))}<br><span class="muted">'
                           f'{e("; ".join(cited_list(c.enacted_by)))}</span>',
                     "<ul>" + "".join(f"<li>{e(p)}</li>" for p in c.prepare) + "</ul>"])
    out.append(_table("Duties that are coming", ["Criterion", "When", "What to prepare"], rows))
    return "\n".join([*out, "</section>"])


def _ref(ref: RefOut) -> str:
    return f"<strong>{e(ref.cited)}</strong> — {e(ref.title)}: {e(ref.summary)}"


def _once(refs: Sequence[RefOut]) -> list[RefOut]:
    """One reference per printed citation: unconfirmed paragraphs of a chapter print once."""
    seen: set[str] = set()
    out = []
    for ref in refs:
        if ref.cited not in seen:
            seen.add(ref.cited)
            out.append(ref)
    return out


def _item(r: GapReport, item: Item) -> str:
    kind = "Statutory duty" if item.statutory else "Expectation"
    rows: list[tuple[str, str]] = []
    if item.not_applicable_reason is not None:
        rows.append(("Not applicable", _paras(item.not_applicable_reason)))
    elif item.rating is None:
        rows.append(("Rating", f"Not assessed yet (expected level: {e(item.expected_label)})"))
    else:
        verdict = ("at or above the expected level" if item.meets
                   else "<strong>below the expected level</strong>")
        rows.append(("Rating", f"<strong>{e(item.rating_label or item.rating)}</strong>: "
                               f"{verdict} ({e(item.expected_label)})"))
    if item.moderated_rating:
        rows.append(("Moderated", f"{e(item.moderated_label or item.moderated_rating)} "
                                  "(local authority moderation)"))
    if item.moderation_note and item.moderation_note.strip():
        rows.append(("LA note", _paras(item.moderation_note)))
    ev = item.evidence
    if ev is not None and not ev.empty:
        parts = [f'<div class="evidence">{_paras(ev.text)}</div>'] if ev.text.strip() else []
        where = []
        if ev.location.strip():
            where.append(f"<strong>Where:</strong> {e(ev.location)}")
        if ev.kind:
            where.append(f"<strong>Kind:</strong> {EVIDENCE_KIND_LABELS.get(ev.kind, ev.kind)}")
        if where:
            parts.append("<p>" + " · ".join(where) + "</p>")
        rows.append(("Evidence", "".join(parts)))
    elif item.rating is not None:
        rows.append(("Evidence", "None recorded"))
    if item.action is not None:
        act = item.action
        bits = [f"<strong>Owner:</strong> {e(act.owner) or 'not named'}",
                f"<strong>Due:</strong> {long_date(act.due) or 'no date'}",
                f"<strong>Status:</strong> {ACTION_STATUS_LABELS.get(act.status, act.status)}"]
        if act.overdue(r.as_of):
            bits.append('<strong class="overdue">Overdue</strong>')
        rows.append(("Action", _paras(act.what) + "<p>" + " · ".join(bits) + "</p>"))
    if item.moved_from is not None:
        mf = item.moved_from
        rows.append(("Re-check", "Not yet re-checked since the framework changed. In "
                                 f"version {e(mf.version)} the answer was to "
                                 f"{e(mf.criterion)}: <q>{e(mf.text)}</q>"))
    elif not item.rechecked:
        rows.append(("Note", "Carried forward from last year and not yet re-checked."))
    if item.references:
        rows.append(("References", "<br>".join(_ref(x) for x in _once(item.references))))
    dl = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows)
    cid = e(item.criterion)
    return (f'<article class="criterion" id="crit-{cid}" aria-labelledby="h-{cid}">'
            f'<p class="meta">{cid} · {kind} {_item_tag(item)}</p>'
            f'<h4 id="h-{cid}">{e(item.text)}</h4><dl>{dl}</dl></article>')


def _full(r: GapReport) -> str:
    out = ['<section aria-labelledby="full">', '<h2 id="full">Full gap report</h2>',
           "<p>Every criterion that applies to the school, section by section, with the "
           "school’s rating, its evidence and planned action, and the paragraphs of the Code "
           "or the law it rests on.</p>"]
    by_section: dict[str, list[Item]] = {}
    for item in r.items:
        by_section.setdefault(item.section, []).append(item)
    for n, sec in enumerate(r.sections):
        counts = ", ".join(f"{e(r.level_labels.get(k, k))} {v}" for k, v in sec.counts.items())
        out.append(f'<h3 id="section-{n}">{e(sec.title)}</h3>')
        line = (f"{sec.applicable} applicable, {sec.assessed} assessed, {sec.not_assessed} not "
                f"assessed, {sec.not_applicable} not applicable. ")
        if counts:
            line += f"Ratings: {counts}. "
        line += f"At or above the expected level: {share_text(sec.meeting_expectation_share)}."
        out.append(f'<p class="small">{line}</p>')
        if sec.flagged:
            out.append(f'<p class="flag">Statutory duty not met in full: '
                       f"{e(', '.join(sec.unmet_duties))}</p>")
        items = by_section.get(sec.id, [])
        if not items:
            out.append("<p>No criterion in this section applies to the school.</p>")
        out += [_item(r, item) for item in items]
    out.append("</section>")
    return "\n".join(out)


def _actions(r: GapReport) -> str:
    out = ['<section aria-labelledby="actions">', '<h2 id="actions">Action plan</h2>']
    if not r.actions:
        out.append("<p>No actions are planned.</p>")
    else:
        out.append(f"<p>Overdue actions first. Overdue means past its due date on "
                   f"{long_date(r.as_of)} and not done.</p>")
        rows = []
        for a in r.actions:
            status = ACTION_STATUS_LABELS.get(a.status, a.status)
            if a.overdue:
                status = f'<strong class="overdue">Overdue</strong><br>{status}'
            rows.append([f'<a href="#crit-{e(a.criterion)}">{e(a.criterion)}</a>',
                         e_lines(a.what), e(a.owner) or "Not named",
                         long_date(a.due) or "No date", status])
        out.append(_table("Actions planned", ["Criterion", "Action", "Owner", "Due", "Status"],
                          rows))
    out.append("</section>")
    return "\n".join(out)


def _not_assessed_checks(r: GapReport) -> str:
    items = {i.criterion: i for i in r.items}
    out = ['<section aria-labelledby="not-assessed">',
           '<h2 id="not-assessed">Not assessed</h2>']
    if r.not_assessed:
        out.append("<p>These criteria have no rating yet. They are not counted as met.</p>")
        rows = [[e(cid), e(items[cid].text) if cid in items else "",
                 e(r.section_title(items[cid].section)) if cid in items else ""]
                for cid in r.not_assessed]
        out.append(_table("Criteria not assessed", ["Criterion", "What it asks", "Section"],
                          rows))
    else:
        out.append("<p>Every applicable criterion has been assessed.</p>")
    if r.not_applicable:
        out.append(_table("Marked not applicable", ["Criterion", "Reason given"],
                          [[e(na["criterion"]), e_lines(na.get("reason", ""))]
                           for na in r.not_applicable]))
    out += ["</section>", '<section aria-labelledby="checks">',
            '<h2 id="checks">Quality checks</h2>']
    if r.checks:
        out.append("<p>Things to put right before the report is signed off.</p>")
        out.append(_table("Quality checks", ["Criterion", "Check", "Detail"],
                          [[e(c.criterion), CHECK_LABELS.get(c.kind, e(c.kind)), e(c.message)]
                           for c in r.checks]))
    else:
        out.append("<p>No problems found.</p>")
    out.append("</section>")
    return "\n".join(out)


def _archived(r: GapReport) -> str:
    """The appendix of answers kept from earlier framework versions; empty when none."""
    if not r.archived:
        return ""
    out = ['<section aria-labelledby="archived">',
           '<h2 id="archived">Appendix: archived answers</h2>',
           "<p>Answers given to criteria of an earlier version of the framework that have no "
           "place in this one. They are kept as the school wrote them and are not counted "
           "anywhere in this report.</p>"]
    rows = []
    for a in r.archived:
        ans = a.answer
        parts = []
        if ans.rating:
            label = r.level_labels.get(ans.rating, ans.rating)
            parts.append(f"<strong>Rating:</strong> {e(label)}")
        if ans.not_applicable_reason is not None:
            parts.append("<strong>Not applicable:</strong> "
                         + e_lines(ans.not_applicable_reason))
        if ans.evidence is not None and not ans.evidence.empty:
            where = f" ({e(ans.evidence.location)})" if ans.evidence.location.strip() else ""
            parts.append(f"<strong>Evidence:</strong> {e_lines(ans.evidence.text)}{where}")
        if ans.action is not None:
            parts.append(f"<strong>Action:</strong> {e_lines(ans.action.what)}"
                         + (f" ({e(ans.action.owner)})" if ans.action.owner else ""))
        if ans.moderated_rating:
            parts.append("<strong>Moderated:</strong> "
                         + e(r.level_labels.get(ans.moderated_rating, ans.moderated_rating)))
        if ans.moderation_note:
            parts.append(f"<strong>LA note:</strong> {e_lines(ans.moderation_note)}")
        rows.append([f"{e(a.criterion)} ({e(a.version)})", e(a.text), e(a.reason),
                     "<br>".join(parts) or "Blank"])
    out.append(_table("Archived answers", ["Criterion (version)", "Worded", "Why archived",
                                           "The school's answer"], rows))
    out.append("</section>")
    return "\n".join(out)


def _references(r: GapReport) -> str:
    out = ['<section class="references" aria-labelledby="references">',
           '<h2 id="references">References</h2>',
           "<p>Every source the report cites, with a one-line summary and a link to the "
           "published text.</p>", "<dl>"]
    for ref in r.references:
        if not ref.exists:
            continue  # a misprint in the source: only the appendix speaks of it
        link = (f'<br><a href="{e(ref.url)}">{e(ref.url)}</a>'
                if ref.url.startswith(("https://", "http://")) else "")
        out.append(f"<dt><strong>{e(ref.cited)}</strong> — {e(ref.title)}</dt>"
                   f"<dd>{e(ref.summary)}{link}</dd>")
    out += ["</dl>", "</section>"]
    return "\n".join(out)


def _how_checked(r: GapReport) -> str:
    """The editors' trail, for readers who want to check the citations themselves."""
    out = ['<section class="how-checked" aria-labelledby="how-checked">',
           '<h2 id="how-checked">Appendix: how the references were checked</h2>',
           "<p>The report prints each reference only as far as it has been verified: where a "
           "paragraph number has not been confirmed against the published text, the chapter "
           "or the Act is given instead. This appendix records, for each criterion, how each "
           "reference was checked, the citations as the source document printed them, and "
           "notes on scope.</p>", "<dl>"]
    for chk in r.reference_checks:
        lines = [f"{e(ref.id)}: {e(EVIDENCE_CHECK_LABELS.get(ref.evidence, ref.evidence))}; "
                 f"printed as {e(ref.cited)}." for ref in [*chk.references, *chk.legal_basis]]
        pubs = chk.published_references
        if pubs and {x.id for x in pubs} != {x.id for x in chk.references}:
            lines.append("As published: " + ", ".join(
                e(x.id) + ("" if x.exists else " (no such paragraph)") for x in pubs) + ".")
        for label, text in (("Why the references differ", chk.reference_note),
                            ("Note", chk.note), ("Scope", chk.scope_note)):
            if text:
                lines.append(f"{label}: {e(text)}")
        out.append(f"<dt>{e(chk.criterion)}</dt><dd>{'<br>'.join(lines)}</dd>")
    out += ["</dl>", "</section>"]
    return "\n".join(out)


_DRAFT_PAGE = """
@media print {
  @page { @top-center { content: DRAFT_LINE; color: #a1260d; vertical-align: bottom;
                        padding-bottom: 4mm; font: 700 9pt system-ui, "Segoe UI", Roboto,
                        "DejaVu Sans", Arial, sans-serif; } }
}
"""


def _css_string(text: str) -> str:
    """Text as a CSS string literal: quotes, backslashes and line ends escaped."""
    out = "".join(c if c.isalnum() or c in " :;,.()-" else f"\\{ord(c):x} " for c in text)
    return f'"{out}"'


def render_html(report: GapReport) -> str:
    """The report as one self-contained HTML document (UTF-8 text)."""
    school = e(report.school.get("name", ""))
    year = e(report.academic_year)
    fw = f"{e(report.framework.get('title', ''))}, version {e(report.framework.get('version'))}"
    body = "\n".join([
        _cover(report), _summary(report), _full(report), _actions(report), _coming(report),
        _not_assessed_checks(report), _archived(report), _references(report),
        _how_checked(report)])
    draft = (f'<p class="draft" role="note">{e(draft_line(report))}</p>\n'
             if report.is_draft else "")
    # Printed, the draft line is in the top margin of every page (a CSS page-margin box):
    # a position: fixed banner repeats too, but over the first lines of each page's text.
    css = CSS + (_DRAFT_PAGE.replace("DRAFT_LINE", _css_string(draft_line(report)))
                 if report.is_draft else "")
    return f"""<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Quality Offer">
<title>SEND self-assessment: {school}, {year}</title>
<style>{css}</style>
</head>
<body>
<a class="skip" href="#main">Skip to the report</a>
{draft}<header class="band">
<p><strong>Special educational needs and disabilities</strong></p>
<p>{fw}</p>
<p>Measured against the SEND Code of Practice: 0 to 25 years (2015)</p>
</header>
<main id="main">
{body}
</main>
<footer>
<p>{school} · {year} · report as of {long_date(report.as_of)} · made with Quality Offer</p>
</footer>
</body>
</html>
"""

