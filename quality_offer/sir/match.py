"""Finding each required item in the report, in a way a SENCO can check by eye.

A passage (a paragraph, a table row, or a list read as a whole) answers an item when every
one of the item's concepts is mentioned within a few dozen words of each other; the passage's
heading counts as said throughout the passage. Each finding names the words that matched, the
passage and where it stands, so a reader can see why the tool said "found", and a report that
says the right thing in other words can be fixed by adding a phrase to the YAML, not by
changing code.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field

from .extract import Block, Document
from .items import Concept, Item

FOUND, UNCLEAR, MISSING, NOT_APPLICABLE = "found", "unclear", "missing", "not-applicable"
STATUSES = (FOUND, UNCLEAR, MISSING, NOT_APPLICABLE)
QUOTE_CHARS = 400


@dataclass(frozen=True)
class Passage:
    """A quoted passage, where it is, and which words in it matched which concept."""

    text: str
    where: str
    matched: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Finding:
    """What the check found for one item."""

    item: Item
    status: str
    passages: tuple[Passage, ...]
    matched: dict[str, list[str]]  # concept name -> the words that matched it
    missing: tuple[str, ...]  # concept names not found together with the others
    explanation: str


def _phrase_regex(phrase: str) -> str:
    """A phrase as a regular expression, without the word boundary at its start."""
    stem = phrase.endswith("*")
    words = phrase.rstrip("*").split()
    # Word processors turn ' into ’ and - into ‐ or –: either form matches.
    body = r"[\s\-‐–]+".join(re.escape(w) for w in words).replace("'", "['’]")
    end = r"\w*" if stem else (r"(?![\w])" if phrase.rstrip("*")[-1:].isalnum() else "")
    return body + end


@functools.lru_cache(maxsize=2048)
def _compiled(phrases: tuple[str, ...], patterns: tuple[str, ...]) -> re.Pattern[str]:
    # One boundary before the whole alternation, so the engine tries the phrases only where
    # a word starts: several times faster on a long report than a boundary per phrase.
    words = [_phrase_regex(p) for p in phrases if p[:1].isalnum()]
    others = [_phrase_regex(p) for p in phrases if not p[:1].isalnum()]
    parts = ([r"\b(?:" + "|".join(words) + ")"] if words else []) + others
    parts += [f"(?:{p})" for p in patterns]
    return re.compile("|".join(parts), re.IGNORECASE)


def concept_regex(concept: Concept) -> re.Pattern[str]:
    return _compiled(tuple(concept.phrases), tuple(concept.patterns))


_WORD = re.compile(r"\w+")


@dataclass
class _Hit:
    concept: str
    word: int  # index of the word where the match starts
    start: int
    end: int
    text: str


@functools.lru_cache(maxsize=4096)
def _word_starts(text: str) -> list[int]:
    return [m.start() for m in _WORD.finditer(text)]


def _hits(item: Item, text: str, starts: list[int]) -> list[_Hit]:
    hits = []
    for concept in item.match.concepts:
        for m in concept_regex(concept).finditer(text):
            if m.end() == m.start():
                continue
            word = max(0, bisect.bisect_right(starts, m.start()) - 1)
            hits.append(_Hit(concept.name, word, m.start(), m.end(), m.group(0)))
    hits.sort(key=lambda h: h.word)
    return hits


def _best_window(hits: list[_Hit], needed: set[str], within: int) -> list[_Hit]:
    """The hits covering the most needed concepts within ``within`` words (fewest words)."""
    best: list[_Hit] = []
    best_key = (0, 0)
    for i, first in enumerate(hits):
        chosen: dict[str, _Hit] = {}
        for hit in hits[i:]:
            if hit.word - first.word > within:
                break
            chosen.setdefault(hit.concept, hit)
        covered = {c for c in chosen if c in needed}
        span = (max(h.word for h in chosen.values()) - first.word) if chosen else 0
        key = (len(covered), -span)
        if key > best_key:
            best_key, best = key, [chosen[c] for c in covered]
    return best


def _quote(text: str, hits: list[_Hit]) -> str:
    """The sentences holding the hits, cut to a readable length with an ellipsis."""
    if not hits or len(text) <= QUOTE_CHARS:  # a short passage is quoted whole
        return _cut(text, 0)
    lo = min(h.start for h in hits)
    hi = max(h.end for h in hits)
    begin = max(text.rfind(". ", 0, lo), text.rfind("? ", 0, lo), text.rfind("! ", 0, lo))
    begin = 0 if begin < 0 else begin + 2
    stop = min((i for i in (text.find(". ", hi), text.find("? ", hi)) if i >= 0),
               default=len(text) - 1) + 1
    quote = text[begin:stop].strip()
    if len(quote) > QUOTE_CHARS:
        centre = (lo + hi) // 2 - begin
        a = max(0, centre - QUOTE_CHARS // 2)
        quote = ("…" if a else "") + quote[a:a + QUOTE_CHARS].strip() + "…"
    else:
        quote = ("…" if begin > 0 else "") + quote + ("…" if stop < len(text) - 1 else "")
    return quote


def _cut(text: str, start: int) -> str:
    part = text[start:start + QUOTE_CHARS]
    return part + ("…" if len(text) > start + QUOTE_CHARS else "")


def _names(hits: list[_Hit]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for h in hits:
        words = out.setdefault(h.concept, [])
        if h.text.lower() not in (w.lower() for w in words):
            words.append(h.text)
    return out


def _heading_named(item: Item, block: Block) -> bool:
    if not block.heading or not item.match.headings:
        return False
    return bool(_compiled(tuple(item.match.headings), ()).search(block.heading))


def _join(names: list[str] | tuple[str, ...]) -> str:
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def searched_blocks(document: Document) -> list[Block]:
    """The blocks to search: each block, and each list read as a whole.

    A list's items are separate blocks ("Miss Amy Turner is our SENCo" / "Contact her on
    0117 903 8851"), but together they answer as one paragraph would; so each run of two or
    more list items under the same heading is also searched as one passage, quoted and
    located from its first item.
    """
    out = list(document.blocks)
    run: list[Block] = []
    for block in [*document.blocks, None]:
        if (block is not None and block.list_item and not block.is_heading
                and (not run or (block.heading, block.page) == (run[0].heading, run[0].page))):
            run.append(block)
            continue
        if len(run) > 1:
            first = run[0]
            out.append(Block("; ".join(b.text.lstrip("•").strip() for b in run),
                             heading=first.heading, page=first.page, list_item=True))
        run = [block] if block is not None and block.list_item and not block.is_heading else []
    return out


def find(item: Item, document: Document) -> Finding:
    """Look for one item in the report."""
    concepts = [c.name for c in item.match.concepts]
    needed = set(concepts)
    candidates: list[tuple[int, int, Passage, set[str]]] = []
    subject = concept_regex(item.match.concepts[0])
    for block in searched_blocks(document):
        if block.is_heading:
            continue
        named = _heading_named(item, block)
        # The first concept is the item's subject: details without it answer nothing.
        # Most passages lack it, so they are passed over before any counting.
        if not (named or subject.search(block.text)
                or (block.heading and subject.search(block.heading))):
            continue
        heading_hits: list[_Hit] = []
        if block.heading and block.heading != block.text:
            heading_hits = _hits(item, block.heading, _word_starts(block.heading))
        from_heading = {h.concept for h in heading_hits}
        body_hits = _hits(item, block.text, _word_starts(block.text))
        window = _best_window(body_hits, needed - from_heading, item.match.within)
        covered = from_heading | {h.concept for h in window}
        if concepts[0] not in covered and not named:
            continue
        matched = _names(heading_hits + window)
        passage = Passage(_quote(block.text, window), block.where, matched)
        candidates.append((len(covered & needed), int(named), passage, covered))
    if not candidates:
        return Finding(item, MISSING, (), {}, tuple(concepts), _missing_sentence(item, concepts))
    candidates.sort(key=lambda c: (c[0], c[1]), reverse=True)
    best_count = candidates[0][0]
    if best_count == len(needed):
        full = [c for c in candidates if c[0] == len(needed)]
        passages = tuple(c[2] for c in full[:3])
        matched: dict[str, list[str]] = {}
        for c in full[:3]:
            for name, words in c[2].matched.items():
                for w in words:
                    if w.lower() not in (x.lower() for x in matched.setdefault(name, [])):
                        matched[name].append(w)
        words = "; ".join(f"{n}: “{'”, “'.join(matched[n])}”" for n in concepts if n in matched)
        return Finding(item, FOUND, passages, matched, (),
                       f"Found ({passages[0].where}): {words}.")
    top = candidates[0]
    if len(needed) == 1 and not top[1]:
        return Finding(item, MISSING, (), {}, tuple(concepts), _missing_sentence(item, concepts))
    lacking = tuple(n for n in concepts if n not in top[3])
    if top[0] == 0 and not top[1]:
        return Finding(item, MISSING, (), {}, tuple(concepts), _missing_sentence(item, concepts))
    said = _join([n for n in concepts if n in top[3]]) or "a heading for it"
    return Finding(
        item, UNCLEAR, (top[2],), dict(top[2].matched), lacking,
        f"Unclear: the report mentions {said} ({top[2].where}), but not "
        f"{_join(lacking)} alongside it. {item.why} ({item.reference})")


def _missing_sentence(item: Item, concepts: list[str]) -> str:
    return (f"Missing: no passage mentions {_join(concepts)} together. The report should "
            f"give {item.requirement[0].lower() + item.requirement[1:]} {item.why} "
            f"({item.reference})")


def not_applicable(item: Item, why: str) -> Finding:
    return Finding(item, NOT_APPLICABLE, (), {}, (), why)
