"""Each mixin of the store declares what it uses: every ``self.<name>`` in a mixin is defined
in that mixin, in the core (:class:`quality_offer.store.core.StoreCore`) or in a mixin it names
as a base. Read from the source with ``ast``, so a helper a mixin leans on without saying so
fails here, not on the first call that happens to reach it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import quality_offer.store as store_package
from quality_offer.store import Store

STORE = Path(store_package.__file__).parent
CORE = "StoreCore"


def _defined(cls: ast.ClassDef) -> set[str]:
    """The names a class defines: methods, class attributes and declarations, and the
    attributes its methods set on ``self``."""
    names: set[str] = set()
    for node in cls.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    for node in ast.walk(cls):
        targets = (node.targets if isinstance(node, ast.Assign)
                   else [node.target] if isinstance(node, ast.AnnAssign | ast.AugAssign) else [])
        names |= {t.attr for t in targets if isinstance(t, ast.Attribute)
                  and isinstance(t.value, ast.Name) and t.value.id == "self"}
    return names


def _used(cls: ast.ClassDef) -> set[str]:
    """Every ``self.<name>`` and ``cls.<name>`` the class reads, dunders left out."""
    return {node.attr for node in ast.walk(cls)
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
            and node.value.id in ("self", "cls") and not node.attr.startswith("__")}


def classes(sources: dict[str, str]) -> dict[str, tuple[str, ast.ClassDef]]:
    """Class name -> (module, its ``ast``), over the modules given (name -> source)."""
    found: dict[str, tuple[str, ast.ClassDef]] = {}
    for module, source in sources.items():
        for node in ast.parse(source).body:
            if isinstance(node, ast.ClassDef):
                assert node.name not in found, f"{node.name} defined twice"
                found[node.name] = (module, node)
    return found


def undeclared(sources: dict[str, str], mixins: list[str]) -> dict[str, list[str]]:
    """For each mixin, the ``self.<name>`` it uses that neither it, nor any class it inherits
    from among ``sources`` (the core included), defines."""
    known = classes(sources)

    def ancestors(name: str) -> list[str]:
        out = [name]
        for base in known[name][1].bases:
            if isinstance(base, ast.Name) and base.id in known:
                out += [a for a in ancestors(base.id) if a not in out]
        return out

    missing = {}
    for name in mixins:
        lineage = ancestors(name)
        defined = set().union(*(_defined(known[a][1]) for a in lineage))
        extra = sorted(_used(known[name][1]) - defined)
        if extra or CORE not in lineage:
            missing[name] = extra + ([] if CORE in lineage else [f"(no {CORE})"])
    return missing


def _store_sources() -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(STORE.glob("*.py"))}


def test_every_mixin_of_the_store_stands_on_the_core_and_declares_what_it_uses() -> None:
    mixins = [c.__name__ for c in Store.__mro__[1:-1]]  # the mixins and the core itself
    assert CORE in mixins and len(mixins) >= 12
    assert undeclared(_store_sources(), mixins) == {}


def test_the_front_adds_only_the_opening_of_the_database() -> None:
    """What is left in the front is opening and closing: no mixin may reach into it."""
    front = {n for n in vars(Store) if not n.startswith("__")}
    assert front == {"from_settings", "upgrade", "close"}


MIXIN = '''
class Quick(StoreCore):
    def count(self, urn):
        with self._reading() as s:
            return self._audit_row(s, urn, "2026/27") and self._log(s, None, None, [], "", 0)
'''


def test_the_check_catches_a_helper_used_without_being_declared() -> None:
    sources = _store_sources()
    assert undeclared({**sources, "quick": MIXIN}, ["Quick"]) == {"Quick": ["_log"]}
    declared = MIXIN.replace("class Quick(StoreCore)", "class Quick(ChangeLog)")
    assert undeclared({**sources, "quick": declared}, ["Quick"]) == {}
    alone = MIXIN.replace("class Quick(StoreCore)", "class Quick")
    assert undeclared({**sources, "quick": alone}, ["Quick"]) == {
        "Quick": ["_audit_row", "_log", "_reading", f"(no {CORE})"]}
