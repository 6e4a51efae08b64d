"""Quality Offer: the Streamlit app's frame.

It sets up the page, says plainly who has access, and lets :func:`quality_offer.ui.pages_for`
decide which pages the user sees. Everything else lives in the ``quality_offer`` package:
the pages in ``quality_offer.ui``, the rules beneath them. Run it with
``streamlit run streamlit_app.py``; it uses the embedded SQLite database unless
``QUALITY_OFFER_DATABASE_URL`` says otherwise.
"""

import logging

import streamlit as st

from quality_offer import ui
from quality_offer.ui import signin, theme

# "auto": the menu starts open on a wide screen and closed on a narrow one (a phone, or a
# laptop at 200% zoom), where it would otherwise cover the page on every load.
st.set_page_config(page_title="Quality Offer", page_icon=":material/fact_check:",
                   layout="wide", initial_sidebar_state="auto")
theme.apply()  # visible focus, readable text, lines of about 75 characters, print styles

user = signin.gate()  # local user, or signed in with a membership; otherwise it stops here
navigation = st.navigation(ui.pages_for(user))
st.set_page_config(page_title=ui.window_title(navigation.title))  # each page its own title
st.sidebar.caption("**Quality Offer**: a school's SEND self-assessment against the local "
                   "authority's Quality Offer and the SEND Code of Practice 2015.")
if user.local:
    st.info(ui.LOCAL_BANNER, icon=":material/info:")
try:
    navigation.run()
except Exception:  # logged for the administrator; never a traceback on screen
    logging.getLogger("quality_offer").exception("A page failed")
    st.error("Something went wrong on this page. Nothing you saved before is lost; please "
             "try again, and tell the administrator if it keeps happening.")
