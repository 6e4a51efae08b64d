"""The Streamlit app's pages, one small module each, and the helpers they share.

Pages only lay out what the package computes: rules live in :mod:`quality_offer.audit`,
:mod:`quality_offer.gaps`, :mod:`quality_offer.store` and :mod:`quality_offer.permissions`.
``streamlit_app.py`` is the frame that asks :func:`pages_for` which pages a user sees.
"""

from .nav import PAGES, page, pages_for, specs_for, window_title
from .session import LOCAL_BANNER, current_user
from .text import plain

__all__ = ["LOCAL_BANNER", "PAGES", "current_user", "page", "pages_for", "plain", "specs_for",
           "window_title"]
