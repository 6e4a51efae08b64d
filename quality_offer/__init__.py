"""Quality Offer: self-assessment of a school's SEND provision.

Data flows one way: YAML criteria -> validated Framework -> Audit -> GapReport -> screen,
PDF, HTML and spreadsheets. Many audits -> Comparison -> the local authority's dashboard.
"""

__version__ = "0.1.0"
