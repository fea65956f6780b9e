"""Days of sessions, with breaks and lunch: a track's agenda, and a module guide's plan.

One rule for both, so a guide never plans a day the agendas would not."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..messages import _
from .model import Curriculum, Module, Session, Track
from .suggest import hint

DEFAULT_START = "09:00"  # when neither the track, the curriculum nor the command line sets one
BREAK = 15           # minutes between two sessions
LUNCH = 60
# Lunch comes three to five hours after the start (noon to two for a 09:00 start): counted
# from the start, so a group that starts in the evening gets its meal in the same place of
# its day, and no stretch of sessions without one runs much past five hours.
LUNCH_EARLIEST = 3 * 60
LUNCH_LATEST = 5 * 60   # a session that would run past this goes after lunch
DAY_LENGTH = 9 * 60     # from the start time to the end of the day


@dataclass
class Slot:
    """One line of an agenda: a session, a break or lunch."""

    start: int
    end: int
    what: str  # "session", "break" or "lunch"
    module: Module | None = None
    session: Session | None = None


@dataclass
class Day:
    number: int
    slots: list[Slot] = field(default_factory=list)


def track_sessions(cur: Curriculum, track: Track) -> list[tuple[Module, Session]]:
    """The sessions a track teaches, in order."""
    if track.sessions:
        picked = []
        for ref, _ in track.sessions:
            module_id, _, session_id = ref.partition("/")
            module = cur.module(module_id)
            picked.append((module, next(s for s in module.sessions if s.id == session_id)))
        return picked
    return [(cur.module(m), s) for m, _ in track.modules for s in cur.module(m).sessions]


def module_sessions(module: Module) -> list[tuple[Module, Session]]:
    """A module's sessions, in order: what its guide plans."""
    return [(module, session) for session in module.sessions]


def schedule(sessions: list[tuple[Module, Session]], start: int) -> list[Day]:
    """Place sessions over days, from `start` (minutes after midnight) each day: a break
    between two sessions; lunch once a day, after the first session that ends three hours
    or more after the start, or before a session that would start after that and run past
    five hours; a new day when a session would end more than nine hours after the start.
    A day never ends on a break or lunch."""
    days = [Day(1)]
    clock, lunched = start, False
    earliest, latest = start + LUNCH_EARLIEST, start + LUNCH_LATEST
    for module, session in sessions:
        day = days[-1]
        if day.slots and clock + session.minutes > start + DAY_LENGTH:
            day = Day(len(days) + 1)
            days.append(day)
            clock, lunched = start, False
        if day.slots and day.slots[-1].what == "session":
            day.slots.append(Slot(clock, clock + BREAK, "break"))
            clock += BREAK
        # A session that starts in the lunch window and would run past it goes after lunch,
        # which takes the place of the break (checked after the break: it may be what
        # brings the clock into the window).
        if not lunched and clock >= earliest and clock + session.minutes > latest:
            if day.slots and day.slots[-1].what == "break":
                clock = day.slots.pop().start
            day.slots.append(Slot(clock, clock + LUNCH, "lunch"))
            clock, lunched = clock + LUNCH, True
        day.slots.append(Slot(clock, clock + session.minutes, "session", module, session))
        clock += session.minutes
        if not lunched and clock >= earliest:
            day.slots.append(Slot(clock, clock + LUNCH, "lunch"))
            clock, lunched = clock + LUNCH, True
    for day in days:  # a day never ends on a break or lunch
        while day.slots and day.slots[-1].what != "session":
            day.slots.pop()
    return days


def start_minutes(hhmm: str) -> int:
    """`HH:MM` as minutes after midnight."""
    hours, mins = hhmm.split(":")
    return int(hours) * 60 + int(mins)


def check_tracks(cur: Curriculum, diags) -> None:
    """Session and material references of tracks resolve, and the agenda fits the declared days."""
    known = {m.id: {s.id for s in m.sessions} for m in cur.modules}
    materials = {m.id for m in cur.materials}
    broken = False
    for track in cur.tracks:
        for material, loc in track.materials:
            if material not in materials:
                diags.error(loc, _("track '{track}': unknown material '{material}' (see materials/materials.yaml)").format(
                    track=track.id, material=material) + hint(material, materials))
        listed = {m for m, _ in track.modules}
        for ref, loc in track.sessions:
            module_id, _slash, session_id = ref.partition("/")
            if module_id not in listed:
                diags.error(loc, _("track '{track}': session '{session}' is not in one of the track's modules").format(
                    track=track.id, session=ref))
                broken = True
            elif session_id not in known.get(module_id, set()):
                diags.error(loc, _("track '{track}': unknown session '{session}' (write module/session)").format(
                    track=track.id, session=ref) + hint(ref, {f"{module_id}/{s}" for s in known.get(module_id, ())}))
                broken = True
    if broken or any(m not in known for t in cur.tracks for m, _ in t.modules):
        return
    for track in cur.tracks:
        # The days do not depend on the start: lunch and the day's end are counted from it.
        needed = len(schedule(track_sessions(cur, track), start_minutes(track.start or cur.start or DEFAULT_START)))
        if needed != track.days:
            diags.warning(track.loc, _("track '{track}' declares {days} days but its sessions need {needed}").format(
                track=track.id, days=track.days, needed=needed))
