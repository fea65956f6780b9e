"""The workshop pack's view of a track: its agenda (days of clock-timed slots) and questions."""

from __future__ import annotations

from ..content.model import Curriculum, Track
from ..content.schedule import schedule, track_sessions
from .base import LanguageView, clock, minutes


def workshop(view: LanguageView, track: Track) -> dict[str, object]:
    """A track's agenda and its evaluation questions, in the view's language, from the
    command line's --start, else the track's or the curriculum's start."""
    cur: Curriculum = view.cur
    sessions = track_sessions(cur, track)
    start = view.start_for(track)
    days = []
    for day in schedule(sessions, minutes(start)):
        slots = []
        for slot in day.slots:
            item = {"start": clock(slot.start), "end": clock(slot.end), "kind": slot.what}
            if slot.session:
                base = f"sessions.{slot.session.id}"
                item["module"] = view.text(slot.module.unit, "title")
                item["number"] = f"{slot.module.number}.{slot.module.sessions.index(slot.session) + 1}"
                item["title"] = view.text(slot.module.unit, f"{base}.title")
            slots.append(item)
        days.append({"number": day.number, "slots": slots})
    # One question per session keeps the questionnaire to a page or two.
    questions = [view.text(m.unit, f"sessions.{s.id}.evaluation")[0] for m, s in sessions]
    return {"id": track.id, "title": view.text("tracks", f"{track.id}.title"),
            "description": view.text("tracks", f"{track.id}.description"), "days": days,
            "questions": questions, "group_max": max((s.group_max for _, s in sessions), default=20),
            "start": start, "materials": [view.material(m) for m, _ in track.materials]}
