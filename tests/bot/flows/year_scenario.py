"""A whole year for one team, as its supervisor and staff live it, told through any chat (no tests here).

The scenario speaks to a `ChatDriver`: people say things, press a card's button with what they filled in, and
read what the chat shows them. Each platform's tests give it their own driver (the in-memory chat read as the
terminal draws it, the web chat over HTTP, Slack and Teams through their SDKs against our fakes), so the same year
is walked, and the same things are seen, on every chat.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from adapters.files.survey_file import read_survey_bytes
from adapters.server.jobs_wiring import JobHandlers
from bot.flows.followup_model import NOTE_FIELD
from bot.flows.plan_edit_forms import ACTION_DUE, ACTION_OWNER, ACTION_TEXT, TARGET_GOAL, TARGET_TITLE
from bot.messages import Reply
from bot.organisation import Member
from bot.plan import DevelopmentPlan
from bot.survey_import import check_survey
from scheduler.planner import JobKind
from storage.evaluation_repository import EvaluationRepository
from storage.org_repository import OrganisationRepository
from storage.plan_repository import PlanRepository
from storage.survey_repository import SurveyRepository
from tests.bot.flows.conftest import Clock, Demo

# The vendor's file for 2027, as a wellbeing officer saves it from a spreadsheet: Finnish headers, semicolons,
# decimal commas. Kotihoito is under the risk limit on PL and weakest on PR, LE and OC.
SURVEY_2027 = (
    "Yksikkö;Vastaajia;Kutsuttuja;QWL-indeksi;FE;YI;PL;Esimiestoiminta;Osaaminen;Johtaminen;Prosessit;Toimintakulttuuri\n"
    "Esimerkkilän kunta;21;25;71,5 %;78 %;74 %;69 %;72 %;80 %;65 %;61 %;70 %\n"
    "Perusturva;3;4;68,0 %;75 %;70 %;66 %;70 %;78 %;60 %;58 %;69 %\n"
    "Kotihoito;12;14;73,2 %;81 %;77 %;66 %;74 %;82 %;67 %;63 %;72 %\n"
    "Ruokapalvelu;6;7;70,1 %;76 %;72 %;68 %;71 %;79 %;66 %;60 %;68 %\n"
)

# The default calendar's year 2027 (bot/calendar.py), at 10:00 in Helsinki.
REVIEW_DAY = datetime(2027, 2, 12, 8, tzinfo=UTC)
CHOOSING_DAY = datetime(2027, 2, 19, 8, tzinfo=UTC)
AGENDA_DAY = datetime(2027, 2, 26, 8, tzinfo=UTC)  # a week before the workshop of 5.3.2027
PLAN_DAY = datetime(2027, 3, 12, 8, tzinfo=UTC)
FOLLOW_UP_DAY = datetime(2027, 6, 7, 7, tzinfo=UTC)
EVALUATION_DAY = datetime(2027, 12, 3, 8, tzinfo=UTC)

# What the team's channel shows of the choosing, in the team's language (the organisation's, Finnish).
TEAM_CHANNEL = (
    "Met yhessä – Kotihoito-tiimin valinnat",
    "• Päämäärät ja luovuus – 5",
    "• Prosessit – 5",
    "Kotihoito-tiimi valitsi yhdessä",
    "Kehittämiskohteet: Päämäärät ja luovuus",
)
CHOOSERS = ("Anna", "Juha", "Liisa", "Elina", "Timo")  # five of Kotihoito's staff: the anonymity threshold


class ChatDriver(Protocol):
    """One chat platform as the scenario uses it: what people do, and what they see."""

    async def say(self, member: Member, text: str) -> None:
        """The member writes to the bot in their direct chat."""

    async def press(
        self, member: Member, action: str, fields: Mapping[str, str] | None = None, *, value: str = ""
    ) -> None:
        """The member presses the button with this action (and a value ending so) on the newest card that has it.

        The card's inputs go with the press as they stand on the screen, changed by `fields`.
        """

    async def deliver(self, reply: Reply) -> None:
        """The scheduler's messages reach people as this platform delivers them."""

    async def seen(self, member: Member) -> str:
        """What the member's chat shows now, newest message last, as plain text."""

    async def channel(self, member: Member) -> str:
        """Everything the team's channel shows, as this member of the team reads it, as plain text."""


