"""The dashboard's view models: frozen, already localised where a page shows words, and safe to show as they are."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from adapters.web.dashboard.comments_data import AnswerForm, CommentRound
from adapters.web.dashboard.evaluation_data import EvaluationView
from bot.calendar import StepKind
from bot.dimensions import Dimension
from bot.plan import ActionStatus, FollowUp
from bot.survey_view import TeamSurveyView


class CellState(StrEnum):
    """What a result cell may show: a figure, nothing because too few answered, or nothing because none was asked."""

    SHOWN = "shown"
    HIDDEN = "hidden"  # asked, but hidden by bot.results: too few answered, or (`protected`) to stop subtraction
    NO_DATA = "no_data"  # no closed pulse round has asked the team's group


@dataclass(frozen=True)
class IndexCell:
    """A dimension's latest index for a team's group (the team and the units under it); `value` only when shown."""

    dimension: Dimension
    name: str
    state: CellState
    value: float | None = None  # 0..100
    closes_on: date | None = None  # the round it comes from (also for a hidden one)
    risk_limit: float | None = None
    protected: bool = False  # hidden so that a smaller group's answers cannot be worked out from the unit's total

    @property
    def below_risk_limit(self) -> bool:
        """True when a shown index of a foundation dimension is under its risk limit."""
        return self.value is not None and self.risk_limit is not None and self.value < self.risk_limit


@dataclass(frozen=True)
class RateCell:
    """A round's response rate (0..1) for a team's group; a hidden group shows only how many were invited."""

    state: CellState
    value: float | None = None
    invited: int | None = None
    closes_on: date | None = None
    round_id: int | None = None
    protected: bool = False  # hidden so that a smaller group's answers cannot be worked out from the unit's total


@dataclass(frozen=True)
class OrganisationRow:
    """One team in the organisation table."""

    team_id: int
    name: str
    parent_id: int | None
    parent_name: str | None
    members: int  # people in the team itself, not in the units under it
    has_plan: bool
    plan_agreed_on: date | None
    plan_agree_by: date | None  # a draft's day to be agreed by (the calendar's plan step), while it is still to come
    targets: int
    actions: Mapping[ActionStatus, int]  # every status, 0 included
    last_follow_up: date | None
    next_follow_up_due: date | None
    days_left: int | None  # to the 3-month limit on the team's clock; negative = overdue; None before agreeing
    indices: tuple[IndexCell, ...]  # one per Dimension, in Dimension order
    response_rate: RateCell  # the latest closed round that asked the group
    successes_30d: int
    risk_score: int
    risk_reasons: tuple[str, ...]  # localised, most serious first

    @property
    def overdue(self) -> bool:
        """True when the 3-month follow-up limit has passed."""
        return self.days_left is not None and self.days_left < 0


@dataclass(frozen=True)
class OrganisationView:
    """Every team the viewer may see, riskiest first."""

    language: str
    organisation: str
    today: date  # on the organisation's clock
    threshold: int
    dimension_names: Mapping[Dimension, str]
    risk_limits: Mapping[Dimension, float]
    rows: tuple[OrganisationRow, ...]


@dataclass(frozen=True)
class ActionRow:
    """One action of a target."""

    text: str
    owner: str | None
    due_on: date | None
    status: ActionStatus
    status_label: str
    late: bool = False  # its day has passed and it is not done
    due_words: str = ""  # the planner's words for the day when they name a stretch of time ("kevään aikana")


@dataclass(frozen=True)
class TargetRow:
    """One development target with its actions and how many successes were tied to it."""

    number: int
    title: str  # the development target (kehittämiskohde)
    goal: str  # its goal (tavoite); empty until written
    dimensions: tuple[str, ...]  # localised dimension names
    practice: str
    follow_up: str
    successes: int
    actions: tuple[ActionRow, ...]
    success_texts: tuple[str, ...] = ()  # the newest successes tied to the target, for the printed plan


@dataclass(frozen=True)
class PlanView:
    """The team's current development plan."""

    year: int
    agreed_on: date | None
    agree_by: date | None  # a draft's day to be agreed by, while it is still to come
    strengths: tuple[str, ...]
    targets: tuple[TargetRow, ...]
    action_counts: Mapping[ActionStatus, int]  # every status, 0 included: the plan's own count (Plan.action_counts)


@dataclass(frozen=True)
class FollowUps:
    """The follow-ups held and the 3-month clock."""

    held: tuple[date, ...]  # oldest first
    last: date | None
    due: date | None
    days_left: int | None  # negative = overdue
    records: tuple[FollowUp, ...] = ()  # the follow-ups recorded with what was decided, oldest first

    def notes_of(self, day: date) -> tuple[str, ...]:
        """What was decided in the follow-ups held that day (none for a day recorded without a note)."""
        return tuple(r.note for r in self.records if r.held_on == day and r.note)

    @property
    def overdue(self) -> bool:
        """True when the 3-month limit has passed."""
        return self.days_left is not None and self.days_left < 0


