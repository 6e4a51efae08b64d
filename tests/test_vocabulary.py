"""Each word of the product has one home and a label for every value."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from quality_offer import vocabulary
from quality_offer.vocabulary import LABELLED

PACKAGE = Path(vocabulary.__file__).parent


@pytest.mark.parametrize("name", sorted(LABELLED))
def test_every_value_has_a_label_and_no_label_is_for_a_value_that_does_not_exist(
        name: str) -> None:
    values, label_sets = LABELLED[name]
    assert values, name
    for labels in label_sets:
        assert set(labels) == set(values), (name, set(values) ^ set(labels))
        assert all(isinstance(v, str) and v.strip() for v in labels.values()), name


def test_no_two_values_of_one_word_share_a_label() -> None:
    for name, (values, label_sets) in LABELLED.items():
        for labels in label_sets:
            shown = [labels[v] for v in values]
            assert len(set(shown)) == len(shown), name


def _assigned_names(tree: ast.Module) -> set[str]:
    out: set[str] = set()
    for node in tree.body:
        targets = (node.targets if isinstance(node, ast.Assign)
                   else [node.target] if isinstance(node, ast.AnnAssign) else [])
        out.update(t.id for t in targets if isinstance(t, ast.Name))
    return out


def test_no_other_module_defines_a_word_of_the_vocabulary_again() -> None:
    words = {n for n in vars(vocabulary) if n.isupper() or n in {
        "Role", "SignOffRole", "AuditStatus", "ActionStatus", "EvidenceKind", "Phase",
        "SchoolType", "Priority", "CheckKind", "EvidenceLevel", "SirStatus"}}
    again = {}
    for path in PACKAGE.rglob("*.py"):
        if path.name == "vocabulary.py" or "criteria" in path.parts:
            continue
        clash = _assigned_names(ast.parse(path.read_text(encoding="utf-8"))) & words
        if clash:
            again[str(path.relative_to(PACKAGE))] = sorted(clash)
    assert again == {}


def test_no_module_spells_out_a_label_table_of_its_own() -> None:
    """A dict literal keyed by a word's values is a second home for that word's labels."""
    value_sets = [frozenset(str(v) for v in values)
                  for values, _ in LABELLED.values() if len(values) > 2]
    found = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "vocabulary.py" or "criteria" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Dict) and node.keys and all(
                    isinstance(k, ast.Constant) for k in node.keys) and all(
                    isinstance(v, ast.Constant) and isinstance(v.value, str)
                    for v in node.values):
                keys = frozenset(str(k.value) for k in node.keys)  # type: ignore[union-attr]
                if len(keys) >= 3 and any(keys <= vs for vs in value_sets):
                    found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert found == []
