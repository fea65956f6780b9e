"""The audio edition: every handout and the pocket card as voice notes (Ogg Opus), in our
own voices where members recorded them and in espeak-ng's everywhere else, so the edition
is always whole.

Files, under `<lang>/audio/`: `<module>.ogg`, the whole handout, and `<module>-part-01.ogg`,
`-part-02.ogg`, … one a part (a section as printed: views/reading.py); `card.ogg` and
`card-part-01.ogg`, … for the card. Each is its own manifest entry (kind `audio`, `module`
the handout's, null for the card's) with its `duration` in seconds, and goes into the
offline edition's zip of its language.

A member's recording (`content/audio/<lang>/<module>/part-03.m4a`: content/recordings.py)
replaces the synthetic part when `build.py recorded` said which text it was made from and
that text has not changed since; otherwise the build says why, and the synthetic voice
reads that part until it is recorded again. The contacts part is never a recording (see
views/reading.py). A language espeak-ng has no voice for gets only its recorded parts, and
the whole file once every part is recorded; the build says so once (a note for a language
still being translated, as for its texts).

No PDF: the source is the parts to say (render/speech.py's `Speech`), rendered in the
workers and cached like a PDF, in the render cache; the files are unpacked from it here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..content.recordings import AUDIO, CARD, Recording, Standing, read_record, read_recordings, standing
from ..content.texts import CARD_LISTS
from ..diagnostics import Diagnostics, Location
from ..language.catalogs import note
from ..messages import N_, _
from ..render.speech import WHOLE, Speech, SpokenPart, can_encode, ssml, unpack, voice_for
from ..views.editions import apply, effective
from ..views.reading import Part, card_parts, handout_parts
from .base import LANGUAGE, Artifact, File, Kind
from .image import shown  # the same materials: each handout, and the plain card

if TYPE_CHECKING:
    from ..content.load import ContentFolder
    from ..content.model import Curriculum, TextBlock
    from ..incremental.folder import CacheFolder
    from ..render.html import Renderer
    from ..render.weasy import Rendered


def artifacts(cur: Curriculum, lang: str) -> list[Artifact]:
    """The card's audio, then each handout's (with its module, so `watch` remakes it)."""
    return [Artifact(KIND, lang, name=CARD), *(Artifact(KIND, lang, module=m.id, name=m.id) for m in cur.modules)]


def parts(renderer: Renderer, lang: str, module: str | None) -> list[Part]:
    """The parts of a handout (or of the card, for None) as read aloud, from the views its
    template prints, with the organisation as this build prints it (its edition)."""
    view = renderer.view(lang)
    renderer.env(lang)  # makes the language's catalog of the materials' words
    gettext = renderer.gettext[lang].gettext
    org = renderer.cur.orgs.get(renderer.options.org)
    org_view = apply(view.org(org), effective(renderer.options.edition, org)) if org else None
    if module is None:
        card = {"title": view.text("card", "title"), **{key: view.text("card", key) for key in CARD_LISTS}}
        return card_parts(card, org_view, gettext)
    return handout_parts(view.module(renderer.cur.module(module)), org_view, gettext)


def folder_name(artifact: Artifact) -> str:
    """The folder of its recordings under `content/audio/<lang>/`: the module's id, or `card`."""
    return artifact.module or CARD


def texts_of(cur: Curriculum, lang: str, part: Part) -> dict[str, TextBlock]:
    """The content texts a part reads, as they are now in `lang` (the source language's
    where the translation has none yet: that is what is printed, and read)."""
    found = {}
    for name in part.texts:
        unit, _colon, key = name.partition(":")
        by_lang = cur.texts.get(unit, {})
        own = by_lang.get(lang)
        textset = own if own is not None and key in own.blocks else by_lang.get(cur.source_language)
        if textset is not None and key in textset.blocks:
            found[name] = textset.blocks[key]
    return found