@dataclass(frozen=True)
class SeriesPoint:
    """One closed round that asked the group about the dimension; `value` None = hidden under the threshold."""

    round_id: int
    closes_on: date
    value: float | None
    protected: bool = False  # hidden so that a smaller group's answers cannot be worked out, not for too few


@dataclass(frozen=True)
class DimensionSeries:
    """A dimension's index round by round for a team's group."""

    dimension: Dimension
    name: str
    risk_limit: float | None
    points: tuple[SeriesPoint, ...]


@dataclass(frozen=True)
class MonthCount:
    """How many successes a team shared in one calendar month."""

    year: int
    month: int
    label: str
    count: int


@dataclass(frozen=True)
class TeamSurvey:
    """The team's newest survey year as it may be shown, with the names the page needs."""

    view: TeamSurveyView
    shown_name: str  # whose figures: the team, the nearest unit above it that is shown, or the organisation
    organisation_name: str


@dataclass(frozen=True)
class SharedSuccess:
    """A success the team shared in its channel (public by nature), with what in the plan it is tied to."""

    on: date  # on the team's clock
    text: str
    tied_to: str | None  # the target's or strength's words, None when tied to nothing


@dataclass(frozen=True)
class TeamView:
    """One team's page: plan, follow-ups, pulse trend, response rates and successes."""

    language: str
    team_id: int
    name: str
    parent_name: str | None
    today: date  # on the team's clock
    threshold: int
    plan: PlanView | None
    follow_ups: FollowUps
    trend: tuple[DimensionSeries, ...]  # dimensions ever asked of the group, in Dimension order
    risk_limits: Mapping[Dimension, float]
    response_rates: tuple[RateCell, ...]  # closed rounds that asked the group, oldest first
    successes_by_month: tuple[MonthCount, ...]  # the last 12 months, oldest first, this month last
    survey: TeamSurvey | None = None  # None: no survey year imported
    evaluation: EvaluationView | None = None  # the year-end evaluation of the newest agreed plan
    successes: tuple[SharedSuccess, ...] = ()  # the last 12 months' successes, newest first (the export lists them)
    # The newest closed rounds' comments (adapters/web/dashboard/page_comments.py): never in an export.
    comments: tuple[CommentRound, ...] = ()
    answer_form: AnswerForm | None = None  # the team's supervisor answers the comments; None for anyone else


@dataclass(frozen=True)
class StepMark:
    """A step of the year on the day it goes out (moved off weekends and holidays), with its rule in words."""

    number: int
    key: str
    kind: StepKind
    title: str  # the step's name in the reader's language
    on: date
    rule: str = ""  # "14 päivää vaiheen ”…” jälkeen", or the fixed day "15.1."


@dataclass(frozen=True)
class ProgressMark:
    """Something a team has done on a day: agreed its plan, held a follow-up."""

    kind: StepKind
    on: date
    label: str


@dataclass(frozen=True)
class TeamProgress:
    """A team's progress through the year, for its ring on the wheel."""

    team_id: int
    name: str
    marks: tuple[ProgressMark, ...]  # in date order, inside the year shown
    done: frozenset[StepKind]
    next_follow_up_due: date | None
    overdue: bool

    @property
    def last_done(self) -> date | None:
        """The latest day the team did something the wheel shows."""
        return self.marks[-1].on if self.marks else None


@dataclass(frozen=True)
class CalendarView:
    """The annual calendar of one year with today and every visible team's progress."""

    language: str
    year: int
    today: date  # on the organisation's clock
    steps: tuple[StepMark, ...]  # enabled steps in date order
    pulse_rounds: tuple[date, ...]  # closing days of the organisation's pulse rounds in the year
    teams: tuple[TeamProgress, ...]


@dataclass(frozen=True)
class UndeliveredRow:
    """A member the outbox could not reach: where, the latest reason and when, and how many messages failed."""

    member_id: int | None  # None: every team channel post together
    name: str
    teams: tuple[str, ...]
    platform: str
    reason: str  # localised; a reason the dashboard does not know is "unknown", never the raw text
    when: datetime  # the latest failure, on the organisation's clock
    failed: int


@dataclass(frozen=True)
class UndeliverableView:
    """People the bot could not reach, one row each, the latest failure first."""

    language: str
    rows: tuple[UndeliveredRow, ...] = field(default=())
