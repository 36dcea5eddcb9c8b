"""What each planned job sends: calendar steps, organisation-wide pulse rounds, follow-ups and housekeeping."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime, timedelta

from adapters.server.wiring import follow_up_cards
from bot.calendar import StepKind
from bot.conversation import Clock
from bot.flows.calendar_prompts import step_prompt
from bot.flows.discuss import DiscussionStarters
from bot.flows.followup_jobs import FollowUps
from bot.flows.plan_owners import ActionReminders
from bot.flows.pulse_rounds import PulseRounds, card_topic
from bot.flows.success import success_summary
from bot.flows.survey_review import review_blocks, survey_year
from bot.flows.workshop_agenda import WorkshopAgendas
from bot.flows.workshop_jobs import WorkshopJobs
from bot.follow_up_rhythm import FollowUpRhythm
from bot.messages import OutboundMessage, Reply
from bot.organisation import Member, Organisation, Role, Team, team_time
from bot.pulse import round_closes_at
from bot.survey_view import team_survey_view
from scheduler.catch_up import LOOK_BACK
from scheduler.jobs import Enqueue, JobRuntime
from scheduler.planner import PULSE_OPEN_DAYS, JobKind
from storage.calendar_repository import CalendarRepository
from storage.choose_repository import ChooseRepository
from storage.db import Database
from storage.escalation_repository import EscalationRepository
from storage.job_run_repository import JobRunRepository
from storage.org_repository import OrganisationRepository
from storage.outbox_repository import OutboxRepository
from storage.plan_repository import PlanRepository
from storage.pulse_repository import PulseRepository
from storage.reminder_repository import ReminderRepository
from storage.success_repository import SuccessRepository
from storage.survey_repository import SurveyRepository

CLOSED_SUFFIX = ":closed"  # a card's key + this: the key of the update that turns it into a closed card


class JobHandlers:
    """Turns a fired job into the messages to send, using the same use cases the chat flows use."""

    def __init__(self, db: Database, rhythm: FollowUpRhythm | None = None) -> None:
        self.directory = OrganisationRepository(db)
        self.pulses = PulseRepository(db)
        self.rounds = PulseRounds(self.directory, self.pulses, PlanRepository(db))
        self.plans = PlanRepository(db)
        self.outbox = OutboxRepository(db)
        self._closed_rounds: set[int] = set()  # rounds whose cards have all been closed (or were never recorded)
        self.successes = SuccessRepository(db)
        self.surveys = SurveyRepository(db)
        self.calendars = CalendarRepository(db)
        self.starters = DiscussionStarters(self.directory, self.plans)
        self.action_reminders = ActionReminders(self.directory, self.plans)
        self.calendars = CalendarRepository(db)
        agendas = WorkshopAgendas(self.plans, SurveyRepository(db), ChooseRepository(db), self.pulses)
        self.workshops = WorkshopJobs(agendas, self.plans)
        self.follow_ups = FollowUps(
            self.directory,
            PlanRepository(db),
            follow_up_cards(db),
            ReminderRepository(db),
            EscalationRepository(db),
            rhythm,
        )

    def __call__(self, kind: JobKind, team_id: int, overdue: bool, now: datetime) -> Reply:
        org = self.directory.get()
        if org is None:
            return Reply()
        if kind is JobKind.PULSE_ROUND:
            closes_at = round_closes_at(now, PULSE_OPEN_DAYS, org.timezone)
            _, reply = self.rounds.open_round(org, org.teams, closes_at, now)
            return reply
        if kind is JobKind.PULSE_REMINDER:
            open_round = self.pulses.open_round_for([t.id for t in org.teams], now)
            return self.rounds.send_reminder(open_round.id, now) if open_round and open_round.id else Reply()
        if kind is JobKind.FOLLOW_UP_DIGEST:
            return self.follow_ups.send_digest(now)
        team = next((t for t in org.teams if t.id == team_id), None)
        if team is None:
            return Reply()  # the team was removed after the job was planned
        if kind is JobKind.FOLLOW_UP:
            return self.follow_ups.send_follow_up(team.id, now)  # it sees for itself whether it is overdue
        if kind is JobKind.FOLLOW_UP_ESCALATION:
            return self.follow_ups.escalate(team.id, now)
        if kind is JobKind.ACTION_DUE:
            return self.action_reminders.send_due_soon(team.id, now)
        # The team, and the wellbeing officers for a team without a supervisor: not the whole city for each team.
        in_team = self.directory.members(team.id)
        officers = [m for m in self.directory.members(role=Role.WELLBEING_OFFICER) if team.id not in m.team_ids]
        members = in_team + officers
        if kind is JobKind.WORKSHOP_AGENDA:
            return self.workshops.send_agenda(org, team, members, self.calendars.get(org.id), now)
        if kind is JobKind.WORKSHOP:  # the supervisor's prompt; the day's reminder and a starter in the team's channel
            return (
                step_prompt(StepKind.WORKSHOP, team, org, members)
                + self.workshops.day_reminder(org, team)
                + self.starters.post_discussion_starter(team.id, now)
            )
        if kind is JobKind.EVALUATION:
            plan = self.plans.current(team.id)
            since = now - timedelta(days=365)
            successes = self.successes.for_team(team.id, since=since)
            return step_prompt(
                StepKind.EVALUATION,
                team,
                org,
                members,
                extra=lambda language: success_summary(successes, plan, language),
            )
        if kind is JobKind.RESULTS_REVIEW:
            return self._results_review(team, org, members, now)
        return step_prompt(StepKind(kind.value), team, org, members)

    def _results_review(self, team: Team, org: Organisation, members: list[Member], now: datetime) -> Reply:
        """The review card with the team's survey figures of the year just surveyed (or a plain word that none are)."""
        year = survey_year(self.calendars.get(org.id), team_time(now, team).date())
        results = self.surveys.get(org.id, year)
        view = None
        if results is not None:
            view = team_survey_view(results, org, team.id, self.surveys.get(org.id, year - 1))
        return step_prompt(
            StepKind.RESULTS_REVIEW,
            team,
            org,
            members,
            figures=lambda language: review_blocks(view, year, team, org, language),
        )

    def close_cards(self, now: datetime) -> list[tuple[str, OutboundMessage]]:
        """The cards left unsent by those who did not answer a round that has closed, each made a closed card once.

        Each update's key is its card's key + CLOSED_SUFFIX: the outbox refuses it twice, and the next pass finds the
        card taken care of. Rounds closed within the catch-up rule's LOOK_BACK are looked at (a bot stopped longer
        leaves older cards as they are); one that had nothing left is not read again until the process restarts.
        """
        org = self.directory.get()
        if org is None:
            return []
        updates: list[tuple[str, OutboundMessage]] = []
        for closed in self.pulses.closed_between(org.id, now - LOOK_BACK, now):
            if closed.id is None or closed.id in self._closed_rounds:
                continue
            sent = self.outbox.sent_without_follower(card_topic(closed.id), CLOSED_SUFFIX)
            if not sent:
                self._closed_rounds.add(closed.id)
                continue
            updates += [(key + CLOSED_SUFFIX, update) for key, update in self.rounds.close_cards(closed, sent, now)]
        return updates

    def housekeeping(self, now: datetime) -> Reply:
        """The "remind me later" reminders whose time has come (escalations are planned jobs of their own)."""
        return self.follow_ups.send_due_reminders(now)


def job_runtime(
    db: Database,
    clock: Clock,
    enqueue: Enqueue,
    wake: Callable[[], None] = lambda: None,
    rhythm: FollowUpRhythm | None = None,
) -> JobRuntime:
    """The runtime the scheduler's jobs run against; `wake` nudges the outbox workers after enqueueing."""
    handlers = JobHandlers(db, rhythm or FollowUpRhythm.from_env(os.environ))
    return JobRuntime(
        handlers,
        handlers.housekeeping,
        JobRunRepository(db),
        enqueue,
        clock,
        wake,
        keyed_housekeeping=handlers.close_cards,
    )
