"""Time phrases with their expected moments: the shared when-dev.tsv and when-planning-dev.tsv, and our own table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from tests.paths import SHARED_DATA

DEV_TSV = SHARED_DATA / "when-dev.tsv"
PLANNING_TSV = SHARED_DATA / "when-planning-dev.tsv"  # the planning phrases: months, weeks, seasons
DEV_NOW = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/Helsinki"))  # stated in both files' headers


@dataclass(frozen=True)
class Case:
    """One phrase read at one moment; `expected` is ISO 8601 with its UTC offset, or None for "not a time"."""

    language: str
    now: datetime
    text: str
    expected: str | None

    @property
    def label(self) -> str:
        return f"{self.language}:{self.text}@{self.now:%Y-%m-%dT%H:%M%z}"


def dev_cases(path: Path = DEV_TSV) -> list[Case]:
    """The rows of when-dev.tsv or when-planning-dev.tsv (all read at their fixed now); empty when it is not there."""
    if not path.exists():
        return []
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        language, text, expected = line.split("\t")
        moment = None if expected == "NONE" else datetime.fromisoformat(expected).replace(tzinfo=DEV_NOW.tzinfo)
        cases.append(Case(language, DEV_NOW, text, None if moment is None else moment.isoformat(timespec="minutes")))
    return cases


# language, zone, now (local), text, expected (local with offset, or NONE). Expectations were worked out
# from the calendar by hand, not by running the parser: 2026-11-23 is a Monday, 2026-12-31 a Thursday,
# 2027-01-31 a Sunday; Helsinki moves to summer time on 2026-03-29 at 03:00 (the hour 03:00-03:59 does
# not exist) and back on 2026-10-25 at 04:00 (03:00-03:59 happens twice). The planning phrases follow the rules of
# when-planning-dev.tsv; ISO 2026 has a week 53 (Monday 28.12.), 2027 does not; 2028 is a leap year.
_TABLE = """
fi	Europe/Helsinki	2026-11-23T10:00	keskiviikkona	2026-11-25T09:00+02:00
fi	Europe/Helsinki	2026-11-23T10:00	sunnuntaina klo 18	2026-11-29T18:00+02:00
fi	Europe/Helsinki	2026-11-23T10:00	maanantaina	2026-11-30T09:00+02:00
fi	Europe/Helsinki	2026-11-23T10:00	ensi torstaina kello 13.15	2026-11-26T13:15+02:00
fi	Europe/Helsinki	2026-11-23T10:00	lauantaina	2026-11-28T09:00+02:00
fi	Europe/Helsinki	2026-11-23T10:00	kolmen päivän päästä	2026-11-26T09:00+02:00
fi	Europe/Helsinki	2026-11-23T10:00	puolen vuoden päästä	2027-05-23T09:00+03:00
fi	Europe/Helsinki	2026-11-23T10:00	kuukauden päästä	2026-12-23T09:00+02:00
fi	Europe/Helsinki	2026-11-23T10:00	vuoden päästä	2027-11-23T09:00+02:00
fi	Europe/Helsinki	2026-11-23T10:00	puolen tunnin päästä	2026-11-23T10:30+02:00
fi	Europe/Helsinki	2026-11-23T10:00	tunnin päästä	2026-11-23T11:00+02:00
fi	Europe/Helsinki	2026-11-23T10:00	yhdeksän päivän kuluttua	2026-12-02T09:00+02:00
fi	Europe/Helsinki	2026-11-23T10:00	24.12. klo 18	2026-12-24T18:00+02:00
fi	Europe/Helsinki	2026-11-23T10:00	tammikuun 6. päivänä	2027-01-06T09:00+02:00
fi	Europe/Helsinki	2026-11-23T10:00	6. tammikuuta klo 10	2027-01-06T10:00+02:00
fi	Europe/Helsinki	2026-11-23T10:00	kesäkuun 1. päivä	2027-06-01T09:00+03:00
fi	Europe/Helsinki	2026-11-23T10:00	1.3.2027 klo 8	2027-03-01T08:00+02:00
fi	Europe/Helsinki	2026-11-23T10:00	klo 9	2026-11-24T09:00+02:00
fi	Europe/Helsinki	2026-11-23T10:00	kello 10.30	2026-11-23T10:30+02:00
fi	Europe/Helsinki	2026-11-23T10:00	ylihuomenna	2026-11-25T09:00+02:00
fi	Europe/Helsinki	2026-11-23T10:00	tänään klo 16	2026-11-23T16:00+02:00
fi	Europe/Helsinki	2026-11-23T10:00	ensi viikon perjantaina	2026-12-04T09:00+02:00
fi	Europe/Helsinki	2026-11-23T10:00	29.2.	2028-02-29T09:00+02:00
fi	Europe/Helsinki	2026-11-23T10:00	huomenna klo 3 iltapäivällä	2026-11-24T15:00+02:00
fi	Europe/Helsinki	2026-11-23T10:00	23.11. klo 15	2026-11-23T15:00+02:00
fi	Europe/Helsinki	2026-11-23T10:00	23.11.	2027-11-23T09:00+02:00
fi	Europe/Helsinki	2026-11-23T10:00	ke klo 8	2026-11-25T08:00+02:00
fi	Europe/Helsinki	2026-11-23T10:00	kahdentoista tunnin päästä	2026-11-23T22:00+02:00
sv	Europe/Helsinki	2026-11-23T10:00	på måndag	2026-11-30T09:00+02:00
sv	Europe/Helsinki	2026-11-23T10:00	nästa söndag kl 12	2026-11-29T12:00+02:00
sv	Europe/Helsinki	2026-11-23T10:00	onsdag kl. 8.30	2026-11-25T08:30+02:00
sv	Europe/Helsinki	2026-11-23T10:00	om en vecka	2026-11-30T09:00+02:00
sv	Europe/Helsinki	2026-11-23T10:00	om en månad	2026-12-23T09:00+02:00
sv	Europe/Helsinki	2026-11-23T10:00	om fem dagar	2026-11-28T09:00+02:00
sv	Europe/Helsinki	2026-11-23T10:00	om en halvtimme	2026-11-23T10:30+02:00
sv	Europe/Helsinki	2026-11-23T10:00	om tre timmar	2026-11-23T13:00+02:00
sv	Europe/Helsinki	2026-11-23T10:00	i övermorgon kl 7	2026-11-25T07:00+02:00
sv	Europe/Helsinki	2026-11-23T10:00	den 6 januari	2027-01-06T09:00+02:00
sv	Europe/Helsinki	2026-11-23T10:00	1 mars 2027 kl 12	2027-03-01T12:00+02:00
sv	Europe/Helsinki	2026-11-23T10:00	klockan 17	2026-11-23T17:00+02:00
sv	Europe/Helsinki	2026-11-23T10:00	om ett halvår	2027-05-23T09:00+03:00
sv	Europe/Helsinki	2026-11-23T10:00	lördag	2026-11-28T09:00+02:00
en	Europe/Helsinki	2026-11-23T10:00	on Thursday at 4pm	2026-11-26T16:00+02:00
en	Europe/Helsinki	2026-11-23T10:00	next Monday	2026-11-30T09:00+02:00
en	Europe/Helsinki	2026-11-23T10:00	in a week	2026-11-30T09:00+02:00
en	Europe/Helsinki	2026-11-23T10:00	in an hour	2026-11-23T11:00+02:00
en	Europe/Helsinki	2026-11-23T10:00	in three days	2026-11-26T09:00+02:00
en	Europe/Helsinki	2026-11-23T10:00	in twelve hours	2026-11-23T22:00+02:00
en	Europe/Helsinki	2026-11-23T10:00	December 24th at 6pm	2026-12-24T18:00+02:00
en	Europe/Helsinki	2026-11-23T10:00	the day after tomorrow	2026-11-25T09:00+02:00
en	Europe/Helsinki	2026-11-23T10:00	at 9:30am	2026-11-24T09:30+02:00
en	Europe/Helsinki	2026-11-23T10:00	today at noon	2026-11-23T12:00+02:00
en	Europe/Helsinki	2026-11-23T10:00	tomorrow morning	2026-11-24T09:00+02:00
en	Europe/Helsinki	2026-11-23T10:00	in half a year	2027-05-23T09:00+03:00
fi	Europe/Helsinki	2026-11-27T21:30	perjantaina	2026-12-04T09:00+02:00
fi	Europe/Helsinki	2026-11-27T21:30	huomenna	2026-11-28T09:00+02:00
fi	Europe/Helsinki	2026-11-27T21:30	klo 21	2026-11-28T21:00+02:00
fi	Europe/Helsinki	2026-11-27T21:30	klo 22	2026-11-27T22:00+02:00
fi	Europe/Helsinki	2026-11-27T21:30	maanantaina	2026-11-30T09:00+02:00
sv	Europe/Helsinki	2026-11-27T21:30	på måndag kl 9	2026-11-30T09:00+02:00
en	Europe/Helsinki	2026-11-27T21:30	next week	2026-12-04T09:00+02:00
en	Europe/Helsinki	2026-11-27T21:30	in 45 minutes	2026-11-27T22:15+02:00
fi	Europe/Helsinki	2026-11-29T12:00	sunnuntaina	2026-12-06T09:00+02:00
fi	Europe/Helsinki	2026-11-29T12:00	ensi viikon maanantaina	2026-11-30T09:00+02:00
fi	Europe/Helsinki	2026-11-29T12:00	viikon päästä	2026-12-06T09:00+02:00
sv	Europe/Helsinki	2026-11-29T12:00	tisdag nästa vecka	2026-12-01T09:00+02:00
en	Europe/Helsinki	2026-11-29T12:00	monday	2026-11-30T09:00+02:00
fi	Europe/Helsinki	2026-11-24T23:50	huomenna	2026-11-25T09:00+02:00
fi	Europe/Helsinki	2026-11-24T23:50	20 minuutin päästä	2026-11-25T00:10+02:00
en	Europe/Helsinki	2026-11-24T23:50	at 11pm	2026-11-25T23:00+02:00
sv	Europe/Helsinki	2026-11-24T23:50	kl 23.55	2026-11-24T23:55+02:00
fi	Europe/Helsinki	2027-01-31T08:00	kuukauden päästä	2027-02-28T09:00+02:00
en	Europe/Helsinki	2027-01-31T08:00	in 1 month	2027-02-28T09:00+02:00
sv	Europe/Helsinki	2027-01-31T08:00	i morgon	2027-02-01T09:00+02:00
fi	Europe/Helsinki	2027-01-31T08:00	klo 8.30	2027-01-31T08:30+02:00
fi	Europe/Helsinki	2026-08-31T10:00	3 kuukauden päästä	2026-11-30T09:00+02:00
fi	Europe/Helsinki	2026-12-31T22:00	huomenna klo 12	2027-01-01T12:00+02:00
fi	Europe/Helsinki	2026-12-31T22:00	1.1.	2027-01-01T09:00+02:00
fi	Europe/Helsinki	2026-12-31T22:00	31.12.	2027-12-31T09:00+02:00
en	Europe/Helsinki	2026-12-31T22:00	friday	2027-01-01T09:00+02:00
sv	Europe/Helsinki	2026-12-31T22:00	om två veckor	2027-01-14T09:00+02:00
en	Europe/Helsinki	2026-12-31T22:00	in 3 hours	2027-01-01T01:00+02:00
fi	Europe/Helsinki	2026-12-31T22:00	tammikuun 2. päivä	2027-01-02T09:00+02:00
fi	Europe/Helsinki	2026-03-28T20:00	huomenna	2026-03-29T09:00+03:00
fi	Europe/Helsinki	2026-03-28T20:00	huomenna klo 3.30	2026-03-29T04:30+03:00
fi	Europe/Helsinki	2026-03-28T20:00	12 tunnin päästä	2026-03-29T09:00+03:00
en	Europe/Helsinki	2026-03-28T20:00	in 24 hours	2026-03-29T21:00+03:00
sv	Europe/Helsinki	2026-03-28T20:00	om en dag	2026-03-29T09:00+03:00
fi	Europe/Helsinki	2026-10-24T22:00	huomenna	2026-10-25T09:00+02:00
fi	Europe/Helsinki	2026-10-24T22:00	6 tunnin päästä	2026-10-25T03:00+02:00
en	Europe/Helsinki	2026-10-24T22:00	in 5 hours	2026-10-25T03:00+03:00
sv	Europe/Helsinki	2026-10-24T22:00	kl 3.30 i morgon	2026-10-25T03:30+03:00
sv	Europe/Stockholm	2026-11-23T10:00	i morgon kl 14	2026-11-24T14:00+01:00
en	UTC	2026-11-23T10:00	tomorrow at 2pm	2026-11-24T14:00+00:00
fi	Europe/Helsinki	2026-11-23T10:00	maaliskuun puolivälissä	2027-03-15T09:00+02:00
fi	Europe/Helsinki	2026-11-23T10:00	marraskuussa	2027-11-01T09:00+02:00
fi	Europe/Helsinki	2026-11-23T10:00	marraskuun loppuun mennessä	2026-11-30T09:00+02:00
fi	Europe/Helsinki	2026-11-23T10:00	tämän kuun lopussa	2026-11-30T09:00+02:00
fi	Europe/Helsinki	2026-11-23T10:00	ensi vuoden alussa	2027-01-01T09:00+02:00
fi	Europe/Helsinki	2026-11-23T10:00	vuoden loppuun mennessä	2026-12-31T09:00+02:00
fi	Europe/Helsinki	2026-11-23T10:00	syksyllä	2026-11-30T09:00+02:00
fi	Europe/Helsinki	2026-11-23T10:00	talvella	2027-02-28T09:00+02:00
fi	Europe/Helsinki	2026-11-23T10:00	ensi keväänä	2027-05-31T09:00+03:00
fi	Europe/Helsinki	2026-11-23T10:00	kevään alussa	2027-03-01T09:00+02:00
fi	Europe/Helsinki	2026-11-23T10:00	syksyn alussa	2027-09-01T09:00+03:00
fi	Europe/Helsinki	2026-11-23T10:00	kevät 2028	2028-05-31T09:00+03:00
fi	Europe/Helsinki	2026-11-23T10:00	vko 12/2027	2027-03-22T09:00+02:00
fi	Europe/Helsinki	2026-11-23T10:00	tiistaina viikolla 12	2027-03-23T09:00+02:00
fi	Europe/Helsinki	2026-11-23T10:00	viikolla 53	2026-12-28T09:00+02:00
fi	Europe/Helsinki	2026-11-23T10:00	kesäkuun lopussa klo 15	2027-06-30T15:00+03:00
fi	Europe/Helsinki	2026-11-23T10:00	yhdeksältä	2026-11-24T09:00+02:00
fi	Europe/Helsinki	2026-11-23T10:00	kello kolmelta iltapäivällä	2026-11-23T15:00+02:00
fi	Europe/Helsinki	2026-11-23T10:00	helmikuussa 2026	2026-02-01T09:00+02:00
sv	Europe/Helsinki	2026-11-23T10:00	i mitten av mars	2027-03-15T09:00+02:00
sv	Europe/Helsinki	2026-11-23T10:00	under mars	2027-03-31T09:00+03:00
sv	Europe/Helsinki	2026-11-23T10:00	i slutet av månaden	2026-11-30T09:00+02:00
sv	Europe/Helsinki	2026-11-23T10:00	i början av nästa år	2027-01-01T09:00+02:00
sv	Europe/Helsinki	2026-11-23T10:00	i höst	2026-11-30T09:00+02:00
sv	Europe/Helsinki	2026-11-23T10:00	i vinter	2027-02-28T09:00+02:00
sv	Europe/Helsinki	2026-11-23T10:00	v. 12	2027-03-22T09:00+02:00
sv	Europe/Helsinki	2026-11-23T10:00	klockan åtta i morgon	2026-11-24T08:00+02:00
sv	Europe/Helsinki	2026-11-23T10:00	i slutet av våren 2027	2027-05-31T09:00+03:00
en	Europe/Helsinki	2026-11-23T10:00	mid-March	2027-03-15T09:00+02:00
en	Europe/Helsinki	2026-11-23T10:00	late March	2027-03-31T09:00+03:00
en	Europe/Helsinki	2026-11-23T10:00	by the end of the year	2026-12-31T09:00+02:00
en	Europe/Helsinki	2026-11-23T10:00	early next year	2027-01-01T09:00+02:00
en	Europe/Helsinki	2026-11-23T10:00	in the fall	2026-11-30T09:00+02:00
en	Europe/Helsinki	2026-11-23T10:00	next summer	2027-08-31T09:00+03:00
en	Europe/Helsinki	2026-11-23T10:00	week 12 of 2028	2028-03-20T09:00+02:00
en	Europe/Helsinki	2026-11-23T10:00	at eight tomorrow	2026-11-24T08:00+02:00
en	Europe/Helsinki	2026-11-23T10:00	March 2027	2027-03-01T09:00+02:00
en	Europe/Helsinki	2026-11-23T10:00	end of February 2028	2028-02-29T09:00+02:00
fi	Europe/Helsinki	2026-12-20T12:00	ensi kuun lopussa	2027-01-31T09:00+02:00
en	Europe/Helsinki	2026-12-20T12:00	end of this month	2026-12-31T09:00+02:00
fi	Europe/Helsinki	2026-12-20T12:00	talvella	2027-02-28T09:00+02:00
fi	Europe/Helsinki	2026-12-20T12:00	viikolla 1	2027-01-04T09:00+02:00
fi	Europe/Helsinki	2026-12-20T12:00	joulukuussa	2027-12-01T09:00+02:00
fi	Europe/Helsinki	2027-04-10T10:00	keväällä	2027-05-31T09:00+03:00
sv	Europe/Helsinki	2027-04-10T10:00	i början av april	2028-04-01T09:00+03:00
en	Europe/Helsinki	2027-04-10T10:00	by the end of April	2027-04-30T09:00+03:00
fi	Europe/Helsinki	2027-05-31T08:00	kevään aikana	2027-05-31T09:00+03:00
fi	Europe/Helsinki	2027-05-31T10:00	kevään aikana	2028-05-31T09:00+03:00
fi	Europe/Helsinki	2026-11-23T10:00	huomenna perjantaina	NONE
fi	Europe/Helsinki	2026-11-23T10:00	viikolla 53 2027	NONE
fi	Europe/Helsinki	2026-11-23T10:00	maaliskuun lopussa huomenna	NONE
fi	Europe/Helsinki	2026-11-23T10:00	kevään aikana perjantaina	NONE
fi	Europe/Helsinki	2026-11-23T10:00	kevään puolivälissä	NONE
sv	Europe/Helsinki	2026-11-23T10:00	vår	NONE
en	Europe/Helsinki	2026-11-23T10:00	the end of March tomorrow	NONE
en	Europe/Helsinki	2026-11-23T10:00	week 0	NONE
fi	Europe/Helsinki	2026-11-23T10:00	31.2.	NONE
fi	Europe/Helsinki	2026-11-23T10:00	klo 24	NONE
fi	Europe/Helsinki	2026-11-23T10:00	viikon päästä perjantaina	NONE
sv	Europe/Helsinki	2026-11-23T10:00	i måndags	NONE
en	Europe/Helsinki	2026-11-23T10:00	in 2 hours at 5pm	NONE
en	Europe/Helsinki	2026-11-23T10:00	tomorrow tomorrow	NONE
"""


def own_cases() -> list[Case]:
    """Our own table: other phrases, other moments (Friday night, Sunday, month ends, New Year, DST)."""
    cases = []
    for line in _TABLE.strip().splitlines():
        language, zone, now, text, expected = line.split("\t")
        moment = datetime.fromisoformat(now).replace(tzinfo=ZoneInfo(zone))
        cases.append(Case(language, moment, text, None if expected == "NONE" else expected))
    return cases