def recorded(cur: Curriculum, root, display: str, lang: str, name: str, spoken: list[Part],
             diags: Diagnostics) -> dict[int, Recording]:
    """The recordings of one material that replace their synthetic parts, by part number;
    why any other recording is not used goes to `diags` (an error for a file that is not a
    usable recording, a warning for one that does not match its text)."""
    recordings = read_recordings(root, display, lang, name, diags)
    if not recordings:
        return {}
    record = read_record(root, display, lang, name, diags)
    by_number = {part.number: part for part in spoken}
    usable = {}
    for number, recording in sorted(recordings.items()):
        part = by_number.get(number)
        if part is None:
            diags.warning(Location(recording.shown), _("not used: there is no part {number} (the recording script "
                                                       "numbers {count} parts)").format(number=number, count=len(spoken)))
            continue
        if not part.recordable:
            diags.warning(Location(recording.shown), _("not used: part {number} ({heading}) is always read by the "
                                                       "synthetic voice, because the contacts change with the "
                                                       "organisation and the edition").format(
                number=number, heading=part.heading))
            continue
        found, changed = standing(record.get(number), texts_of(cur, lang, part))
        if found is Standing.STALE:
            diags.warning(Location(recording.shown), _("recording is older than its text (changed at {where})").format(
                where=_relative(changed, display)))
        elif found is Standing.UNMARKED:
            diags.warning(Location(recording.shown), _(
                "not used yet: nobody has said which text it was made from; after listening to it, run "
                "`python build.py recorded --lang {lang} {name} {number}`").format(lang=lang, name=name, number=number))
        else:
            usable[number] = recording
    return usable


def _relative(where: Location, display: str) -> str:
    """A text's place as the recording script names files: relative to the content folder."""
    prefix = f"{display.rstrip('/')}/"
    return str(Location(where.path.removeprefix(prefix), where.line))


def check(renderer: Renderer, folder: ContentFolder, planned: list[Artifact], diags: Diagnostics) -> None:
    """Before anything is rendered: every recording the planned audio would use, the folders
    of `content/audio/`, and whether the tools and voices are here."""
    cur = renderer.cur
    if planned and not can_encode():
        diags.warning(None, _("ffmpeg is not installed: no audio edition is made (`make` installs it when run as "
                              "root with apt-get)"))
        return
    for lang in dict.fromkeys(a.lang for a in planned):
        if voice_for(lang) is None:
            (note if cur.in_progress(lang) else Diagnostics.warning)(diags, None, _(
                "espeak-ng has no voice for '{lang}' (or is not installed): its audio edition has only the parts "
                "recorded in {folder}/").format(lang=lang, folder=folder.show(f"{AUDIO}/{lang}")))
        _unknown_folders(cur, folder, lang, diags)
    for artifact in planned:
        recorded(cur, folder.root, folder.display, artifact.lang, folder_name(artifact),
                 parts(renderer, artifact.lang, artifact.module), diags)


def _unknown_folders(cur: Curriculum, folder: ContentFolder, lang: str, diags: Diagnostics) -> None:
    """A folder of recordings no handout has (a module renamed, a typo) is said, not ignored."""
    base = folder.path(f"{AUDIO}/{lang}")
    known = {CARD, *(m.id for m in cur.modules)}
    for path in sorted(base.iterdir()) if base.is_dir() else ():
        if path.is_dir() and path.name not in known:
            diags.warning(Location(folder.show(f"{AUDIO}/{lang}/{path.name}")), _(
                "not used: no module '{name}' (a folder of recordings is named by its module's id, or card)").format(
                name=path.name))


def source(renderer: Renderer, artifact: Artifact, keep_html: bool) -> Speech:
    """The parts to say, each from its usable recording or by the voice (the problems with
    the others were reported by `check`)."""
    if not can_encode():
        return Speech(None, (), whole=False)
    spoken = parts(renderer, artifact.lang, artifact.module)
    content = renderer.options.content
    usable = recorded(renderer.cur, content, str(content), artifact.lang, folder_name(artifact), spoken, Diagnostics())
    voice = voice_for(artifact.lang)
    said, whole = [], True
    for part in spoken:
        if part.number in usable:
            recording = usable[part.number]
            said.append(SpokenPart(part.name, recording=recording.data, format=recording.info.format,
                                   shown=recording.shown, digest=recording.sha256))
        elif not part.lines:
            continue  # the contacts, when this edition has none to say
        elif voice is not None:
            said.append(SpokenPart(part.name, ssml=ssml(part.lead, part.heading, part.lines)))
        else:
            whole = False  # no voice, no recording: the whole would have a hole in it
    return Speech(voice, tuple(said), whole=whole and bool(said))


def files(artifact: Artifact, rendered: Rendered, cache: CacheFolder, used: set[str]) -> list[File]:
    """The whole file and each part's, from the job's packed result, each with its duration."""
    made = []
    for name, data, seconds in unpack(rendered.pdf):
        path = artifact.path if name == WHOLE else f"{artifact.stem}-{name}{KIND.suffix}"
        made.append(File(path, data, pages=0, fresh=None, duration=seconds))
    return made


KIND = Kind(
    "audio", "", LANGUAGE, label=N_("Audio"), folder="audio", suffix=".ogg",
    artifacts=artifacts, source=source, files=files, check=check, for_participants=True,
    of=shown,  # beside the handout or the card it reads, on the index and on its page
)