@dataclass(frozen=True)
class Seen:
    """What people type and read at each step, in one language."""

    language_command: str
    choose: str
    update: str
    follow_up: str
    plan: str
    evaluate: str
    review: tuple[str, ...]
    me_card: tuple[str, ...]
    chosen: tuple[str, ...]
    agenda: tuple[str, ...]
    target: str  # the target in the team's words, and its goal apart from it
    goal: str
    action: str
    plan_view: tuple[str, ...]
    note: str  # what the follow-up meeting decided
    history: str
    evaluation_form: str
    saved: str
    draft: tuple[str, ...]
    kept: str


SEEN = {
    "fi": Seen(
        language_command="kieli fi",
        choose="valitaan",
        update="päivitä",
        follow_up="seuranta",
        plan="suunnitelma",
        evaluate="arviointi",
        review=(
            "Kysely 2027: Kotihoito ja koko organisaatio rinnakkain.",
            "Vastausprosentti: 86 % (12/14)",
            "QWL-indeksi: 73,2 % · koko organisaatio 71,5 %",
            "FE Fyysinen ja emotionaalinen turvallisuus: 81,0 % (riskiraja 80 %)",
            "PL Päämäärät ja luovuus: ⚠ 66,0 %, alle riskirajan 70 %",
            "Vahvin osa-alue: Osaaminen (CO) 82,0 %.",
            "Heikoin osa-alue: Prosessit (PR) 63,0 %.",
            "3. Mitä kehitämme?",
        ),
        me_card=(
            "Tiimin tulokset, työhyvinvointikysely 2027",
            "Riskirajan alla: Päämäärät ja luovuus 66 % (riskiraja 70 %).",
            "Heikoimmat: Prosessit 63 %, Johtaminen 67 %, Toimintakulttuuri 72 %.",
            "Kehittämiskohteissa ovat ensin riskirajan alittavat ja heikoimmat osa-alueet, vahvuuksissa vahvimmat.",
        ),
        chosen=("Kotihoito-tiimi valitsi yhdessä", "Kehittämiskohteet: Päämäärät ja luovuus"),
        agenda=(
            "Kehittämistyöpajan esityslista: Kotihoito",
            "Kehittämistyöpaja on 5.3.2027.",
            "Työhyvinvointikysely 2027: vastasi 12/14 (86 %). QWL-indeksi 73,2 (koko organisaatio 71,5).",
            "• Päämäärät ja luovuus: 66,0 % (organisaatio 69,0 %) ⚠ alle riskirajan 70,0 %",
            "Kehittämiskohteet: Päämäärät ja luovuus (5) · Prosessit (5)",
            "• 1 × 20 min: kiertävät pisteet, yksi kutakin kehittämiskohdetta varten",
            "• 30 min: yhteinen keskustelu",
            "Keskustelun avaajia pisteille:",
        ),
        target="Yhteiset tavoitteet",
        goal="Jokainen tietää, mihin tiimi pyrkii tänä vuonna.",
        action="Tavoitteet kahvihuoneen seinälle",
        plan_view=(
            "Kehittämissuunnitelma 2027: Kotihoito",
            "1. Yhteiset tavoitteet\nTavoite: Jokainen tietää, mihin tiimi pyrkii tänä vuonna.",
            "Tavoitteet kahvihuoneen seinälle · vastuu: Anna Korhonen · aikataulu: 30.4.2027",
        ),
        note="Sovittiin kuukausikatsauksesta.",
        history="• 7.6.2027: Sovittiin kuukausikatsauksesta.",
        evaluation_form="Vuoden arviointi: Kotihoito (2027)",
        saved="Arviointi tallennettu: Kotihoito (2027)",
        draft=(
            "Suunnitelmaluonnos 2028: Kotihoito",
            "Kesken jäänyt toimenpide: Tavoitteet kahvihuoneen seinälle",
        ),
        kept="✓ Mukana: Tavoitteet kahvihuoneen seinälle",
    ),
    "sv": Seen(
        language_command="språk sv",
        choose="välj",
        update="uppdatera",
        follow_up="uppföljning",
        plan="planen",
        evaluate="utvärdering",
        review=(
            "Enkäten 2027: Kotihoito bredvid hela organisationen.",
            "Svarsprocent: 86 % (12/14)",
            "QWL-index: 73,2 % · hela organisationen 71,5 %",
            "FE Fysisk och emotionell trygghet: 81,0 % (riskgräns 80 %)",
            "PL Mål och kreativitet: ⚠ 66,0 %, under riskgränsen 70 %",
            "Starkaste delområdet: Kunnande (CO) 82,0 %.",
            "Svagaste delområdet: Processer (PR) 63,0 %.",
            "3. Vad utvecklar vi?",
        ),
        me_card=(
            "Teamets resultat, arbetshälsoenkäten 2027",
            "Under riskgränsen: Mål och kreativitet 66 % (riskgräns 70 %).",
            "Svagast: Processer 63 %, Ledarskap 67 %, Verksamhetskultur 72 %.",
            "Bland utvecklingsområdena står de delområden som ligger under riskgränsen och de svagaste först,",
        ),
        chosen=("Teamet Kotihoito har valt tillsammans", "Utvecklingsområden: Mål och kreativitet"),
        agenda=(
            "Utvecklingsverkstadens program: Kotihoito",
            "Utvecklingsverkstaden hålls 5.3.2027.",
            "Arbetshälsoenkäten 2027: 12/14 svarade (86 %). QWL-index 73,2 (hela organisationen 71,5).",
            "• Mål och kreativitet: 66,0 % (organisationen 69,0 %) ⚠ under riskgränsen 70,0 %",
            "Utvecklingsområden: Mål och kreativitet (5) · Processer (5)",
            "• 1 × 20 min: roterande stationer, en för varje utvecklingsområde",
            "• 30 min: gemensam diskussion",
            "Samtalsöppnare för stationerna:",
        ),
        target="Gemensamma mål",
        goal="Alla vet vad teamet strävar efter i år.",
        action="Målen upp på väggen i kafferummet",
        plan_view=(
            "Utvecklingsplan 2027: Kotihoito",
            "1. Gemensamma mål\nMål: Alla vet vad teamet strävar efter i år.",
            "Målen upp på väggen i kafferummet · ansvarig: Anna Korhonen · tidtabell: 30.4.2027",
        ),
        note="Vi kom överens om en månadsgenomgång.",
        history="• 7.6.2027: Vi kom överens om en månadsgenomgång.",
        evaluation_form="Årets utvärdering: Kotihoito (2027)",
        saved="Utvärderingen sparad: Kotihoito (2027)",
        draft=(
            "Utkast till plan 2028: Kotihoito",
            "Åtgärd som inte blev klar: Målen upp på väggen i kafferummet",
        ),
        kept="✓ Med: Målen upp på väggen i kafferummet",
    ),
    "en": Seen(
        language_command="language en",
        choose="choose",
        update="update",
        follow_up="followup",
        plan="plan",
        evaluate="evaluation",
        review=(
            "Survey 2027: Kotihoito beside the whole organisation.",
            "Response rate: 86% (12/14)",
            "QWL index: 73.2% · whole organisation 71.5%",
            "FE Physical and emotional safety: 81.0% (risk limit 80%)",
            "PL Goals and creativity: ⚠ 66.0%, below the risk limit of 70%",
            "Strongest dimension: Competence (CO) 82.0%.",
            "Weakest dimension: Processes (PR) 63.0%.",
            "3. What do we develop?",
        ),
        me_card=(
            "The team's results, wellbeing survey 2027",
            "Below the risk limit: Goals and creativity 66% (risk limit 70%).",
            "Weakest: Processes 63%, Leadership 67%, Operating culture 72%.",
            "Development targets list the dimensions below a risk limit and the weakest first;",
        ),
        chosen=("Kotihoito chose together", "Development targets: Goals and creativity"),
        agenda=(
            "Development workshop agenda: Kotihoito",
            "The development workshop is on 5 Mar 2027.",
            "Wellbeing survey 2027: 12/14 answered (86%). QWL index 73.2 (whole organisation 71.5).",
            "• Goals and creativity: 66.0% (organisation 69.0%) ⚠ below the risk limit of 70.0%",
            "Development targets: Goals and creativity (5) · Processes (5)",
            "• 1 × 20 min: rotating stations, one for each development target",
            "• 30 min: discussion together",
            "Conversation starters for the stations:",
        ),
        target="Shared goals",
        goal="Everyone knows what the team is aiming for this year.",
        action="Our goals on the break room wall",
        plan_view=(
            "Development plan 2027: Kotihoito",
            "1. Shared goals\nGoal: Everyone knows what the team is aiming for this year.",
            "Our goals on the break room wall · owner: Anna Korhonen · due: 30 Apr 2027",
        ),
        note="We agreed on a monthly review.",
        history="• 7 Jun 2027: We agreed on a monthly review.",
        evaluation_form="Year-end evaluation: Kotihoito (2027)",
        saved="Evaluation saved: Kotihoito (2027)",
        draft=(
            "Draft plan 2028: Kotihoito",
            "Unfinished action: Our goals on the break room wall",
        ),
        kept="✓ Kept: Our goals on the break room wall",
    ),
}


