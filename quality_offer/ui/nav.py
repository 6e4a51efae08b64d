"""The page list, built for one user: the seam where sign-in and roles plug in.

Each page names the permission it needs (see :mod:`quality_offer.permissions`); a user
sees only the pages they may use. In local mode the user has every right, so every page is
listed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from ..permissions import User, can


@dataclass(frozen=True)
class PageSpec:
    name: str
    title: str
    icon: str
    url_path: str
    needs: tuple[str, ...]  # any one of these rights shows the page
    render: Callable[[], None]


def _render(module: str) -> Callable[[], None]:
    """The page's ``render`` function, imported when the page runs, not when listed."""

    def run() -> None:
        import importlib

        importlib.import_module(f"quality_offer.ui.{module}").render()

    run.__name__ = run.__qualname__ = f"render_{module}"
    return run


PAGES: tuple[PageSpec, ...] = (
    PageSpec("audits", "Audits", ":material/folder_open:", "audits", ("view", "create"),
             _render("audits")),
    PageSpec("checklist", "Checklist", ":material/checklist:", "checklist", ("view",),
             _render("checklist_page.page")),
    PageSpec("sir", "SEN information report", ":material/plagiarism:",
             "sen-information-report", ("view",), _render("sir_page")),
    PageSpec("report", "Gap report", ":material/summarize:", "gap-report", ("view",),
             _render("report")),
    PageSpec("transfer", "Import and export", ":material/swap_vert:", "import-export",
             ("import", "export"), _render("transfer")),
    PageSpec("framework", "Framework", ":material/menu_book:", "framework", ("view",),
             _render("browse")),
    PageSpec("review", "Sign-off and history", ":material/approval:", "sign-off",
             ("history", "sign_off", "moderate"), _render("review")),
    PageSpec("compare", "Compare schools", ":material/grid_view:", "compare", ("compare",),
             _render("compare_page.page")),
    PageSpec("admin", "Administration", ":material/admin_panel_settings:", "admin",
             ("manage_members",), _render("admin")),
)
_BY_NAME = {p.name: p for p in PAGES}


def window_title(page_title: str) -> str:
    """The browser tab's title for a page: the page first, so tabs and screen readers
    tell pages apart (WCAG 2.2, 2.4.2 Page Titled)."""
    return f"{page_title} · Quality Offer" if page_title else "Quality Offer"


def page(name: str) -> st.Page:  # type: ignore[name-defined]
    """The ``st.Page`` for a page name; the same url_path always gives the same page."""
    spec = _BY_NAME[name]
    return st.Page(spec.render, title=spec.title, icon=spec.icon, url_path=spec.url_path,
                   default=spec is PAGES[0])


def specs_for(user: User | None) -> list[PageSpec]:
    """The pages ``user`` may open, in menu order; empty for no user. No Streamlit needed."""
    return [spec for spec in PAGES if any(can(user, right) for right in spec.needs)]


def pages_for(user: User | None) -> list:
    """The ``st.Page`` list for ``st.navigation``: the pages ``user`` may open."""
    return [page(spec.name) for spec in specs_for(user)]
