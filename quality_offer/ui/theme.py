"""What the app's own style sheet adds to Streamlit's theme, and why each rule is there.

The colours live in ``.streamlit/config.toml`` (GOV.UK's palette). This adds what a theme
cannot say:

* focus that anyone can see on every control (WCAG 2.2, 2.4.7 and 2.4.13): GOV.UK's yellow
  and black ring, drawn around the visible part of radios, checkboxes and toggles too,
  whose real inputs are hidden;
* text colours that reach 4.5:1 where Streamlit's defaults do not (disabled and read-only
  text, captions, the selected button of a segmented control);
* compact criterion cards (a smaller heading) and the "saved" line;
* a print style sheet: the gap report prints as a document, without the menu and buttons.
"""

from __future__ import annotations

import streamlit as st

FOCUS = "#ffdd00"  # GOV.UK focus yellow, with black text and a black ring: above 3:1 on all
INK = "#0b0c0c"
SECONDARY_INK = "#484949"  # 8.6:1 on white, 7.6:1 on the grey background
SAVED_LINE = "qo-saved"  # the key of the "saved" line's container on the checklist

CSS = f"""
<style>
[data-testid='stMainBlockContainer'] {{ max-width: 72rem; }}
/* A control reached by Tab is scrolled to just clear of the page's header (which stays put)
   and of the window's bottom edge, so its focus ring is not cut off there (WCAG 2.2, 2.4.11) */
[data-testid='stMain'] {{ scroll-padding-block: 4.5rem 1rem; }}

/* Focus: every control, and the visible box of the hidden inputs of radios and checkboxes */
:focus-visible {{
  outline: 3px solid {INK} !important;
  outline-offset: 2px !important;
  box-shadow: 0 0 0 6px {FOCUS} !important;
}}
label:has(input:focus-visible) {{
  outline: 3px solid {INK};
  outline-offset: 2px;
  box-shadow: 0 0 0 6px {FOCUS};
  border-radius: 2px;
}}
/* Text fields, text areas and drop-downs sit in boxes that cut off whatever is drawn outside
   them, so a ring around them showed as a thin line or not at all: theirs is drawn inside
   the field instead, GOV.UK's yellow with a black inner edge. */
[data-testid='stTextInputRootElement'] input:focus-visible,
[data-testid='stNumberInputContainer'] input:focus-visible,
[data-testid='stTextAreaRootElement'] textarea:focus-visible,
[data-testid='stSelectbox'] input:focus-visible,
[data-testid='stMultiSelect'] input:focus-visible {{
  outline: 3px solid {FOCUS} !important;
  outline-offset: -3px !important;
  box-shadow: inset 0 0 0 6px {INK} !important;
}}
/* The page's own scrolling area is a Tab stop too (arrow keys scroll it) and fills the
   window, so a ring outside it would be off screen: it is drawn inside its edges. So are
   the rings of tabs (their strip cuts off what overflows it), of a data table (drawn on
   a canvas in a box that does the same) and of an open expander's heading (the open
   expander cuts off what overflows it: only a thin line of the ring was left). */
[data-testid='stMain']:focus-visible, [role='tab']:focus-visible,
[data-testid='stDataFrame'] canvas:focus-visible,
[data-testid='stExpander'] details[open] > summary:focus-visible {{
  outline-offset: -3px !important;
  box-shadow: inset 0 0 0 6px {FOCUS} !important;
}}

/* Text that must stay readable */
[data-testid='stCaptionContainer'], [data-testid='stCaptionContainer'] *,
[data-testid='stWidgetLabel'] p, [data-testid='stMarkdownContainer'] small,
[data-testid='stSidebar'] [data-testid='stCaptionContainer'] * {{
  color: {SECONDARY_INK} !important;
  opacity: 1 !important;  /* Streamlit fades captions to 60%, below 4.5:1 */
}}
textarea:disabled, input:disabled, [aria-disabled='true'] p, label[data-disabled='true'] p,
label:has(input:disabled) p {{
  color: {SECONDARY_INK} !important;
  -webkit-text-fill-color: {SECONDARY_INK} !important;
  opacity: 1 !important;
}}
[data-testid='stBaseButton-segmented_controlActive'],
[data-testid='stBaseButton-pillsActive'] {{
  color: #ffffff !important;
  background-color: #1d70b8 !important;
}}
[data-testid='stBaseButton-segmented_controlActive'] *,
[data-testid='stBaseButton-pillsActive'] * {{ color: #ffffff !important; }}

/* The "link to heading" icon beside every heading is a Tab stop with no visible purpose for
   most people: two per criterion card is the rating and its details, nothing else. */
[data-testid='stHeaderActionElements'] {{ display: none !important; }}

/* Help icons beside labels: targets of at least 24 by 24 px (WCAG 2.2, 2.5.8) */
[data-testid='stTooltipHoverTarget'], [data-testid='stTooltipIcon'] button,
[data-testid='stWidgetLabel'] [role='button'], [data-testid='stWidgetLabel'] button {{
  min-width: 24px !important; min-height: 24px !important;
  display: inline-flex; align-items: center; justify-content: center;
}}

/* A collapsed menu is off screen: take its links out of the Tab order too, or a keyboard
   user tabs through ten links they cannot see (WCAG 2.2, 2.4.7 and 2.4.11). */
[data-testid='stSidebar'][data-collapsed='true'] {{ visibility: hidden; }}
/* and an open menu's close button is shown (Streamlit shows it only under the mouse), so a
   keyboard user can close the menu that covers the page at 200% zoom (WCAG 2.2, 2.1.1). */
[data-testid='stSidebar']:not([data-collapsed='true']) [data-testid='stSidebarCollapseButton'] {{
  visibility: visible !important;
}}

/* A date field's day, month and year segments and its calendar button are each a target
   (WCAG 2.2, 2.5.8) */
[data-testid='stDateInput'] [role='spinbutton'], [data-testid='stDateInputCalendarButton'] {{
  display: inline-flex; align-items: center; justify-content: center;
  min-width: 24px; min-height: 24px;
}}

/* On a phone (390 px) labels wrap rather than end in "…": a toggle's label, and the chosen
   items of a multiple choice ("A governor (SEN governor or …" hid what was chosen), whose
   remove buttons were 15 by 7 px; a drop-down's open and clear buttons were 22 px high. */
[data-testid='stCheckbox'] [data-testid='stWidgetLabel'] [data-testid='stMarkdownContainer'],
[data-testid='stCheckbox'] [data-testid='stWidgetLabel'] p,
[data-testid='stMultiSelectTagsContainer'] span {{
  white-space: normal !important; text-overflow: clip !important; overflow: visible !important;
}}
[data-testid='stMultiSelectTagsContainer'] span:has(> button) {{ height: auto !important; }}
[data-testid='stMultiSelectTagsContainer'] button,
[data-testid='stSelectbox'] button, [data-testid='stMultiSelect'] button {{
  display: inline-flex; align-items: center; justify-content: center;
  min-width: 24px; min-height: 24px;
}}
/* The heatmap needs room for a column per section: on a narrow screen it keeps its width in
   a box of its own that scrolls sideways, instead of squeezing the cells until their figures
   and the section names overlap and the legend is cut off. */
.st-key-heatmap {{ overflow-x: auto; }}
.st-key-heatmap [data-testid='stVegaLiteChart'] {{ min-width: 40rem; }}

/* Compact criterion cards */
[class*='st-key-card-'] h3 {{ font-size: 1.1rem; line-height: 1.4; padding: 0; }}
/* The "saved" line: green, bold, and a tick that is not read out (the empty text after "/";
   a browser that does not know that form uses the line before it) */
[class*='st-key-{SAVED_LINE}-'] p {{ color: #00703c; font-weight: 600; margin: 0; }}
[class*='st-key-{SAVED_LINE}-'] p::before {{ content: "✓ "; content: "✓ " / ""; }}

/* Printing a page (the gap report above all) gives the content alone */
@media print {{
  [data-testid='stSidebar'], [data-testid='stHeader'], [data-testid='stToolbar'],
  [data-testid='stDecoration'], [data-testid='stBottom'], [data-testid='stStatusWidget'],
  [data-testid='stExpandSidebarButton'], [data-testid='stSidebarCollapsedControl'],
  button, [data-testid='stDownloadButton'], iframe {{ display: none !important; }}
  [data-testid='stMainBlockContainer'] {{ max-width: none; padding: 0 !important; }}
  [data-testid='stMain'], [data-testid='stAppViewContainer'] {{
    position: static !important; overflow: visible !important; height: auto !important;
  }}
  [data-testid='stAppScrollToBottomContainer'] {{ overflow: visible !important; }}
  h1, h2, h3 {{ break-after: avoid; }}
  table, figure, [data-testid='stVerticalBlockBorderWrapper'] {{ break-inside: avoid; }}
  a[href^='https://']::after {{ content: " (" attr(href) ")"; font-size: 0.8em; }}
  body {{ color: #000; background: #fff; }}
}}
</style>
"""


