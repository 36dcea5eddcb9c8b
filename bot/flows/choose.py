"""Me – us – all of us (mie – met – met yhessä): a team chooses its strengths and development targets together.

The supervisor starts it with `valitaan` / `välj` / `choose`. Me: each member privately picks up to three strengths
and three targets. Us: the bot pairs those who picked at random and shows each pair their picks to talk over.
All of us: the tally, with no names, goes to the team's channel and the supervisor confirms into the plan as many
as it has room for. Nobody but one's own pair ever sees who picked what.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import timedelta

from bot.anonymity import DEFAULT_THRESHOLD
from bot.calendar import default_calendar
from bot.commands import Command, ParsedCommand
from bot.conversation import Clock, say
from bot.errors import DomainError
from bot.events import ActionSubmitted, CommandText
from bot.flows.choose_cards import chosen_card, confirm_card, control_card, me_card, pair_card, tally_card
from bot.flows.choose_confirm import confirm_choices, confirmed_keys
from bot.flows.choose_figures import FigureReader, TeamFigures
from bot.flows.choose_live import TOPIC_PREFIX, LiveMessages, session_topic
from bot.flows.choose_merge import near_duplicates, parse_merge
from bot.flows.choose_model import ChooseSession, Pick, PickKind, Stage, draft_picks, read_picks
from bot.flows.choose_pairing import pair_up
from bot.flows.choose_ports import CalendarReader, ChooseStore, PlanStore
from bot.flows.choose_tally import tally
from bot.flows.choose_year import plan_year
from bot.flows.plan_view import plan_card
from bot.i18n import translate
from bot.language import resolve_language
from bot.messages import Card, OutboundMessage, Reply, SentRef
from bot.organisation import Member, Role, Team, team_time
from bot.person import Directory, Person, person_for, team_channel
from bot.plan import DevelopmentPlan

SESSION_DAYS = 14  # a session left open closes by itself, so a forgotten one never blocks the team's next


Handler = Callable[[Person, Team, ChooseSession, ActionSubmitted], Reply]


class ChooseFlow:
    """Runs a team's me – us – all of us session from the first command to the confirmed plan."""

    commands = frozenset({Command.CHOOSE})
    action_prefix = "choose."
    live_prefix = TOPIC_PREFIX  # the leader's card: its count of senders is redrawn as picks arrive

    def __init__(
        self,
        directory: Directory,
        sessions: ChooseStore,
        plans: PlanStore,
        clock: Clock,
        rng: random.Random | None = None,
        *,
        calendars: CalendarReader | None = None,
        figures: FigureReader | None = None,
        live: LiveMessages | None = None,
    ) -> None:
        self.directory = directory
        self.sessions = sessions
        self.plans = plans
        self.clock = clock
        self.calendars = calendars  # None: the default calendar's plan step decides the year
        self.figures = figures  # None: the cards list the dimensions without figures
        self.live = live  # None: the leader's count is brought up to date only when they ask
        self.rng = rng or random.Random()  # tests pass a seeded one to pin the pairs
        self._handlers: dict[str, Handler] = {
            "choose.send": self._send,
            "choose.pair": self._pair,
            "choose.tally": self._tally,
            "choose.confirm": self._confirm,
            "choose.merge": self._merge,
            "choose.cancel": self._cancel,
        }

    # --- Commands -----------------------------------------------------------------------------------------

    def on_command(self, person: Person, command: ParsedCommand, event: CommandText) -> Reply:
        """Start a session, or show where the open one stands; staff get their own card back, or a kind word."""
        if not person.is_supervisor:
            return self._staff_command(person)
        team = self._team_to_lead(person, command.args)
        session = self.sessions.open_for_team(team.id, self.clock())
        if session is not None:
            note = translate(person.language, "choose.already_open", team=team.name)
            return self._status(person, team, session, note)
        return self._start(person, team)

    def _start(self, person: Person, team: Team) -> Reply:
        members = self.directory.members(team.id)
        if not members:
            raise DomainError("choose.empty_team", team=team.name)
        now = self.clock()
        session = self.sessions.start(team.id, person.member.id, now, now + timedelta(days=SESSION_DAYS))
        note = translate(person.language, "choose.control.started", count=len(members))
        reply = self._status(person, team, session, note)
        threshold, figures = self._threshold(), self._team_figures(person, team)
        for member in members:
            language = self._language(person, member)
            card = me_card(session, team, language, saved=False, threshold=threshold, figures=figures)
            reply += self._to(person, member, card)
        return reply

    def _staff_command(self, person: Person) -> Reply:
        # A member who lost their card asks for it again with the same word the supervisor used.
        team = person.team
        session = self.sessions.open_for_team(team.id, self.clock()) if team is not None else None
        if team is None or session is None or session.stage is not Stage.ME:
            return say(person, "choose.staff_only")
        picks = self.sessions.picks(session.id, [person.member.id])
        card = self._me_card(person, team, session, picks, saved=bool(picks))
        return Reply((OutboundMessage(to=person.address, card=card),))

    def _team_to_lead(self, person: Person, args: str) -> Team:
        """The team named after the command, else the person's own; a supervisor leads only their own teams."""
        team = person.organisation.team_by_key(args) if args.strip() else person.team
        if team is None:
            raise DomainError("choose.unknown_team", team=args.strip()) if args.strip() else DomainError("team.none")
        _require_leader(person, team)
        return team

    # --- Card actions -------------------------------------------------------------------------------------

    def on_action(self, person: Person, event: ActionSubmitted) -> Reply:
        """Route a card's button to its step; stale and forged payloads are refused before anything is written."""
        handler = self._handlers.get(event.action)
        if handler is None:
            return say(person, "action.unknown")
        session = self._open_session(event.value.split(":", 1)[0])  # a merge's value goes on after the session
        team = next((t for t in person.organisation.teams if t.id == session.team_id), None)
        if team is None:
            raise DomainError("choose.unknown_session")
        return handler(person, team, session, event)

    def _send(self, person: Person, team: Team, session: ChooseSession, event: ActionSubmitted) -> Reply:
        """Me: a member's picks, replacing any they sent before, until the pairs are drawn."""
        if team.id not in person.member.team_ids:
            raise DomainError("choose.not_in_team", team=team.name)
        if session.stage is not Stage.ME:
            raise DomainError("choose.picks_closed")
        try:
            picks = read_picks(person.member.id, event.form)
        except DomainError as error:
            # The card comes back with what they picked and wrote and why it was refused: nothing to do again.
            draft = draft_picks(person.member.id, event.form)
            card = self._me_card(person, team, session, draft, saved=False, note=error.message(person.language))
            return Reply((OutboundMessage(to=person.address, card=card, replaces=event.source),))
        if not self.sessions.replace_picks(session.id, person.member.id, picks):
            raise DomainError("choose.picks_closed")
        card = self._me_card(person, team, session, picks, saved=True)
        return Reply((OutboundMessage(to=person.address, card=card, replaces=event.source),)) + self._count_redrawn(
            person, team, session
        )

    def _pair(self, person: Person, team: Team, session: ChooseSession, event: ActionSubmitted) -> Reply:
        """Us: random pairs (a trio when odd) of those who picked; each pair gets their picks to talk over."""
        _require_leader(person, team)
        _require_stage(session, Stage.ME)
        picks = self.sessions.picks(session.id)
        pairs = pair_up((pick.member_id for pick in picks), self.rng)
        if not self.sessions.save_pairs(session.id, pairs):
            raise DomainError("choose.stage_passed")
        session = replace(session, stage=Stage.US)
        note = translate(person.language, "choose.control.paired", pairs=len(pairs))
        reply = self._status(person, team, session, note, replaces=event)
        everyone = {member.id: member for member in self.directory.members()}
        names = {member_id: member.name for member_id, member in everyone.items()}
        for pair in pairs:
            pair_picks = [pick for pick in picks if pick.member_id in pair]
            for member_id in pair:
                member = everyone[member_id]
                card = pair_card(team, pair, names, pair_picks, self._language(person, member))
                reply += self._to(person, member, card)
        return reply

    def _tally(self, person: Person, team: Team, session: ChooseSession, event: ActionSubmitted) -> Reply:
        """All of us: the tally to the team's channel and to the supervisor, who confirms from it."""
        _require_leader(person, team)
        _require_stage(session, Stage.US)
        if not self.sessions.advance(session.id, Stage.US, Stage.ALL):
            raise DomainError("choose.stage_passed")
        session = replace(session, stage=Stage.ALL)
        picks = self.sessions.picks(session.id)
        people = len({pick.member_id for pick in picks})
        channel_language = self._team_language(person, team)
        card = tally_card(team, tally(picks), people, self._threshold(), channel_language)
        post = OutboundMessage(to=team_channel(team), card=card)
        note = translate(person.language, "choose.tally_posted")
        return Reply((post,)) + self._status(person, team, session, note, replaces=event)

    def _confirm(self, person: Person, team: Team, session: ChooseSession, event: ActionSubmitted) -> Reply:
        """All of us, agreed: up to 3 + 3 of the tally into the plan; the session is done."""
        _require_leader(person, team)
        _require_stage(session, Stage.ALL)
        self._require_shown_tally(session)
        year = self._year(team)
        team_language = self._team_language(person, team)
        try:
            confirmation = confirm_choices(
                tally(self.sessions.picks(session.id)),
                event.form,
                self._plan_of_year(team, year),
                team_id=team.id,
                year=year,
                language=team_language,
            )
        except DomainError as error:
            # The card comes back with the supervisor's picks and why they were refused, so none is lost.
            selected = {kind: confirmed_keys(event.form, kind) for kind in PickKind}
            note = error.message(person.language)
            return self._status(person, team, session, note, replaces=event, selected=selected)
        if not self.sessions.advance(session.id, Stage.ALL, Stage.DONE):
            raise DomainError("choose.stage_passed")
        plan = self.plans.save(confirmation.plan)
        names = {member.id: member.name for member in self.directory.members()}
        done = chosen_card(team, confirmation.chosen, person.language)
        channel = chosen_card(team, confirmation.chosen, team_language)
        return Reply(
            (
                OutboundMessage(to=person.address, card=done, replaces=event.source),
                OutboundMessage(
                    to=person.address, card=plan_card(plan, team, names, person.language, self.clock().date())
                ),
                OutboundMessage(to=team_channel(team), card=channel),
            )
        )

    def _merge(self, person: Person, team: Team, session: ChooseSession, event: ActionSubmitted) -> Reply:
        """Two look-alike items become one in the tally; the confirmation is drawn again, the picks made kept."""
        _require_leader(person, team)
        _require_stage(session, Stage.ALL)
        self._require_shown_tally(session)
        kind, source_key, into_key = parse_merge(event.value)
        before = {item.key: item for item in tally(self.sessions.picks(session.id)) if item.kind is kind}
        if source_key not in before or into_key not in before:
            raise DomainError("choose.merge_gone")
        if not self.sessions.merge_picks(session.id, kind, source_key, into_key):
            raise DomainError("choose.merge_gone")
        merged = next(i for i in tally(self.sessions.picks(session.id)) if i.kind is kind and i.key == into_key)
        selected = {
            k: [into_key if k is kind and key == source_key else key for key in confirmed_keys(event.form, k)]
            for k in PickKind
        }
        note = translate(
            person.language, "choose.merged", source=before[source_key].text, into=merged.text, count=merged.count
        )
        return self._status(person, team, session, note, replaces=event, selected=selected)

    def _require_shown_tally(self, session: ChooseSession) -> None:
        people, threshold = len({pick.member_id for pick in self.sessions.picks(session.id)}), self._threshold()
        if people < threshold:  # a forged step on a tally nobody was shown
            raise DomainError("choose.tally.too_few", count=people, threshold=threshold)

    def _cancel(self, person: Person, team: Team, session: ChooseSession, event: ActionSubmitted) -> Reply:
        """The supervisor ends the session without choosing; the team can start a new one."""
        _require_leader(person, team)
        if not self.sessions.advance(session.id, session.stage, Stage.DONE):
            raise DomainError("choose.stage_passed")
        return say(person, "choose.cancelled", team=team.name)

    # --- The leader's live card ---------------------------------------------------------------------------

    def on_delivered(self, message: OutboundMessage, ref: SentRef) -> None:
        """The leader's card landed at `ref`: the count of senders is redrawn there from now on."""
        if self.live is not None:
            self.live.remember(message.topic, message.member_id, ref, self.clock())

    def _count_redrawn(self, person: Person, team: Team, session: ChooseSession) -> Reply:
        """The leader's newest card with the count brought up to date (it goes through the outbox, coalesced)."""
        found = self.live.where(session_topic(session.id)) if self.live is not None else None
        leader = self.directory.member(found[0]) if found is not None and found[0] is not None else None
        if found is None or leader is None:
            return Reply()
        ref = found[1]
        lead = person_for(leader, person.organisation, ref.platform, workspace=ref.workspace)
        card = self._control_card(lead.language, team, session, note="")
        message = OutboundMessage(
            to=lead.address, card=card, replaces=ref, member_id=leader.id, topic=session_topic(session.id)
        )
        return Reply((message,))

    # --- Helpers ------------------------------------------------------------------------------------------

    def _status(
        self,
        person: Person,
        team: Team,
        session: ChooseSession,
        note: str,
        replaces: ActionSubmitted | None = None,
        selected: Mapping[PickKind, Sequence[str]] | None = None,
    ) -> Reply:
        """The supervisor's card for the session's stage: the next step's button, or the confirmation."""
        if session.stage is Stage.ALL:
            picks = self.sessions.picks(session.id)
            items = tally(picks)
            year = self._year(team)
            plan = self._plan_of_year(team, year)
            people, threshold = len({pick.member_id for pick in picks}), self._threshold()
            hidden = (
                translate(person.language, "choose.tally.too_few", count=people, threshold=threshold)
                if people < threshold
                else ""
            )
            card = confirm_card(
                session,
                team,
                items,
                plan,
                year,
                person.language,
                note=note,
                hidden=hidden,
                selected=selected,
                merges=near_duplicates(items),
            )
        else:
            card = self._control_card(person.language, team, session, note)
        source = replaces.source if replaces is not None else None
        # Under the live topic even when redrawn: the newest version of the card then always lands last.
        topic = session_topic(session.id)
        return Reply((OutboundMessage(person.address, card, replaces=source, member_id=person.member.id, topic=topic),))

    def _control_card(self, language: str, team: Team, session: ChooseSession, note: str) -> Card:
        return control_card(
            session,
            team,
            language,
            note=note,
            sent=len({pick.member_id for pick in self.sessions.picks(session.id)}),
            members=len(self.directory.members(team.id)),
            pairs=len(self.sessions.pairs(session.id)),
            closes_on=team_time(session.closes_at, team).date(),
        )

    def _open_session(self, value: str) -> ChooseSession:
        session = self.sessions.get(int(value)) if value.strip().isdigit() else None
        if session is None:
            raise DomainError("choose.unknown_session")
        if not session.is_open(self.clock()):
            raise DomainError("choose.closed")
        return session

    def _to(self, person: Person, member: Member, card: Card) -> Reply:
        """A card to a member: to the acting person where they are, to others where they can be reached."""
        address = person.address if member.id == person.member.id else person_for(member, person.organisation).address
        return Reply((OutboundMessage(to=address, card=card, member_id=member.id),))

    def _language(self, person: Person, member: Member) -> str:
        return person.language if member.id == person.member.id else person_for(member, person.organisation).language

    def _threshold(self) -> int:
        """The organisation's anonymity threshold: the tally is shown only when at least this many sent picks."""
        organisation = self.directory.get()
        return organisation.anonymity_threshold if organisation is not None else DEFAULT_THRESHOLD

    def _me_card(
        self, person: Person, team: Team, session: ChooseSession, picks: Sequence[Pick], *, saved: bool, note: str = ""
    ) -> Card:
        """The acting person's own card, with the team's figures."""
        figures = self._team_figures(person, team)
        return me_card(
            session, team, person.language, picks, saved=saved, threshold=self._threshold(), note=note, figures=figures
        )

    def _team_figures(self, person: Person, team: Team) -> TeamFigures | None:
        """What the "me" cards show beside the dimensions: the survey's figures, else the pulse's, else none."""
        return None if self.figures is None else self.figures.for_team(person.organisation, team, self.clock())

    def _team_language(self, person: Person, team: Team) -> str:
        return resolve_language(team=team, organisation=person.organisation)

    def _plan_of_year(self, team: Team, year: int) -> DevelopmentPlan | None:
        """The team's plan for the year, where the choices go; None when the year has none yet."""
        plan = self.plans.current(team.id)
        return plan if plan is not None and plan.year == year else None

    def _year(self, team: Team) -> int:
        """The year of the plan this choosing feeds: next year's once this year's plan step is behind."""
        organisation = self.directory.get()
        if self.calendars is None or organisation is None:
            calendar = default_calendar()
        else:
            calendar = self.calendars.get(organisation.id)
        return plan_year(calendar, team, team_time(self.clock(), team).date())


def _require_leader(person: Person, team: Team) -> None:
    """Only the team's supervisor, or a wellbeing officer for any team, leads a session."""
    if person.member.role is Role.WELLBEING_OFFICER:
        return
    if person.member.role is not Role.SUPERVISOR:
        raise DomainError("choose.leaders_only")
    if team.id not in person.member.team_ids:
        raise DomainError("choose.not_your_team", team=team.name)


def _require_stage(session: ChooseSession, stage: Stage) -> None:
    if session.stage is not stage:
        raise DomainError("choose.stage_passed")
