"""Shared set-up for the pulse flow tests (no tests here): the chat with the pulse flow, and answering helpers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.card_limits import card_problems
from bot.conversation import Conversation
from bot.flows.plan_view import PlanViewFlow
from bot.flows.pulse import PulseFlow
from bot.flows.pulse_rounds import PulseRounds
from bot.i18n import translate
from bot.messages import Select
from bot.organisation import Member, Team
from bot.person import person_for
from bot.pulse import PulseRound
from storage.org_repository import OrganisationRepository
from storage.plan_repository import PlanRepository
from storage.pulse_repository import PulseRepository
from tests.bot.flows.conftest import Clock, Demo
from tests.bot.flows.fake_chat import FakeChat, Posted

TEAMS = ("perusturva", "kotihoito", "ruokapalvelu")


@dataclass
class PulseWorld:
    """The demo organisation with the pulse flow wired in, and the scheduler's use cases beside it."""

    demo: Demo
    clock: Clock
    chat: FakeChat
    rounds: PulseRounds
    repo: PulseRepository

    def open(self, teams: tuple[str, ...] = TEAMS, days: float = 7) -> PulseRound:
        """Open a round now, as the scheduler would, and deliver every card."""
        org = OrganisationRepository(self.demo.db).get()
        assert org is not None
        chosen = [self.demo.team(key) for key in teams]
        pulse_round, reply = self.rounds.open_round(org, chosen, self.clock.now + timedelta(days=days), self.clock.now)
        assert_cards_fit(self.chat.deliver(reply))
        return pulse_round

    def language(self, member: Member) -> str:
        return person_for(member, self.demo.org).language

    def label(self, member: Member, value: int) -> str:
        """The label of an answer value in the member's language (0: can't say)."""
        return translate(self.language(member), "likert.cant_say" if value == 0 else f"likert.{value}")

    def send_label(self, member: Member) -> str:
        return translate(self.language(member), "pulse.send_button")

    def pick(self, member: Member, value: int, question: int, *, on: Posted | None = None) -> None:
        """Pick an answer to question `question` (1-based) on the member's latest card: nothing reaches the bot."""
        self.chat.pick(member, self.label(member, value), question=f"q{question}", on=on)

    def answer(self, member: Member, values: list[int], comment: str = "") -> list[Posted]:
        """Pick every answer, then Send: one tap per question and one more, and only Send reaches the bot."""
        card = self.chat.last_card(member)
        for number, value in enumerate(values, start=1):
            self.pick(member, value, number, on=card)
        posted = self.chat.tap(member, self.send_label(member), on=card, form={"comment": comment})
        assert_cards_fit(posted)
        return posted

    def tally(self, round_id: int, team: Team) -> tuple[int, dict[tuple[str, int], int]]:
        """(respondents, counts) of a team in a round, once the round's close has mixed every answer in."""
        self.repo.settle(round_id)
        found = next(t for t in self.repo.tallies(round_id).tallies if t.team_id == team.id)
        return found.respondents, dict(found.counts)


def assert_cards_fit(posted: list[Posted]) -> None:
    for entry in posted:
        if entry.message.card is not None:
            assert card_problems(entry.message.card) == [], entry.text


def questions_on(posted: Posted) -> list[Select]:
    """The card's questions: radio buttons whose picks stay on the device until Send."""
    return [block for block in posted.card.blocks if isinstance(block, Select) and block.expanded]


def pulse_world(demo: Demo, clock: Clock) -> PulseWorld:
    directory = OrganisationRepository(demo.db)
    repo = PulseRepository(demo.db)
    plans = PlanRepository(demo.db)
    conversation = Conversation(directory, clock, [PulseFlow(repo, clock), PlanViewFlow(directory, plans, clock)])
    return PulseWorld(demo, clock, FakeChat(conversation), PulseRounds(directory, repo, plans), repo)
