"""Shared set-up for the follow-up flow tests (no tests here): the chat with the follow-up flow and its use cases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.card_limits import card_problems
from bot.conversation import Conversation, Flow
from bot.flows.followup import FollowUpFlow
from bot.flows.followup_jobs import FollowUps
from bot.flows.followup_model import REMINDER_KIND, Reminder
from bot.flows.followup_view import FollowUpCards
from bot.flows.plan_view import PlanViewFlow
from bot.messages import Reply
from bot.organisation import Member, Role
from bot.plan import ActionStatus, DevelopmentPlan, PlanAction
from storage.comment_answers import CommentAnswerRepository
from storage.escalation_repository import EscalationRepository
from storage.models import MemberRow
from storage.org_repository import OrganisationRepository
from storage.plan_repository import PlanRepository
from storage.pulse_repository import PulseRepository
from storage.reminder_repository import ReminderRepository
from storage.success_repository import SuccessRepository
from tests.bot.flows.conftest import Clock, Demo
from tests.bot.flows.fake_chat import FakeChat, Posted

DISCUSSED_FI = "Käsitelty tiimipalaverissa"
REMIND_FI = "Muistuta myöhemmin"
WHEN = "followup_when"


@dataclass
class FollowUpWorld:
    """The demo organisation with the follow-up flow wired in, and the scheduler's use cases beside it."""

    demo: Demo
    clock: Clock
    chat: FakeChat
    jobs: FollowUps
    plans: PlanRepository
    reminders: ReminderRepository
    directory: OrganisationRepository

    def plan(self, team: str) -> DevelopmentPlan:
        plan = self.plans.current(self.demo.team(team).id)
        assert plan is not None
        return plan

    def action(self, team: str, text: str) -> PlanAction:
        """The action of a team's current plan whose text starts with `text`."""
        return next(a for t in self.plan(team).targets for a in t.actions if a.text.startswith(text))

    def status(self, team: str, text: str) -> ActionStatus:
        return self.action(team, text).status

    def card(self, member: Member, command: str = "seuranta") -> Posted:
        """The member types the command and gets the follow-up card."""
        posted = self.chat.say(member, command)
        assert len(posted) == 1 and posted[0].message.card is not None, posted[0].text if posted else "nothing"
        return posted[0]

    def pending(self, member: Member) -> list[Reminder]:
        return self.reminders.pending(member.id, REMINDER_KIND)

    def deliver(self, reply: Reply) -> list[Posted]:
        posted = self.chat.deliver(reply)
        assert_cards_fit(posted)
        return posted

    def speak(self, member: Member, language: str) -> None:
        self.directory.set_member_language(member.id, language)


def assert_cards_fit(posted: list[Posted]) -> None:
    for entry in posted:
        if entry.message.card is not None:
            assert card_problems(entry.card) == []


def set_role(world: FollowUpWorld, member: Member, role: Role) -> None:
    """Someone's role changes (a supervisor moves on, an officer is appointed), as an import would do it."""
    with world.demo.db.transaction() as session:
        row = session.get(MemberRow, member.id)
        assert row is not None
        row.role = role.value


def question_of(action: PlanAction) -> str:
    return f"action-{action.id}"


def followup_world(demo: Demo, clock: Clock) -> FollowUpWorld:
    directory = OrganisationRepository(demo.db)
    plans = PlanRepository(demo.db)
    reminders = ReminderRepository(demo.db)
    cards = FollowUpCards(
        directory, SuccessRepository(demo.db), PulseRepository(demo.db), CommentAnswerRepository(demo.db)
    )
    flows: list[Flow] = [FollowUpFlow(plans, cards, reminders, clock), PlanViewFlow(directory, plans, clock)]
    chat = FakeChat(Conversation(directory, clock, flows))
    jobs = FollowUps(directory, plans, cards, reminders, EscalationRepository(demo.db))
    return FollowUpWorld(demo, clock, chat, jobs, plans, reminders, directory)


KOTIHOITO_DUE = date(2026, 12, 21)  # the demo's last follow-up was 9 weeks before 23.11.2026
