"""One person's terminal conversation: lines typed become events, the bot's replies become screens."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import count

from adapters.console.render import Field, Screen, render_card, render_message, with_picks
from bot.conversation import Conversation
from bot.events import ActionSubmitted, CommandText, Sender
from bot.i18n import translate
from bot.messages import Address, Reply, SentRef
from bot.organisation import Member, Platform, Team
from bot.person import team_channel

LOCAL = (Platform.CONSOLE, Platform.WEB)


@dataclass
class ConsoleSession:
    """Plays one member: typed text is a message to the bot, a number taps a button, `a: text` fills input a."""

    conversation: Conversation
    member: Member
    team: Team | None
    language: str
    screens: dict[str, Screen] = field(default_factory=dict)  # message id -> how it was drawn
    form: dict[str, str] = field(default_factory=dict)
    current: Screen | None = None  # the newest card with something to tap
    _ids: count[int] = field(default_factory=count)

    @property
    def sender(self) -> Sender:
        return Sender(Platform.CONSOLE, str(self.member.id))

    def handle_line(self, line: str) -> list[str]:
        """The terminal output for one typed line."""
        line = line.strip()
        if not line:
            return []
        if line.isdigit() and self.current is not None:
            return self._tap(int(line))
        if len(line) > 1 and line[0].isalpha() and line[1] in ":=" and self._field(line[0]) is not None:
            return self._fill(line[0], line[2:].strip())
        return self.show(self.conversation.handle(CommandText(self.sender, line)))

    def show(self, reply: Reply) -> list[str]:
        """Draw the messages meant for this person or their team's channel; count the ones sent to others."""
        out: list[str] = []
        others = 0
        for message in reply.messages:
            if not self._is_mine(message.to):
                others += 1
                continue
            message_id = message.replaces.message_id if message.replaces else f"c{next(self._ids)}"
            source = SentRef(Platform.CONSOLE, self._where(message.to), message_id)
            screen = render_message(message, source)
            self.screens[message_id] = screen
            if screen.controls or screen.fields:
                self.current, self.form = screen, {}
            prefix = f"#{self.team.name} " if message.to.is_channel and self.team else ""
            marker = translate(self.language, "console.updated") + " " if message.replaces else ""
            out.append(prefix + marker + screen.text)
        if others:
            out.append(translate(self.language, "console.others", count=others))
        return out

    def _tap(self, number: int) -> list[str]:
        assert self.current is not None
        control = next((c for c in self.current.controls if c.number == number), None)
        if control is None:
            return [translate(self.language, "console.pick_number", max=len(self.current.controls))]
        if control.input_id:
            return self._pick(control.input_id, control.value)
        event = ActionSubmitted(self.sender, control.action, control.value, self.current.source, dict(self.form))
        return self.show(self.conversation.handle(event))

    def _pick(self, input_id: str, value: str) -> list[str]:
        """A radio button picked: kept here until a button is tapped, and the card drawn again with it marked."""
        assert self.current is not None and self.current.card is not None
        self.form[input_id] = value
        picked = render_card(with_picks(self.current.card, self.form), self.current.source)
        self.current = picked
        return [picked.text]

    def _field(self, letter: str) -> Field | None:
        if self.current is None:
            return None
        return next((f for f in self.current.fields if f.letter == letter.lower()), None)

    def _fill(self, letter: str, text: str) -> list[str]:
        target = self._field(letter)
        assert target is not None
        if target.choices:  # a select takes the numbers of its choices: "1,3"
            numbers = [int(n) for n in text.replace(" ", "").split(",") if n.isdigit()]
            picked = [target.choices[n - 1][1] for n in numbers if 0 < n <= len(target.choices)]
            text = ",".join(picked if target.multiple else picked[:1])
        self.form[target.input_id] = text
        return [f"({target.letter}) ✔ {text}"]

    def _is_mine(self, address: Address) -> bool:
        if address.is_channel:
            return self.team is not None and address.channel_id == self._team_channel_id()
        return address.platform in LOCAL and address.user_id == str(self.member.id)

    def _team_channel_id(self) -> str:
        assert self.team is not None
        return team_channel(self.team, Platform.WEB).channel_id

    def _where(self, address: Address) -> str:
        return address.channel_id or f"dm-{address.user_id}"
