"""``python -m quality_offer.cli``: the same command as ``quality-offer``."""

import sys

from . import main

sys.exit(main())