@dataclass
class Year:
    """The team's year, walked step by step on one chat in one language."""

    chat: ChatDriver
    demo: Demo
    clock: Clock
    language: str

    @property
    def seen_in(self) -> Seen:
        return SEEN[self.language]

    async def walk(self) -> None:
        await self.speak()
        self.import_results()
        await self.review()
        await self.choose()
        await self.workshop()
        await self.plan()
        await self.follow_up()
        await self.evaluate()

    async def speak(self) -> None:
        """The supervisor picks the language in the chat; the staff who choose have it set in the org file."""
        directory = OrganisationRepository(self.demo.db)
        for name in CHOOSERS:
            directory.set_member_language(self.demo.person(name).id, self.language)
        self.demo.refresh()
        await self.chat.say(self.supervisor, self.seen_in.language_command)

    @property
    def supervisor(self) -> Member:
        return self.demo.supervisor("kotihoito")

    def import_results(self) -> None:
        """The wellbeing officer brings in the vendor's file, as `tyhy survey import` and the dashboard do."""
        self.clock.now = datetime(2027, 2, 1, 8, tzinfo=UTC)
        organisation = OrganisationRepository(self.demo.db).get()
        assert organisation is not None
        results = check_survey(read_survey_bytes("kysely-2027.csv", SURVEY_2027.encode()), organisation, 2027)
        # The demo ships a 2027 of its own: the officer confirms the replacement, as the import asks.
        SurveyRepository(self.demo.db).save(organisation.id, results, self.clock.now, replace=True)

    async def review(self) -> None:
        """Four weeks after the survey the supervisor gets the team's figures beside the organisation's."""
        self.clock.now = REVIEW_DAY
        team = self.demo.team("kotihoito")
        await self.chat.deliver(JobHandlers(self.demo.db)(JobKind.RESULTS_REVIEW, team.id, False, REVIEW_DAY))
        await self.assert_seen(self.supervisor, self.seen_in.review)

    async def choose(self) -> None:
        """Me – us – all of us: the staff are offered the weak dimensions first, the supervisor confirms."""
        self.clock.now = CHOOSING_DAY
        await self.chat.say(self.supervisor, self.seen_in.choose)
        for name in CHOOSERS:
            person = self.demo.person(name)
            await self.assert_seen(person, self.seen_in.me_card)
            await self.chat.press(person, "choose.send", {"targets": "PL,PR", "strengths": "CO"})
        await self.chat.press(self.supervisor, "choose.pair")
        await self.chat.press(self.supervisor, "choose.tally")
        await self.chat.press(self.supervisor, "choose.confirm", {"confirm_targets": "PL", "confirm_strengths": "CO"})
        await self.assert_seen(self.supervisor, self.seen_in.chosen)
        # The team's channel, in the team's language, shows the tally and what was chosen, and names no one.
        channel = await self.chat.channel(self.demo.person("Kari"))
        for line in TEAM_CHANNEL:
            assert line in channel, f"the team's channel does not show {line!r}:\n{channel}"
        named = [m.name for m in self.demo.staff("kotihoito") if m.name.split()[0] in channel]
        assert named == [], f"the team's channel names {named}:\n{channel}"
        self.current_plan(2027)  # the choosing held before the plan step started this year's plan

    async def workshop(self) -> None:
        """A week before the workshop the supervisor gets its agenda: the results, the tally, the outline."""
        self.clock.now = AGENDA_DAY
        team = self.demo.team("kotihoito")
        await self.chat.deliver(JobHandlers(self.demo.db)(JobKind.WORKSHOP_AGENDA, team.id, False, AGENDA_DAY))
        await self.assert_seen(self.supervisor, self.seen_in.agenda)

    async def plan(self) -> None:
        """The plan step: the target gets the team's own words and a goal apart from them, and an owned action."""
        self.clock.now = PLAN_DAY
        seen_in = self.seen_in
        await self.chat.say(self.supervisor, seen_in.update)
        await self.chat.press(self.supervisor, "plan.edit.target.edit")
        await self.chat.press(
            self.supervisor, "plan.edit.target.save", {TARGET_TITLE: seen_in.target, TARGET_GOAL: seen_in.goal}
        )
        await self.chat.press(self.supervisor, "plan.edit.action.add")
        anna = self.demo.person("Anna")
        action = {ACTION_TEXT: seen_in.action, ACTION_OWNER: str(anna.id), ACTION_DUE: "30.4.2027"}
        await self.chat.press(self.supervisor, "plan.edit.action.save", action)
        await self.chat.press(self.supervisor, "plan.edit.agree")  # the team agreed it: the follow-up clock starts
        await self.chat.say(self.supervisor, seen_in.plan)
        await self.assert_seen(self.supervisor, seen_in.plan_view)
        [target] = self.current_plan(2027).targets
        assert (target.title, target.goal) == (seen_in.target, seen_in.goal)

    async def follow_up(self) -> None:
        """Three months on, the team talks the plan over; what it decided is kept in the plan's history."""
        self.clock.now = FOLLOW_UP_DAY
        await self.chat.say(self.supervisor, self.seen_in.follow_up)
        await self.chat.press(self.supervisor, "followup.discussed", {NOTE_FIELD: self.seen_in.note})
        await self.chat.say(self.supervisor, self.seen_in.plan)
        await self.assert_seen(self.supervisor, (self.seen_in.history,))

    async def evaluate(self) -> None:
        """December: the supervisor answers the evaluation; next year's draft offers what was left unfinished."""
        self.clock.now = EVALUATION_DAY
        await self.chat.say(self.supervisor, self.seen_in.evaluate)
        await self.assert_seen(self.supervisor, (self.seen_in.evaluation_form,))
        plan = self.current_plan(2027)
        answers = {f"eval_outcome_{t.id}": "partly" for t in plan.targets}
        answers |= {f"eval_kept_{s.id}": "yes" for s in plan.strengths}
        await self.chat.press(self.supervisor, "evaluation.save", answers)
        await self.assert_seen(self.supervisor, (self.seen_in.saved, *self.seen_in.draft))
        assert EvaluationRepository(self.demo.db).for_plan(plan.id or 0) is not None
        await self.chat.press(self.supervisor, "evaluation.carry", value=":kept")
        await self.assert_seen(self.supervisor, (self.seen_in.kept,))
        [target] = self.current_plan(2028).targets
        assert [a.text for a in target.actions] == [self.seen_in.action]

    def current_plan(self, year: int) -> DevelopmentPlan:
        plan = PlanRepository(self.demo.db).current(self.demo.team("kotihoito").id)
        assert plan is not None and plan.year == year, plan
        return plan

    async def assert_seen(self, member: Member, lines: tuple[str, ...]) -> None:
        # Each chat indents and spaces a card its own way: the lines are compared without margins and blank lines.
        seen = "\n".join(line.strip() for line in (await self.chat.seen(member)).splitlines() if line.strip())
        for line in lines:
            assert line in seen, f"{member.name} does not see {line!r}:\n{seen}"
