"""Everything one follow-up card shows, gathered from the plan, the pulse rounds and the successes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time

from bot.comments import MINIMUM_COMMENTERS, CommentAnswer, CommentAnswerStore, TeamComments, team_comments
from bot.flows.followup_model import PulseReader, SuccessReader
from bot.flows.followup_trend import QUESTION_DIMENSIONS, DimensionTrend, team_trends
from bot.organisation import Organisation, Team, team_time
from bot.person import Directory
from bot.plan import DevelopmentPlan, Target
from bot.pulse import PulseRound
from bot.results import frozen_report
from bot.success import Success


@dataclass(frozen=True)
class TargetView:
    """One development target as the follow-up shows it."""

    number: int
    target: Target
    trends: tuple[DimensionTrend, ...]
    successes: int  # posted for this target since the last follow-up


@dataclass(frozen=True)
class FollowUpView:
    """The team's plan at follow-up time: targets with actions and trends, successes, and the 3-month clock."""

    team: Team
    plan: DevelopmentPlan
    today: date  # on the team's clock
    names: Mapping[int, str]  # member id -> name, for action owners
    targets: tuple[TargetView, ...]
    successes: tuple[Success, ...]  # since `since`, newest first
    since: date | None  # the last follow-up, else the day the plan was agreed
    threshold: int
    comments: TeamComments | None = None  # the newest closed round that asked the team; None: none has yet
    comment_answer: CommentAnswer | None = None  # the supervisor's answer to those comments, once given

    @property
    def due(self) -> date | None:
        """The latest day for the next follow-up."""
        return self.plan.next_follow_up_due

    @property
    def days_overdue(self) -> int:
        """How many days past the 3-month limit the follow-up is; 0 when on time."""
        due = self.due
        return (self.today - due).days if due is not None and self.today > due else 0


class FollowUpCards:
    """Gathers what a follow-up card shows; the flow and the scheduler's use cases share it."""

    def __init__(
        self,
        directory: Directory,
        successes: SuccessReader,
        pulses: PulseReader,
        answers: CommentAnswerStore | None = None,
        comment_threshold: int = MINIMUM_COMMENTERS,
    ) -> None:
        self.directory = directory
        self.successes = successes
        self.pulses = pulses
        self.answers = answers
        self.comment_threshold = comment_threshold

    def view(self, organisation: Organisation, team: Team, plan: DevelopmentPlan, now: datetime) -> FollowUpView:
        """The follow-up of one plan as of `now` (aware)."""
        local = team_time(now, team)
        since = plan.last_follow_up_on or plan.agreed_on
        since_at = None if since is None else datetime.combine(since, time(), tzinfo=local.tzinfo)
        successes = tuple(self.successes.for_team(team.id, since_at))
        dimensions = [d for target in plan.targets for d in target.dimensions]
        rounds = self.pulses.rounds(organisation.id)
        trends = team_trends(team, dimensions, rounds, self.pulses.tallies, now)
        targets = tuple(
            TargetView(
                number,
                target,
                tuple(trends[d] for d in dict.fromkeys(target.dimensions)),
                sum(1 for s in successes if target.id is not None and s.target_id == target.id),
            )
            for number, target in enumerate(plan.targets, start=1)
        )
        names = self.directory.member_names(plan.owner_ids)
        comments = self._latest_comments(team, rounds, now)
        answer = None
        if comments is not None and self.answers is not None:
            answer = self.answers.for_team(team.id).get(comments.round_id)
        return FollowUpView(
            team,
            plan,
            local.date(),
            names,
            targets,
            successes,
            since,
            organisation.anonymity_threshold,
            comments,
            answer,
        )

    def _latest_comments(self, team: Team, rounds: list[PulseRound], now: datetime) -> TeamComments | None:
        """The team's comments in the newest closed round that asked it, as much as bot.comments allows."""
        closed = [r for r in rounds if r.id is not None and r.closes_at <= now and r.questions_for(team.id)]
        if not closed:
            return None
        newest = max(closed, key=lambda r: r.closes_at)
        assert newest.id is not None
        tallies = self.pulses.tallies(newest.id)
        report = frozen_report(tallies, QUESTION_DIMENSIONS)
        return team_comments(report, tallies, team.id, self.pulses.comments(newest.id), self.comment_threshold)
