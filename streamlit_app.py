"""Quality Offer: the Streamlit app's frame.

It sets up the page, says plainly who has access, and lets :func:`quality_offer.ui.pages_for`
decide which pages the user sees. Everything else lives in the ``quality_offer`` package:
the pages in ``quality_offer.ui``, the rules beneath them. Run it with
``streamlit run streamlit_app.py``; it uses the embedded SQLite database unless
``QUALITY_OFFER_DATABASE_URL`` says otherwise.
"""

import streamlit as st

from quality_offer import ui

st.set_page_config(page_title="Quality Offer", page_icon=":material/fact_check:",
                   layout="wide", initial_sidebar_state="expanded")

user = ui.current_user()
navigation = st.navigation(ui.pages_for(user))
if user.local:
    st.info(ui.LOCAL_BANNER, icon=":material/info:")
navigation.run()
