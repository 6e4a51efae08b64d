"""SEN information reports written for the tests, in every format the check reads.

Each required item has its own section, so a test can leave any one out. ``OTHER_WORDS``
says the same things as ``SECTIONS`` in different words, as real schools do.
"""

from __future__ import annotations

import io
from pathlib import Path

TITLE = "Oakfield Primary School: SEN Information Report"
REVIEWED = "Last reviewed: 15 September 2026. Next review: September 2027."

SECTIONS: dict[str, tuple[str, str]] = {
    "sch1-1": ("What kinds of special educational needs do we provide for?",
               "We support children with a range of needs, including communication and "
               "interaction, cognition and learning, and sensory or physical needs."),
    "sch1-2": ("How do we identify and assess children's needs?",
               "If we notice that a child is finding things hard, we assess their needs with "
               "simple checks and talk to their parents."),
    "sch1-3a": ("How do we check that our support works?",
                "We review every intervention each term and measure its impact, so we know "
                "our provision is effective."),
    "sch1-3b": ("How do we check progress?",
                "We assess and review each child's progress every term."),
    "sch1-3c": ("How will my child be taught?",
                "Teachers use high quality teaching that is adapted to each child."),
    "sch1-3d": ("How do we adapt the curriculum and the classroom?",
                "We adapt lessons and change the classroom environment, for example with "
                "visual timetables."),
    "sch1-3e": ("What extra help is there?",
                "Some children get extra support in small groups for reading and maths."),
    "sch1-3f": ("Can my child join in everything?",
                "All children go on trips, clubs and sport together with their classmates."),
    "sch1-3g": ("How do we support wellbeing?",
                "We support children's emotional and mental health through our nurture group."),
    "sch1-4": ("Who is the SENCO?",
               "Our special educational needs co-ordinator (SENCO) is Mrs Jane Patel. You can "
               "contact her on 01234 567890 or senco@oakfield.example.sch.uk."),
    "sch1-5-training": ("How are staff trained?",
                        "All staff have regular training on special educational needs."),
    "sch1-5-specialists": ("How do we get specialist help?",
                           "We work with specialists such as the educational psychologist."),
    "sch1-6": ("How do we get equipment?",
               "We buy equipment and facilities from our budget."),
    "sch1-7": ("How do we work with parents?",
               "We meet parents three times a year to discuss their child's support."),
    "sch1-8": ("How do we listen to children?",
               "Children share their own views through one-page profiles."),
    "sch1-9": ("What if I want to complain?",
               "If you have a complaint, please follow our complaints procedure."),
    "sch1-10": ("Who else do we work with?",
                "We work with health services, social care and voluntary organisations."),
    "sch1-11": ("Support for parents",
                "The SEN information, advice and support service (SENDIASS) gives free advice. "
                "Telephone 01992 555847."),
    "sch1-12": ("Moving on",
                "We help children prepare for the move to secondary school with extra visits."),
    "sch1-13": ("The Local Offer",
                "The Local Offer is published at www.hertfordshire.gov.uk/localoffer."),
    "s69-admission": ("Admissions",
                      "Disabled children are admitted on the same terms as other children."),
    "s69-less-favourable": ("Equality",
                            "We make reasonable adjustments so that disabled pupils are not "
                            "treated less favourably."),
    "s69-facilities": ("Access to the school",
                       "The building has ramps and an accessible toilet for disabled pupils."),
    "s69-accessibility-plan": ("Accessibility plan",
                               "Our accessibility plan is on the school website."),
}

