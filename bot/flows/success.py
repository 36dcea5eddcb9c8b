"""Success shout-outs (`onnistuminen` / `framgång` / `success`): celebrated in the team's channel, tied to the plan."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from bot.card_limits import MAX_BUTTON_LABEL, shorten
from bot.commands import Command, ParsedCommand, fold
from bot.conversation import Clock, say
from bot.errors import DomainError
from bot.events import ActionSubmitted, CommandText, Sender
from bot.flows.plan_view import PlanReader
from bot.i18n import translate
from bot.language import channel_languages
from bot.messages import Card, Choice, Facts, Heading, OutboundMessage, Question, Reply, Text
from bot.organisation import Member, Team
from bot.person import LOCAL_PLATFORMS, Directory, Person, person_for, team_channel
from bot.plan import DevelopmentPlan
from bot.success import Success

PREFIX = "success."
LINK = PREFIX + "link"  # value "12:target:3", "12:strength:5" or "12:none": the success, and what it is tied to
# A message shared as a success; form: text, channel, and the sharer's optional note; the event names its author.
FROM_MESSAGE = PREFIX + "from_message"
LINK_QUESTION = "success_link"
QUOTE_LIMIT = 300  # the success quoted back on the person's confirmation
SUMMARY_LABEL_LIMIT = 150

# Mentions as platforms put them in the text: Slack "<@U123>" or "<@U123|anna>", Teams "<at>Anna Korhonen</at>".
_SLACK_MENTION = re.compile(r"<@([A-Za-z0-9]+)(?:\|[^>]*)?>")
_TEAMS_MENTION = re.compile(r"<at>([^<]*)</at>", re.IGNORECASE)


class SuccessStore(Protocol):
    """Successes (storage's SuccessRepository fits)."""

    def add(self, success: Success) -> Success: ...

    def get(self, success_id: int) -> Success | None: ...

    def link(self, success_id: int, target_id: int | None = None, strength_id: int | None = None) -> Success: ...


# --- Who was mentioned ------------------------------------------------------------------------------------------


def typed_mentions(text: str, members: Iterable[Member]) -> list[Member]:
    """Members named with "@Firstname Lastname" (or "@Firstname" when only one of them has it), as in the local chat."""
    folded = fold(text)
    candidates = [m for m in members if m.name.split()]
    first_names = Counter(fold(m.name).split()[0] for m in candidates)
    found = []
    for member in candidates:
        full = " ".join(fold(member.name).split())
        first = full.split()[0]
        if _typed(folded, full) or (first_names[first] == 1 and _typed(folded, first)):
            found.append(member)
    return found


def _typed(folded_text: str, folded_name: str) -> bool:
    return re.search("@" + re.escape(folded_name) + r"(?!\w)", folded_text) is not None


def readable_text(text: str, names: dict[str, str]) -> str:
    """The text with platform mention markup turned into "@Name", so it reads the same in every channel and card."""
    text = _SLACK_MENTION.sub(lambda m: "@" + names[m.group(1)] if m.group(1) in names else m.group(0), text)
    return _TEAMS_MENTION.sub(lambda m: "@" + m.group(1).strip(), text)


# --- Cards ------------------------------------------------------------------------------------------------------


def celebration_card(
    success: Success, shared_by: str, mentioned: Sequence[str], languages: Sequence[str], written_by: str = ""
) -> Card:
    """The shout-out as the team sees it in its channel: the success, who wrote it if another, who shared it and who
    was in it; a bilingual channel reads its headings in both languages."""

    def label(key: str) -> str:
        return " / ".join(dict.fromkeys(translate(language, key) for language in languages))

    language = languages[0]
    facts = [(label("success.fact_written_by"), written_by)] if written_by else []
    facts.append((label("success.fact_author"), shared_by))
    if mentioned:
        facts.append((label("success.fact_mentioned"), ", ".join(mentioned)))
    quoted = shorten(success.text, 200)
    if written_by:
        fallback = translate(language, "success.fallback_written", name=shared_by, author=written_by, text=quoted)
    else:
        fallback = translate(language, "success.fallback", name=shared_by, text=quoted)
    return Card(
        kind="success",
        fallback_text=fallback,
        blocks=(Heading(label("success.heading")), Text(success.text), Facts(tuple(facts))),
    )


def link_choices(success_id: int, plan: DevelopmentPlan | None, language: str) -> tuple[Choice, ...]:
    """One choice per target and strength of the plan, and "no link"; nothing to choose without a plan."""
    if plan is None or not (plan.targets or plan.strengths):
        return ()
    choices = [
        Choice(_label(language, "success.link_target", number=n, goal=t.named(language)), f"{success_id}:target:{t.id}")
        for n, t in enumerate(plan.targets, start=1)
        if t.id is not None
    ]
    choices += [
        Choice(_label(language, "success.link_strength", text=s.named(language)), f"{success_id}:strength:{s.id}")
        for s in plan.strengths
        if s.id is not None
    ]
    choices.append(Choice(translate(language, "success.link_none"), f"{success_id}:none"))
    return tuple(choices)


def _label(language: str, key: str, **params: object) -> str:
    return shorten(translate(language, key, **params), MAX_BUTTON_LABEL)


def link_label(success: Success, plan: DevelopmentPlan | None, language: str) -> str | None:
    """What the success is tied to, as its choice reads; None when it is tied to nothing in the plan."""
    for number, target in enumerate(plan.targets if plan else (), start=1):
        if target.id is not None and target.id == success.target_id:
            return _label(language, "success.link_target", number=number, goal=target.named(language))
    for strength in plan.strengths if plan else ():
        if strength.id is not None and strength.id == success.strength_id:
            return _label(language, "success.link_strength", text=strength.named(language))
    return None


def confirmation_card(success: Success, plan: DevelopmentPlan | None, language: str, chosen: str | None = None) -> Card:
    """The person's receipt: shared to the channel, and (with a plan) what it relates to, redrawn after each choice."""
    assert success.id is not None  # successes come from storage
    heading = translate(language, "success.shared")
    blocks: list[Heading | Text | Question] = [Heading(heading), Text(shorten(success.text, QUOTE_LIMIT))]
    choices = link_choices(success.id, plan, language)
    if choices:
        prompt = translate(language, "success.link_prompt")
        blocks.append(Question(LINK_QUESTION, prompt, LINK, choices, selected=chosen))
    if chosen is not None:  # say in words what the tap did, under the redrawn choices
        label = link_label(success, plan, language)
        said = translate(language, "success.linked", label=label) if label else translate(language, "success.unlinked")
        blocks.append(Text(said))
    return Card("success_shared", heading, tuple(blocks))


def thanks_card(success: Success, language: str) -> Card:
    """The receipt of someone who shared another's message: no choices, tying it to the plan is its writer's."""
    thanks = translate(language, "success.shared_message")
    return Card("success_shared", thanks, (Text(thanks), Text(shorten(success.text, QUOTE_LIMIT))))


# --- The evaluation's view --------------------------------------------------------------------------------------


def success_summary(successes: Sequence[Success], plan: DevelopmentPlan | None, language: str) -> str:
    """How many successes each target and strength gathered, and how many were tied to nothing in the plan."""
    if not successes:
        return translate(language, "success.summary_none")
    tied = Counter(_tied_to(s, plan) for s in successes)
    lines = [translate(language, "success.summary_heading", count=len(successes))]
    for number, target in enumerate(plan.targets if plan else (), start=1):
        goal = shorten(target.named(language), SUMMARY_LABEL_LIMIT)
        count = tied[("target", target.id)] if target.id is not None else 0
        lines.append(translate(language, "success.summary_target", number=number, goal=goal, count=count))
    for strength in plan.strengths if plan else ():
        text = shorten(strength.named(language), SUMMARY_LABEL_LIMIT)
        count = tied[("strength", strength.id)] if strength.id is not None else 0
        lines.append(translate(language, "success.summary_strength", text=text, count=count))
    lines.append(translate(language, "success.summary_unlinked", count=tied[None]))
    return "\n".join(lines)


def _tied_to(success: Success, plan: DevelopmentPlan | None) -> tuple[str, int] | None:
    """The target (first) or strength of the plan a success counts for; None for nothing, or for one since removed."""
    if plan is not None:
        if success.target_id is not None and any(t.id == success.target_id for t in plan.targets):
            return ("target", success.target_id)
        if success.strength_id is not None and any(s.id == success.strength_id for s in plan.strengths):
            return ("strength", success.strength_id)
    return None


# --- The flow ---------------------------------------------------------------------------------------------------


def parse_link_value(value: str) -> tuple[int, str, int | None]:
    """The success, the kind of link ("target", "strength" or "none") and the row; malformed is "not found"."""
    parts = value.split(":")
    ok = (len(parts) == 2 and parts[1] == "none") or (len(parts) == 3 and parts[1] in ("target", "strength"))
    if not ok or not all(_is_row_id(p) for p in (parts[0], *parts[2:])):
        raise DomainError("success.not_found")
    return int(parts[0]), parts[1], int(parts[2]) if len(parts) == 3 else None


def _is_row_id(text: str) -> bool:
    return text.isascii() and text.isdigit() and len(text) <= 12


@dataclass(frozen=True)
class _Writer:
    """Who wrote a message someone else shared: a member (the success is then theirs), or only a name (a bot)."""

    name: str
    person: Person | None = None


class SuccessFlow:
    """Anyone in a team shares a success: saved, celebrated in the team's channel, and tied to the plan if they like.

    The celebration is queued for the channel at once and never changed: the bot cannot know the channel post's
    reference, and a shout-out that waited for a second tap could be lost. Tying it to a target afterwards redraws
    the person's own receipt and changes what the follow-up and the evaluation count, not the channel card.
    """

    commands = frozenset({Command.SUCCESS})
    action_prefix = PREFIX

    def __init__(self, directory: Directory, successes: SuccessStore, plans: PlanReader, clock: Clock) -> None:
        self.directory = directory
        self.successes = successes
        self.plans = plans
        self.clock = clock

    def on_command(self, person: Person, command: ParsedCommand, event: CommandText) -> Reply:
        if not command.args.strip():
            return say(person, "success.ask_text")
        return self._share(person, command.args, event.sender, event.mentioned_user_ids)

    def _from_message(self, person: Person, event: ActionSubmitted) -> Reply:
        """A message shared as a success (Slack's message shortcut, Teams' message action): it is its writer's."""
        text = event.form.get("text", "").strip()
        if not text:
            return say(person, "success.message_empty")
        note = event.form.get("note", "").strip()
        if note:  # the sharer's own words first, then the message they shared
            text = f"{note}\n\n{text}"
        # People the shared message itself mentions ("<@U…>" in Slack) are named too, not shown as raw markup.
        mentioned = _SLACK_MENTION.findall(text)
        return self._share(person, text, event.sender, mentioned, self._writer(person, event.author))

    def _writer(self, sharer: Person, author: Sender | None) -> _Writer | None:
        """The shared message's writer; None when the sharer wrote it, or the platform names no one."""
        if author is None:
            return None
        member = self._member(author, author.user_id) if author.user_id else None
        if member is None:
            return _Writer(author.display_name.strip()) if author.display_name.strip() else None
        if member.id == sharer.member.id:
            return None
        writer = person_for(member, sharer.organisation, author.platform, workspace=author.workspace)
        return _Writer(member.name, writer)

    def _share(
        self, person: Person, raw_text: str, sender: Sender, mention_ids: Sequence[str], writer: _Writer | None = None
    ) -> Reply:
        # The success counts as its writer's when they are a member (in their team); else as the sharer's.
        credited = writer.person if writer is not None and writer.person is not None else person
        team = credited.team or person.team
        if team is None:
            return say(person, "team.none")
        by_platform_id = self._platform_mentions(sender, mention_ids)
        text = readable_text(raw_text.strip(), {uid: m.name for uid, m in by_platform_id.items()})
        mentioned = {
            m.id: m for m in (*by_platform_id.values(), *typed_mentions(text, self.directory.members(team.id)))
        }
        for named in (person, credited):  # the sharer and the writer are named as such already
            mentioned.pop(named.member.id, None)
        # Success() refuses an over-long text before anything is written.
        success = Success(team.id, text, self.clock(), credited.member.id, tuple(mentioned))
        saved = self.successes.add(success)
        celebration = self._celebration(person, team, saved, mentioned.values(), writer)
        if credited is person:
            return Reply((celebration, self._receipt(person, saved)))
        # Only a success's author ties it to the plan: the writer hears it was shared and gets the choices.
        thanks = OutboundMessage(person.address, thanks_card(saved, person.language), member_id=person.member.id)
        told = translate(credited.language, "success.shared_yours", name=person.member.name)
        notice = OutboundMessage(credited.address, text=told, member_id=credited.member.id)
        return Reply((celebration, thanks, notice, self._receipt(credited, saved)))

    def on_action(self, person: Person, event: ActionSubmitted) -> Reply:
        if event.action == FROM_MESSAGE:
            return self._from_message(person, event)
        if event.action != LINK:
            return say(person, "action.unknown")
        success_id, kind, row_id = parse_link_value(event.value)
        success = self.successes.get(success_id)
        if success is None:
            raise DomainError("success.not_found")
        if success.author_id != person.member.id:
            raise DomainError("success.not_yours")
        plan = self.plans.current(success.team_id)
        choosable = {
            "target": {t.id for t in plan.targets} if plan else set(),
            "strength": {s.id for s in plan.strengths} if plan else set(),
        }
        if kind in choosable and row_id not in choosable[kind]:
            raise DomainError("success.not_found")  # a choice from last year's plan, or one since removed
        target_id = row_id if kind == "target" else None
        strength_id = row_id if kind == "strength" else None
        if (success.target_id, success.strength_id) != (target_id, strength_id):  # a second tap writes nothing
            success = self.successes.link(success_id, target_id, strength_id)
        card = confirmation_card(success, plan, person.language, chosen=event.value)
        return Reply((OutboundMessage(person.address, card, replaces=event.source, member_id=person.member.id),))

    def _platform_mentions(self, sender: Sender, user_ids: Sequence[str]) -> dict[str, Member]:
        """The members behind the platform's mention ids; the bot itself and strangers are left out."""
        found: dict[str, Member] = {}
        for user_id in dict.fromkeys(user_ids):
            member = self._member(sender, user_id)
            if member is not None:
                found[user_id] = member
        return found

    def _member(self, sender: Sender, user_id: str) -> Member | None:
        if sender.platform in LOCAL_PLATFORMS:  # the local chats' user ids are member ids
            return self.directory.member(int(user_id)) if _is_row_id(user_id) else None
        member = self.directory.member_by_identity(sender.platform, user_id, sender.workspace)
        if member is None and sender.workspace:  # imported ids carry no workspace in single-workspace mode
            member = self.directory.member_by_identity(sender.platform, user_id, "")
        return member

    def _celebration(
        self, person: Person, team: Team, success: Success, mentioned: Iterable[Member], writer: _Writer | None = None
    ) -> OutboundMessage:
        """The card for the team's channel, on the platform the person wrote from when the team has a channel there."""
        platform = person.address.platform
        where = team_channel(team, platform) if team.home_channel(platform) else team_channel(team)
        languages = channel_languages(team, self.directory.members(team.id), person.organisation)
        written_by = writer.name if writer is not None else ""
        card = celebration_card(success, person.member.name, [m.name for m in mentioned], languages, written_by)
        # The post may wait in the outbox (a 429) and the channel may refuse it (the bot is not in it): the sharer,
        # told it will appear shortly, is then told it did not, and how to fix that.
        refused = translate(person.language, "success.channel_refused", team=team.name)
        notice = OutboundMessage(to=person.address, text=refused, member_id=person.member.id)
        return OutboundMessage(to=where, card=card, if_refused=notice)

    def _receipt(self, person: Person, success: Success) -> OutboundMessage:
        card = confirmation_card(success, self.plans.current(success.team_id), person.language)
        return OutboundMessage(to=person.address, card=card, member_id=person.member.id)
