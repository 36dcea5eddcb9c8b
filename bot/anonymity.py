"""Which unit results may be shown: the anonymity threshold, roll-up of small units and complementary suppression."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from bot.errors import DomainError

MINIMUM_THRESHOLD = 3  # the product's promise: never fewer respondents than this behind a shown figure
DEFAULT_THRESHOLD = 5


def validate_threshold(value: int) -> int:
    """Return the threshold if an organisation may use it; refuse one below the minimum."""
    if value < MINIMUM_THRESHOLD:
        raise DomainError("anonymity.threshold_too_low", minimum=MINIMUM_THRESHOLD, given=value)
    return value


@dataclass(frozen=True)
class UnitNode:
    """A unit in the organisation tree; `parent_id` None makes it a root."""

    id: int
    parent_id: int | None = None


@dataclass(frozen=True)
class UnitTree:
    """The organisation's units as a checked forest, worked out once for the many groupings of one report."""

    children: Mapping[int, tuple[int, ...]]  # each tuple sorted by id, so every walk is deterministic
    roots: tuple[int, ...]
    preorder: tuple[int, ...]  # parents before their children


def unit_tree(units: Sequence[UnitNode]) -> UnitTree:
    """The units as a forest; refuse a unit listed twice, an unknown parent or a cycle."""
    parents: dict[int, int | None] = {}
    for unit in units:
        if unit.id in parents:
            raise ValueError(f"unit {unit.id} appears twice")
        parents[unit.id] = unit.parent_id
    children: dict[int, list[int]] = {unit_id: [] for unit_id in parents}
    for unit_id, parent_id in parents.items():
        if parent_id is None:
            continue
        if parent_id not in parents:
            raise ValueError(f"unit {unit_id} has an unknown parent {parent_id}")
        children[parent_id].append(unit_id)
    sorted_children = {unit_id: tuple(sorted(kids)) for unit_id, kids in children.items()}
    roots = tuple(sorted(unit_id for unit_id, parent_id in parents.items() if parent_id is None))
    preorder: list[int] = []
    stack = list(reversed(roots))
    while stack:
        unit_id = stack.pop()
        preorder.append(unit_id)
        stack.extend(reversed(sorted_children[unit_id]))
    # Every parent chain ends at a root unless it runs into a cycle, so unreached units are on or under one.
    if len(preorder) != len(parents):
        stranded = sorted(set(parents) - set(preorder))
        raise ValueError(f"units {stranded} form a cycle")
    return UnitTree(sorted_children, roots, tuple(preorder))


def subtree_members(units: Sequence[UnitNode]) -> dict[int, frozenset[int]]:
    """Each unit's reported group: the unit itself and all units below it."""
    forest = unit_tree(units)
    members: dict[int, frozenset[int]] = {}
    for unit_id in reversed(forest.preorder):
        below = (members[child] for child in forest.children[unit_id])
        members[unit_id] = frozenset({unit_id}).union(*below)
    return members


def _subtree_sizes(forest: UnitTree, respondents: Mapping[int, int]) -> dict[int, int]:
    for unit_id, count in respondents.items():
        if unit_id not in forest.children:
            raise ValueError(f"respondents given for unknown unit {unit_id}")
        if count < 0:
            raise ValueError(f"unit {unit_id} has a negative respondent count")
    sizes: dict[int, int] = {}
    for unit_id in reversed(forest.preorder):
        own = respondents.get(unit_id, 0)
        sizes[unit_id] = own + sum(sizes[child] for child in forest.children[unit_id])
    return sizes


def _topmost_visible(forest: UnitTree, start: Iterable[int], visible: set[int]) -> list[int]:
    """The visible units nearest to the top when searching down from `start` through hidden units."""
    found: list[int] = []
    stack = list(start)
    while stack:
        unit_id = stack.pop()
        if unit_id in visible:
            found.append(unit_id)
        else:
            stack.extend(forest.children[unit_id])
    return found


def protected_groups(
    units: Sequence[UnitNode] | UnitTree, respondents: Mapping[int, int], threshold: int, shown: Iterable[int]
) -> frozenset[int]:
    """The groups `visible_groups` hid although they reached the threshold (complementary suppression).

    They are hidden so that a smaller group's answers cannot be worked out from the unit's total, not because
    too few answered: people are told which of the two it is.
    """
    forest = units if isinstance(units, UnitTree) else unit_tree(units)
    visible = set(shown)
    return frozenset(u for u, size in _subtree_sizes(forest, respondents).items() if size >= threshold) - visible


def visible_groups(
    units: Sequence[UnitNode] | UnitTree,
    respondents: Mapping[int, int],
    threshold: int,
    invited: Mapping[int, int] | None = None,
) -> frozenset[int]:
    """The units whose group (the unit and everything below it) may be shown.

    `units` may be given as their `unit_tree`, worked out once when one report asks about many groupings.
    `respondents` holds each unit's own direct respondents; missing units count as 0. A group below
    the threshold is hidden and its answers count only in its ancestors' groups. Then shown groups are
    suppressed until none can be subtracted from an enclosing shown group to leave a remainder of 1 to
    threshold-1 people. The organisation-wide total is treated as one more shown group above the roots
    whenever it reaches the threshold, because reports publish it.

    With `invited` (each unit's own people asked), a remainder of no respondents is safe only when nobody was
    asked there either: shown beside the invited counts, "0 of 1 answered" says that one person did not answer.
    """
    validate_threshold(threshold)
    forest = units if isinstance(units, UnitTree) else unit_tree(units)
    sizes = _subtree_sizes(forest, respondents)
    asked = _subtree_sizes(forest, invited) if invited is not None else None
    visible = {unit_id for unit_id, size in sizes.items() if size >= threshold}

    def safe(atom: int, atom_asked: int | None) -> bool:
        return atom >= threshold or (atom == 0 and not atom_asked)

    def protect(group_size: int, group_asked: int | None, children: Iterable[int]) -> None:
        # The shown groups nest, so every derivable difference is a union of "atoms": a shown group
        # minus its topmost shown descendants. An atom of 1..threshold-1 people exposes them; hiding a
        # descendant merges its atom (safe already) into this one until the atom is safe.
        # It always ends with this group still shown: with no shown descendants the atom is the group.
        while True:
            topmost = _topmost_visible(forest, children, visible)
            atom = group_size - sum(sizes[unit_id] for unit_id in topmost)
            atom_asked = None if asked is None or group_asked is None else group_asked - sum(asked[u] for u in topmost)
            if safe(atom, atom_asked):
                return
            visible.discard(min(topmost, key=lambda unit_id: (sizes[unit_id], unit_id)))

    total = sum(sizes[root] for root in forest.roots)
    if total >= threshold:
        protect(total, None if asked is None else sum(asked[root] for root in forest.roots), forest.roots)
    # Top-down, so a group is fixed only after its ancestors have decided whether it stays shown; fixing
    # a group changes no other shown group's atom than its own, so one pass is enough.
    for unit_id in forest.preorder:
        if unit_id in visible:
            protect(sizes[unit_id], None if asked is None else asked[unit_id], forest.children[unit_id])
    return frozenset(visible)