# On a narrow screen (a phone, or a laptop at 200% zoom) the open menu covers the page.
# Streamlit folds it after a page is chosen only when the browser says it is a phone, so a
# zoomed laptop's menu stayed over the page just opened. Below Streamlit's own breakpoint
# for a narrow screen (768 px), choosing a page in the menu now folds it too, by mouse or by
# keyboard (Enter on a link is a click). Installed once in the document.
FOLD_MENU_JS = """<script>
(() => {
  const doc = window.parent ? window.parent.document : document;
  const win = doc.defaultView;
  if (win.__qoFoldMenu) return;
  win.__qoFoldMenu = true;
  doc.addEventListener("click", (event) => {
    const link = event.target.closest
      && event.target.closest('[data-testid="stSidebarNavLink"]');
    if (!link || win.innerWidth >= 768) return;
    const fold = doc.querySelector(
      '[data-testid="stSidebar"] button[aria-label="Collapse sidebar"]');
    if (fold) setTimeout(() => fold.click(), 0);
  }, true);
})();
</script>"""


# A download button is disabled while its file is fetched from the server (every file here
# is built only when asked for), and a disabled button loses focus: after Enter on "PDF
# report" focus fell to the page's body, no ring was left to see, and the next Tab went on
# from elsewhere. Focus now goes back to the button once it is enabled again, unless the
# person has moved on meanwhile. Installed once in the document.
KEEP_DOWNLOAD_FOCUS_JS = """<script>
(() => {
  const doc = window.parent ? window.parent.document : document;
  const win = doc.defaultView;
  if (win.__qoKeepDownloadFocus) return;
  win.__qoKeepDownloadFocus = true;
  doc.addEventListener("focusout", (event) => {
    const button = event.target;
    // Only a button that lost focus by being disabled: a click elsewhere is left alone.
    if (event.relatedTarget || !button.disabled || !button.closest
        || !button.closest('[data-testid="stDownloadButton"]')) return;
    const start = Date.now();
    const back = () => {
      const active = doc.activeElement;
      if (active && active !== doc.body) return;  // moved on meanwhile
      if (button.isConnected && !button.disabled) { button.focus(); return; }
      if (button.isConnected && Date.now() - start < 120000) setTimeout(back, 100);
    };
    setTimeout(back, 0);
  }, true);
})();
</script>"""


def run_once(key: str, script: str) -> None:
    """Run a page script once a browser session (a reload starts a new one).

    Drawn in the menu: an element holding only a script is empty, and at the foot of the
    menu it moves nothing on the page.
    """
    if st.session_state.get(key):
        return
    st.session_state[key] = True
    with st.sidebar:
        st.html(script, unsafe_allow_javascript=True)


def apply() -> None:
    """Add the style sheet to the page; call once per run, before the page draws."""
    st.html(CSS)
    run_once("_qo_fold_menu", FOLD_MENU_JS)
    run_once("_qo_keep_download_focus", KEEP_DOWNLOAD_FOCUS_JS)
