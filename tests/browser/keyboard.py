"""Using a page from the keyboard alone, and checking what a keyboard user sees, in Chromium.

What has focus is read from the page after every key press, so a control that cannot be
reached or used by keyboard fails the test that needs it. The checks here answer what a
sighted keyboard user at 200% zoom would notice: where focus is (a ring they can see, not
cut off by a box around the control or hidden under the page's header), and whether the
menu covers the page.
"""

from __future__ import annotations

from typing import Any

from .helpers import runs, wait_idle

# The accessible name (or, for a text field, the label) of what has focus, and its role.
FOCUSED_JS = """() => {
  const el = document.activeElement;
  if (!el) return '';
  const byId = (id) => (document.getElementById(id) || {}).textContent || '';
  const group = el.closest('[role=radiogroup]');
  if (el.type === 'radio' && group) {
    const option = (el.labels && el.labels[0] && el.labels[0].textContent) || '';
    return 'radio|' + (group.getAttribute('aria-label') || '') + ' / ' + option.trim();
  }
  const label = el.getAttribute('aria-label')
    || (el.getAttribute('aria-labelledby') || '').split(' ').map(byId).join(' ')
    || (el.labels && el.labels[0] && el.labels[0].textContent)
    || el.textContent || '';
  return (el.getAttribute('role') || el.tagName.toLowerCase()) + '|' + label.trim().slice(0, 80);
}"""

# Why the focus ring of what has focus cannot be seen; '' when it can. The ring is the outline
# of the focused element (or, for a radio or checkbox whose input is hidden, of its label), at
# least 2 px and solid. A box around the control that cuts off what overflows it must hold all
# of the ring; the screen (below the page's header, which stays put) and a box that scrolls
# must hold all of it when they hold the whole control, and some of it when the control is
# only partly scrolled into view, as a browser leaves a tall field it moves focus to
# (WCAG 2.2, 2.4.7 and 2.4.11).
FOCUS_RING_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return 'nothing has focus';
  const hidden = el.tagName === 'INPUT' && ['radio', 'checkbox'].includes(el.type);
  const ring = hidden ? (el.closest('label') || el) : el;
  const cs = getComputedStyle(ring);
  const width = parseFloat(cs.outlineWidth) || 0;
  if (cs.outlineStyle === 'none' || width < 2) return 'no focus ring';
  if (cs.outlineColor === 'rgba(0, 0, 0, 0)') return 'a transparent focus ring';
  const reach = Math.max(0, width + (parseFloat(cs.outlineOffset) || 0));
  const r = ring.getBoundingClientRect();
  const box = {top: r.top - reach, left: r.left - reach,
               bottom: r.bottom + reach, right: r.right + reach};
  const slack = 0.5;
  const within = (b, c) => b.top >= c.top - slack && b.left >= c.left - slack
    && b.bottom <= c.bottom + slack && b.right <= c.right + slack;
  const meets = (b, c) => b.top < c.bottom && b.bottom > c.top
    && b.left < c.right && b.right > c.left;
  const px = (b) => [b.left, b.top, b.right, b.bottom].map(Math.round).join(',');
  const name = (a) => a.tagName.toLowerCase()
    + (a.dataset.testid ? '[' + a.dataset.testid + ']' : '');
  // A view that scrolls: all of the ring if all of the control is in it, else some of it.
  const seen = (c) => within(r, c) ? within(box, c) : meets(box, c);
  const screen = {top: 0, left: 0, bottom: innerHeight, right: innerWidth};
  const header = document.querySelector('[data-testid="stHeader"]');
  if (header && !header.contains(ring)) {
    const h = header.getBoundingClientRect();
    // the header hides only what it is drawn over (the skip link is drawn over it)
    const y = Math.min(Math.max(r.top, h.top) + 1, h.bottom - 1);
    const hit = document.elementFromPoint((r.left + r.right) / 2, y);
    if (h.height > 0 && hit && header.contains(hit)) screen.top = h.bottom;
  }
  if (!seen(screen)) return 'ring ' + px(box) + ' off the screen or under its header';
  let scrolled = false;  // beyond a view that scrolls, where the control is depends on scrolling
  for (let a = ring.parentElement; a && a !== document.documentElement; a = a.parentElement) {
    const s = getComputedStyle(a);
    const overflows = [s.overflowX, s.overflowY];
    if (overflows.every((o) => o === 'visible')) continue;
    const c = a.getBoundingClientRect();
    const scrolls = overflows.some((o) => o === 'auto' || o === 'scroll');
    if (scrolls || scrolled ? !seen(c) : !within(box, c))
      return 'ring ' + px(box) + ' cut off by ' + name(a) + ' ' + px(c);
    scrolled = scrolled || scrolls;
  }
  return '';
}"""


SIDEBAR_COVERS_JS = """() => {
  const bar = document.querySelector('[data-testid="stSidebar"]');
  const main = document.querySelector('[data-testid="stMain"]');
  if (!bar || !main) return false;
  const b = bar.getBoundingClientRect(), m = main.getBoundingClientRect();
  const shown = bar.getAttribute('data-collapsed') !== 'true' && b.right > 1 && b.width > 1;
  return shown && b.right > m.left + 1;
}"""

HIDDEN_JS = """() => getComputedStyle(
  document.querySelector('[data-testid="stSidebar"]')).visibility === 'hidden'"""


# The app's own style sheet (quality_offer/ui/theme.py) is in the page. It can arrive a few
# hundred milliseconds after the run that draws it has ended: until then there are no focus
# rings and the folded menu's links are still in the Tab order.
THEMED_JS = """() => [...document.querySelectorAll('style')]
  .some((s) => s.textContent.includes('st-key-qo-saved'))"""


# The checklist's "saved" line: a container keyed qo-saved-<message>, styled by the theme.
SAVED = "[class*='st-key-qo-saved-']"


def wait_for_theme(page: Any) -> None:
    """Wait until the app's style sheet is in the page, before the first key press."""
    page.wait_for_function(THEMED_JS)


def focused(page: Any) -> str:
    """``role|name`` of what has focus, e.g. ``button|Sign the audit``."""
    return str(page.evaluate(FOCUSED_JS))


def focus_ring_problem(page: Any) -> str:
    """Why the focus ring of what has focus cannot be seen in full; '' when it can."""
    return str(page.evaluate(FOCUS_RING_JS))


def tab_to(page: Any, wanted: str, limit: int = 80, key: str = "Tab",
           seen: list[str] | None = None) -> int:
    """Press Tab (or ``key``, e.g. Shift+Tab) until what has focus contains ``wanted``; how
    many presses it took. Each stop on the way is added to ``seen`` when given."""
    stops: list[str] = []
    for presses in range(1, limit + 1):
        page.keyboard.press(key)
        now = focused(page)
        stops.append(now)
        if seen is not None:
            seen.append(now)
        if wanted in now:
            return presses
    raise AssertionError(f"{wanted!r} not reached by Tab in {limit} presses: {stops[:40]}")


def press(page: Any, key: str) -> None:
    """A key that changes something: wait for the rerun it starts."""
    before = runs(page)
    page.keyboard.press(key)
    wait_idle(page, before)
