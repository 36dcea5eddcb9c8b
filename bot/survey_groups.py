"""A survey year per group (a unit with everything below it) as anonymity allows, by the pulses' rules."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from bot.anonymity import UnitNode, UnitTree, protected_groups, unit_tree, validate_threshold, visible_groups
from bot.dimensions import Dimension, risk_limit
from bot.organisation import Organisation
from bot.survey import SurveyFigures, SurveyResults

# The people the file counts in the organisation's row but in no unit's shown figures (units the vendor left
# without figures, or not in the file at all) sit here, beside the real units, so that subtracting the units'
# figures from the organisation's is checked like any other difference.
REST_OF_ORGANISATION = -1


class Hidden(StrEnum):
    """Why a group's figures are not shown; each reason is told as it is."""

    FEW_RESPONDENTS = "few_respondents"  # fewer than the threshold answered
    PROTECTED = "protected"  # enough answered, hidden so that a smaller group's answers cannot be worked out
    NOT_REPORTED = "not_reported"  # the vendor's file gave no figures for it


@dataclass(frozen=True)
class SurveyGroup:
    """What may be shown of one group: everything when `hidden` is None, else only how many were invited."""

    unit_id: int | None  # None: the whole organisation
    hidden: Hidden | None
    invited: int | None
    respondents: int | None = None
    qwl_index: float | None = None
    dimensions: Mapping[Dimension, float] = field(default_factory=dict)

    @property
    def visible(self) -> bool:
        """True when the group's figures may be shown."""
        return self.hidden is None

    @property
    def response_rate(self) -> float | None:
        """Respondents of invited in per cent, when shown."""
        if self.respondents is None or not self.invited:
            return None
        return 100.0 * self.respondents / self.invited

    def below_risk_limit(self) -> tuple[Dimension, ...]:
        """The foundation dimensions under their risk limit, in the model's order."""
        return tuple(
            d for d in Dimension if (limit := risk_limit(d)) is not None and self.dimensions.get(d, limit) < limit
        )


@dataclass(frozen=True)
class SurveyReport:
    """A survey year for every unit's group and the whole organisation, under one threshold."""

    year: int
    threshold: int
    total: SurveyGroup
    groups: Mapping[int, SurveyGroup]  # only units with a row in the file, or a unit below them with one
    parents: Mapping[int, int | None]

    def group(self, unit_id: int | None) -> SurveyGroup | None:
        """A unit's group (None: the whole organisation), or None when the file had nothing for it."""
        return self.total if unit_id is None else self.groups.get(unit_id)

    def nearest_visible(self, unit_id: int) -> SurveyGroup | None:
        """The unit's own group if shown, else the nearest unit above it that is, else the organisation if shown."""
        current: int | None = unit_id
        while current is not None:
            found = self.groups.get(current)
            if found is not None and found.visible:
                return found
            current = self.parents.get(current)
        return self.total if self.total.visible else None


def organisation_units(organisation: Organisation) -> list[UnitNode]:
    """The organisation's units as the anonymity rules see them."""
    return [UnitNode(team.id, team.parent_id) for team in organisation.teams]


def survey_report(results: SurveyResults, units: Sequence[UnitNode], threshold: int) -> SurveyReport:
    """Each unit's group pooled from its units' figures (weighted by respondents), shown as `visible_groups` allows.

    Only units with figures count in a group: their respondents are the people behind its figures. The
    organisation's row is the vendor's own; whoever it counts beyond the shown units is one more group beside the
    units (REST_OF_ORGANISATION), so no unit is shown whose figures, taken from the organisation's, leave fewer
    than the threshold.
    """
    validate_threshold(threshold)
    known = {unit.id for unit in units}
    figured = {u: f for u, f in results.units.items() if u in known and f.shown and f.respondents}
    respondents = {u: f.respondents or 0 for u, f in figured.items()}
    invited = {u: f.invited or 0 for u, f in figured.items()}
    whole = results.organisation
    nodes = list(units)
    rest = max(0, (whole.respondents or 0) - sum(respondents.values()))
    rest_invited = max(0, (whole.invited or 0) - sum(invited.values()))
    if rest or rest_invited:
        nodes.append(UnitNode(REST_OF_ORGANISATION))
        respondents[REST_OF_ORGANISATION] = rest
        invited[REST_OF_ORGANISATION] = rest_invited
    tree = unit_tree(nodes)
    shown = visible_groups(tree, respondents, threshold, invited)
    protected = protected_groups(tree, respondents, threshold, shown)
    members = _members(tree)
    in_file = set(results.units)
    groups: dict[int, SurveyGroup] = {}
    for unit in units:
        below = members[unit.id]
        if not below & in_file:
            continue  # neither the unit nor any below it is in the file: nothing to say of it
        group_invited = _sum_known(results.units.get(u) for u in below)
        pooled = [figured[u] for u in below if u in figured]
        if not pooled:
            groups[unit.id] = SurveyGroup(unit.id, Hidden.NOT_REPORTED, group_invited)
        elif unit.id in shown:
            groups[unit.id] = _pooled_group(unit.id, pooled)
        else:
            reason = Hidden.PROTECTED if unit.id in protected else Hidden.FEW_RESPONDENTS
            groups[unit.id] = SurveyGroup(unit.id, reason, group_invited)
    total = (
        SurveyGroup(None, None, whole.invited, whole.respondents, whole.qwl_index, whole.dimensions)
        if (whole.respondents or 0) >= threshold
        else SurveyGroup(None, Hidden.FEW_RESPONDENTS, whole.invited)
    )
    parents = {unit.id: unit.parent_id for unit in units}
    return SurveyReport(results.year, threshold, total, groups, parents)


def organisation_report(results: SurveyResults, organisation: Organisation) -> SurveyReport:
    """The year under the units and threshold it was imported with; a year not stored yet under today's."""
    units = list(results.tree) or organisation_units(organisation)
    return survey_report(results, units, results.threshold or organisation.anonymity_threshold)


def _members(tree: UnitTree) -> dict[int, frozenset[int]]:
    members: dict[int, frozenset[int]] = {}
    for unit_id in reversed(tree.preorder):
        members[unit_id] = frozenset({unit_id}).union(*(members[child] for child in tree.children[unit_id]))
    return members


def _sum_known(figures: Iterable[SurveyFigures | None]) -> int | None:
    """The invited of the rows that give it; None when none does."""
    counts = [f.invited for f in figures if f is not None and f.invited is not None]
    return sum(counts) if counts else None


def _pooled_group(unit_id: int, pooled: Sequence[SurveyFigures]) -> SurveyGroup:
    # A dimension's index is a mean answer scaled to 0-100 %, so a group's is its units' weighted by respondents.
    weights = [f.respondents or 0 for f in pooled]
    total = sum(weights)

    def mean(values: Sequence[float]) -> float:
        return round(sum(w * v for w, v in zip(weights, values, strict=True)) / total, 6)

    dimensions = {d: mean([f.dimensions[d] for f in pooled]) for d in Dimension}
    qwl = mean([f.qwl_index or 0.0 for f in pooled])
    invited = sum(f.invited or 0 for f in pooled)
    return SurveyGroup(unit_id, None, invited, total, qwl, dimensions)
