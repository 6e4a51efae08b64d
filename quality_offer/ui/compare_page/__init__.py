"""The Compare schools page, in parts: the frame (:mod:`.page`), where the audits come
from, the filters, each view and the authority's collection, one module each."""