# The same content in other words: no heading repeats a phrase of the first version.
OTHER_WORDS: dict[str, tuple[str, str]] = {
    "sch1-1": ("Who is our school for?",
               "We welcome pupils with autism, dyslexia, speech and language needs and "
               "hearing impairment, among other kinds of need."),
    "sch1-2": ("Spotting difficulties early",
                "Staff recognise early signs of difficulty and use screening to find out more."),
    "sch1-3a": ("Is the help making a difference?",
                "Leaders monitor how well each programme is working and analyse the outcomes."),
    "sch1-3b": ("Keeping track",
                "Teachers track targets closely and check them every half term."),
    "sch1-3c": ("In the classroom",
                "Lessons use a graduated approach with scaffolding for every learner."),
    "sch1-3d": ("Changes we make",
                "We modify resources and seating so the learning environment suits the child."),
    "sch1-3e": ("Interventions",
                "Pupils may have one-to-one phonics sessions with a teaching assistant."),
    "sch1-3f": ("School life for everyone",
                "Residential visits and sports day are open to every pupil alongside friends."),
    "sch1-3g": ("Feelings and friendships",
                "Pupils with anxiety can see our trained mentor, and friendship groups help "
                "with social skills."),
    "sch1-4": ("Our inclusion leader",
               "The SENDCo is Mr Tom Reed, who can be reached by email at "
               "t.reed@school.example.org."),
    "sch1-5-training": ("Staff skills",
                        "Our teaching assistants are qualified and experienced, and teachers "
                        "attend courses every year."),
    "sch1-5-specialists": ("Outside experts",
                           "When needed we commission an occupational therapist and draw on "
                           "outreach from the local special school."),
    "sch1-6": ("Resources",
               "Laptops, writing slopes and ear defenders are purchased or loaned as needed."),
    "sch1-7": ("Families",
               "Families are involved in every review and we share plans with carers."),
    "sch1-8": ("Pupil voice",
               "Each pupil has a pupil passport and takes part in a pupil conference."),
    "sch1-9": ("If you are unhappy",
               "If you are not happy, speak to the headteacher; unresolved issues go to the "
               "governors."),
    "sch1-10": ("Partners",
                "We refer families to CAMHS and the school nurse and liaise with early help."),
    "sch1-11": ("Advice for families",
                "Impartial advice is available from the information, advice and support "
                "service: visit www.example.gov.uk/iass."),
    "sch1-12": ("Next steps",
                "We plan each transition to a new class or school and share information."),
    "sch1-13": ("Services in our area",
                "You can find the county's Local Offer online."),
    "s69-admission": ("Joining the school",
                      "Applications for places from disabled pupils follow our admissions "
                      "policy."),
    "s69-less-favourable": ("Fairness",
                            "We never discriminate against a pupil because of a disability."),
    "s69-facilities": ("Getting around",
                       "The site is step-free with a lift and wide doors for wheelchair users."),
    "s69-accessibility-plan": ("Improving access",
                               "Read our plan to improve access on the policies page."),
}


def sections(drop: str | None = None, words: dict[str, tuple[str, str]] = SECTIONS,
             ) -> list[tuple[str, str]]:
    return [pair for key, pair in words.items() if key != drop]


def as_text(parts: list[tuple[str, str]], intro: str = REVIEWED) -> str:
    lines = [TITLE, "", intro, ""]
    for heading, body in parts:
        lines += [heading, body, ""]
    return "\n".join(lines)


def as_html(parts: list[tuple[str, str]], intro: str = REVIEWED) -> str:
    from html import escape

    body = "".join(f"<h2>{escape(h)}</h2><p>{escape(b)}</p>" for h, b in parts)
    return (f"<!doctype html><html><head><title>x</title><style>p{{}}</style></head><body>"
            f"<h1>{escape(TITLE)}</h1><p>{escape(intro)}</p>{body}</body></html>")


def as_docx(parts: list[tuple[str, str]], *, tables: bool = False,
            intro: str = REVIEWED) -> bytes:
    import docx

    document = docx.Document()
    document.add_heading(TITLE, level=1)
    document.add_paragraph(intro)
    if tables:
        table = document.add_table(rows=0, cols=2)
        for heading, body in parts:
            row = table.add_row().cells
            row[0].text, row[1].text = heading, body
    else:
        for heading, body in parts:
            document.add_heading(heading, level=2)
            document.add_paragraph(body)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def as_pdf(parts: list[tuple[str, str]], *, intro: str = REVIEWED,
           encrypt: str | None = None) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    styles = getSampleStyleSheet()
    story = [Paragraph(TITLE, styles["Title"]), Paragraph(intro, styles["BodyText"])]
    for heading, body in parts:
        story += [Paragraph(heading, styles["Heading2"]), Paragraph(body, styles["BodyText"])]
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, encrypt=encrypt).build(story)
    return out.getvalue()


def scanned_pdf() -> bytes:
    """A PDF of two pages that are only pictures, as a scanner makes them."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    for _ in range(2):
        for y in range(100, 700, 14):  # grey bars where lines of text were
            c.setFillGray(0.3)
            c.rect(72, y, 400, 8, stroke=0, fill=1)
        c.showPage()
    c.save()
    return out.getvalue()


HARD_PARAGRAPH = (
    "Notwithstanding the aforementioned considerations, the institution's multidisciplinary "
    "operationalisation of differentiated pedagogical interventions, predicated upon "
    "comprehensive psychometric evaluation and longitudinal monitoring of individualised "
    "developmental trajectories, necessitates systematic interdisciplinary collaboration "
    "between educational practitioners, therapeutic professionals and administrative "
    "stakeholders, particularly with respect to the EHCP statutory assessment process and "
    "the APDR cycle, which constitutes the organisational infrastructure underpinning "
    "institutional accountability for provision.")


def long_hard_report() -> str:
    """A long report that says everything, in prose few parents could read."""
    parts = [(h, f"{b} {HARD_PARAGRAPH}") for h, b in SECTIONS.values()]
    return as_text(parts * 3, intro="Reviewed: 1 July 2024.")


def write(tmp: Path, name: str, content: str | bytes) -> Path:
    path = tmp / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path
