"""Workshop days: sessions placed over the day with breaks, lunch around midday, and a new
day when the day is full (content/schedule.py), as the agendas print them."""

from __future__ import annotations

from taller.content.model import Location, Module, Session
from taller.content.schedule import schedule
from taller.views.base import clock

HERE = Location("test")


def _sessions(*minutes: int) -> list[tuple[Module, Session]]:
    module = Module("m", 1, [], [], [], HERE)
    sessions = [Session(f"s{n}", length, 5, 20, [], [], [], [], HERE) for n, length in enumerate(minutes, start=1)]
    module.sessions = sessions
    return [(module, s) for s in sessions]


def _agenda(days) -> list[list[str]]:
    return [[f"{clock(s.start)}-{clock(s.end)} {s.session.id if s.session else s.what}" for s in day.slots] for day in days]


def test_breaks_between_sessions_and_lunch_after_a_morning_session():
    days = schedule(_sessions(90, 90, 60), 9 * 60)
    assert _agenda(days) == [["09:00-10:30 s1", "10:30-10:45 break", "10:45-12:15 s2", "12:15-13:15 lunch",
                              "13:15-14:15 s3"]]


def test_lunch_comes_before_a_session_that_would_run_past_two():
    # After the break, at 12:05, a 150-minute session would end past 14:00: lunch goes first,
    # in the place of the break.
    days = schedule(_sessions(170, 150), 9 * 60)
    assert _agenda(days) == [["09:00-11:50 s1", "11:50-12:50 lunch", "12:50-15:20 s2"]]


def test_a_full_day_continues_the_next_day_without_a_trailing_break():
    # A day runs nine hours from the start: s4 would end at 18:30, so day 2 begins with it.
    days = schedule(_sessions(120, 120, 120, 120, 90), 9 * 60)
    assert _agenda(days) == [
        ["09:00-11:00 s1", "11:00-11:15 break", "11:15-13:15 s2", "13:15-14:15 lunch", "14:15-16:15 s3"],
        ["09:00-11:00 s4", "11:00-11:15 break", "11:15-12:45 s5"],  # no lunch after the last session either
    ]


def test_the_start_time_moves_every_slot():
    assert _agenda(schedule(_sessions(50), 8 * 60 + 30)) == [["08:30-09:20 s1"]]
