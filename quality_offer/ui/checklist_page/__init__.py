"""The Checklist page, in parts: the frame (:mod:`.page`), the state kept between runs, the
saving callback, one module per part of a criterion card, the way between sections and the
search, and the cautions the page gives."""
