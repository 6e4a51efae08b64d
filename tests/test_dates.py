"""Every date and time a user sees reads in English and in UK time, whatever the server."""

from __future__ import annotations

import datetime as dt
import locale
import re
import subprocess
import sys
from pathlib import Path

import pytest

import quality_offer
from quality_offer.dates import long_date, short_date, when

PACKAGE = Path(quality_offer.__file__).parent
UTC = dt.UTC


def _german() -> str | None:
    """A German locale this machine has, for the check that none of it leaks into messages."""
    saved = locale.setlocale(locale.LC_TIME)
    try:
        for name in ("de_DE.UTF-8", "de_DE.utf8", "de_DE", "de_DE@euro"):
            try:
                locale.setlocale(locale.LC_TIME, name)
            except locale.Error:
                continue
            return name
        return None
    finally:
        locale.setlocale(locale.LC_TIME, saved)


def test_dates_and_times_read_as_people_in_english_schools_write_them() -> None:
    summer = dt.datetime(2027, 3, 30, 13, 5, tzinfo=UTC)  # 14:05 in London (BST)
    assert long_date(dt.date(2027, 3, 3)) == "3 March 2027"
    assert short_date(dt.date(2027, 3, 3)) == "3 Mar 2027"
    assert when(summer) == "14:05 on 30 Mar 2027"
    assert when(summer, long=True) == "14:05 on 30 March 2027"
    assert when(summer, now=summer + dt.timedelta(hours=2)) == "14:05"
    assert when(summer, now=summer + dt.timedelta(days=1), long=True) == "14:05 on 30 March 2027"
    assert when(None) == ""
    # Late on 31 December in London is still that day, even on a server in another zone.
    assert when(dt.datetime(2026, 12, 31, 23, 30, tzinfo=UTC)) == "23:30 on 31 Dec 2026"


def test_no_module_but_dates_formats_a_month_or_a_day_with_the_server_locale() -> None:
    locale_words = re.compile(r"%[aAbBcxX]")
    found = [f"{p.relative_to(PACKAGE)}:{n}"
             for p in PACKAGE.rglob("*.py") if p.name != "dates.py" and "criteria" not in p.parts
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
             if locale_words.search(line) or "ZoneInfo(" in line]
    assert found == []


@pytest.mark.skipif(_german() is None, reason="this machine has no German locale to try")
def test_under_a_german_locale_every_date_a_user_reads_is_still_in_english(tmp_path: Path) -> None:
    """The conflict message, the SEN information report's review date and the text report,
    with the process's locale set from LC_ALL=de_DE as a server's might be."""
    script = f"""
import datetime as dt, locale
locale.setlocale(locale.LC_ALL, {_german()!r})
assert dt.date(2027, 3, 3).strftime("%B") == "März"  # the locale really is German
from quality_offer.dates import long_date, when

print(long_date(dt.date(2027, 3, 3)))
print(when(dt.datetime(2027, 3, 3, 14, 5, tzinfo=dt.timezone.utc), long=True))
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True, env={"LC_ALL": _german() or "", "PATH": "/usr/bin"}).stdout
    assert out.splitlines() == ["3 March 2027", "14:05 on 3 March 2027"]
