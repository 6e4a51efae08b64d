"""The store: audits in SQLite or PostgreSQL, with every change recorded and nothing lost.

A SENCO's audit is hours of work over weeks, often by several people at once. So:

- every write is one transaction: a crash or a killed process leaves the last committed state;
- a save names the version it was edited from (optimistic concurrency); if someone else saved
  since, the save is refused with a message saying who changed what, and nothing is overwritten;
- every change records who, when, the field, and the old and new value, so even an accepted
  overwrite can be read back from the history;
- an import never drops a stored answer that the file does not mention;
- there is no delete.

The schema is brought up to date with Alembic when the store is opened, so a new version of
the tool upgrades an existing database without a separate step.

This module is the one public :class:`Store`: it opens the database (and upgrades its
schema) and combines the rest. What every part shares, the two kinds of transaction and the
look-up of the acting user's rights inside a write's own transaction, is
:class:`~quality_offer.store.core.StoreCore`, the base of every mixin. The reads and the writes
are mixed in from modules named for their concern (``reads``, ``answers``, ``statuses``,
``sign_offs``, ``audits``, ``schools``, ``imports``, ...), each naming as its bases the core
and the mixins whose helpers it uses, so a change to how signatures work is made in one small
module, and callers still see one object.
"""

from __future__ import annotations

from alembic import command

from . import settings
from .answers import Answers
from .audits import Audits
from .changelog import ChangeLog
from .core import StoreCore
from .cycles import Cycles
from .engine import _UPGRADE_LOCK, _alembic_config, _make_engine
from .imports import Imports
from .memberships import Memberships
from .moves import FrameworkMoves
from .reads import Reads
from .schools import Schools
from .sign_offs import SignOffs
from .statuses import Statuses


class Store(Audits, Imports, Cycles, FrameworkMoves, Answers, Statuses, Schools, SignOffs,
            Reads, ChangeLog, Memberships, StoreCore):
    """All reads and writes of audits. Thread-safe: each call uses its own connection.

    This class is the front: opening the database and closing it. The transactions and the
    right checks are the core's (:class:`StoreCore`); what is read and written is in the
    mixins, one concern each, listed here with those they build on after them.
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = _make_engine(url)
        self.dialect = self.engine.dialect.name
        self._writer = self.engine.execution_options(quality_offer_write=True)
        # PostgreSQL: read an audit's header and answers from one snapshot.
        self._reader = (self.engine.execution_options(isolation_level="REPEATABLE READ")
                        if self.dialect == "postgresql" else self.engine)
        self.upgrade()

    @classmethod
    def from_settings(cls, url: str | None = None) -> Store:
        """The store at ``url``, else ``QUALITY_OFFER_DATABASE_URL``, else the data folder."""
        return cls(settings.database_url(url))

    def upgrade(self) -> None:
        """Bring the schema to the newest migration, in one transaction."""
        cfg = _alembic_config()
        with _UPGRADE_LOCK, self._writer.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.engine.url.render_as_string(hide_password=True)!r})"
