"""The composition root: repositories, flows and the conversation wired together for a database and a clock."""

from __future__ import annotations

import os

from bot.comments import comment_threshold_from_env
from bot.conversation import Clock, Conversation, Flow
from bot.flows.choose import ChooseFlow
from bot.flows.choose_figures import FigureReader
from bot.flows.discuss import DiscussFlow
from bot.flows.evaluation import EvaluationFlow
from bot.flows.followup import FollowUpFlow
from bot.flows.followup_view import FollowUpCards
from bot.flows.needs import NeedsFlow
from bot.flows.plan_edit import PlanEditFlow
from bot.flows.plan_view import PlanViewFlow
from bot.flows.pulse import PulseFlow
from bot.flows.success import SuccessFlow
from bot.flows.workshop_groups import WorkshopGroupsFlow
from bot.follow_up_rhythm import FollowUpRhythm
from storage.calendar_repository import CalendarRepository
from storage.choose_repository import ChooseRepository
from storage.comment_answers import CommentAnswerRepository
from storage.db import Database
from storage.evaluation_repository import EvaluationRepository
from storage.live_message_repository import LiveMessageRepository
from storage.need_repository import NeedRepository
from storage.org_cache import CachedOrganisationRepository
from storage.org_repository import OrganisationRepository
from storage.plan_repository import PlanRepository
from storage.pulse_repository import PulseRepository
from storage.reminder_repository import ReminderRepository
from storage.success_repository import SuccessRepository
from storage.survey_repository import SurveyRepository


def follow_up_cards(db: Database) -> FollowUpCards:
    """What a follow-up card shows, shared by the chat flow and the scheduler."""
    return FollowUpCards(
        OrganisationRepository(db),
        SuccessRepository(db),
        PulseRepository(db),
        CommentAnswerRepository(db),
        comment_threshold_from_env(os.environ),
    )


def build_flows(db: Database, clock: Clock, directory: OrganisationRepository | None = None) -> list[Flow]:
    """Every conversation flow, each given the repositories it needs."""
    directory = directory or OrganisationRepository(db)
    return [
        PlanViewFlow(directory, PlanRepository(db), clock),
        PlanEditFlow(directory, PlanRepository(db), clock),
        PulseFlow(PulseRepository(db), clock),
        ChooseFlow(
            directory,
            ChooseRepository(db),
            PlanRepository(db),
            clock,
            calendars=CalendarRepository(db),
            figures=FigureReader(SurveyRepository(db), PulseRepository(db)),
            live=LiveMessageRepository(db),
        ),
        FollowUpFlow(
            PlanRepository(db), follow_up_cards(db), ReminderRepository(db), clock, FollowUpRhythm.from_env(os.environ)
        ),
        SuccessFlow(directory, SuccessRepository(db), PlanRepository(db), clock),
        DiscussFlow(directory, PlanRepository(db), clock),
        EvaluationFlow(directory, EvaluationRepository(db), PlanRepository(db), SuccessRepository(db), clock),
        WorkshopGroupsFlow(directory, PlanRepository(db), clock),
        NeedsFlow(directory, PlanRepository(db), ChooseRepository(db), NeedRepository(db), clock),
    ]


def build_conversation(db: Database, clock: Clock) -> Conversation:
    """The bot's core for one database; adapters feed it events and send what it replies."""
    # The organisation is read for every event: kept in memory, read afresh after any change to it.
    directory = CachedOrganisationRepository(db)
    return Conversation(directory, clock, build_flows(db, clock, directory))
