"""Organisation editions: which group the materials name, and how much of it they print.

An organisation profile (`content/orgs/<id>.yaml`) brands a build with the group's name,
city and logo and fills in its contacts. Two editions:

- `full` (default): name, city, logo and every contact value that is known;
- `no-contacts`: for materials that may be found on someone during a police search. No
  card or form names the group or shows its logo, and every contact is a blank line to
  fill in by hand. Chosen with `--edition no-contacts` or `edition: no-contacts` in the
  profile; when either asks for it, it applies (a profile marked for high-risk
  distribution cannot be overridden from the command line by mistake).

The logo is an SVG file next to the profile. It is read and checked here, when the
content is loaded, and the checked SVG is written into the HTML (inline), rather than
linked by a `file://` URL through the PDF fetcher, because:

- the render cache keys on the HTML: an inlined logo changes the HTML when the file
  changes, while a linked one would leave the key unchanged and serve a stale PDF;
- `check` reports a broken or unsafe logo with its file and line, before anything renders;
- nothing is fetched at render time, so the offline bundle stays self-contained.

Only plain drawing is accepted (shapes and text): no scripts, no styles, no links or
references of any kind (`href`, `url(...)`), no DOCTYPE or entities, and text only in
the bundled font, so a logo can neither reach outside the build nor pull in a machine font.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING
from xml.parsers import expat

from markupsafe import escape

from ..diagnostics import Diagnostics, Location
from ..messages import _
from .fields import Fields
from .guard import present, read_guarded
from .model import Contact, Organisation

if TYPE_CHECKING:
    from .load import ContentFolder

FULL, NO_CONTACTS = "full", "no-contacts"
EDITIONS = (FULL, NO_CONTACTS)

SVG_NS = "http://www.w3.org/2000/svg"
FONT_FAMILY = "Atkinson Hyperlegible"  # the bundled family; any other would be a machine font
MAX_LOGO_BYTES = 100_000  # a simple mark is a few hundred bytes; more is a mistake or an attack
# A mark is two or three groups deep. A drawing nested thousands deep parses (expat keeps no
# stack) but overflows the recursion of WeasyPrint's SVG drawing: refused here, in `check`.
MAX_LOGO_DEPTH = 32

# What a simple mark needs: shapes and text. Everything else (script, style, image, use,
# a, foreignObject, filters, patterns) could load, run or reference something.
ELEMENTS = frozenset({"svg", "g", "title", "desc", "circle", "ellipse", "rect", "line", "polyline",
                      "polygon", "path", "text", "tspan"})
ATTRIBUTES = frozenset({
    "viewBox", "preserveAspectRatio", "version", "width", "height", "x", "y", "dx", "dy", "cx", "cy",
    "r", "rx", "ry", "x1", "y1", "x2", "y2", "points", "d", "transform", "fill", "fill-opacity",
    "fill-rule", "stroke", "stroke-width", "stroke-opacity", "stroke-linecap", "stroke-linejoin",
    "stroke-dasharray", "opacity", "font-family", "font-size", "font-weight", "font-style",
    "text-anchor", "dominant-baseline", "letter-spacing", "id", "role", "aria-label",
})
TEXT_ELEMENTS = frozenset({"text", "tspan", "title", "desc"})  # where character data is kept


def read_orgs(folder: ContentFolder, diags: Diagnostics) -> dict[str, Organisation]:
    """Every profile of `orgs/`, by file name (the id the command line's --org names)."""
    orgs = {}
    orgs_dir = folder.path("orgs")
    if not orgs_dir.is_dir():
        return orgs
    for path in sorted(orgs_dir.glob("*.yaml")):
        f = Fields(folder.yaml(f"orgs/{path.name}", diags), diags, "organisation")
        if not f.ok:
            continue
        contacts = []
        for c in f.each("contacts", "contact", required=False):
            label_node = c.node("label")
            labels = Fields(label_node, diags, "contact label")
            label = {key: labels.str(key) for key in labels.map}
            labels.done()
            contact = Contact(c.id(), label, c.str("value", required=False), c.date("verified_on", required=False),
                              label_node.where if label_node is not None else c.loc)
            if contact.value and contact.verified_on is None:  # a wrong number is worse than a blank line
                diags.warning(c.map["value"].where, _("contact '{contact}' has a value but no verified_on date: check "
                                                      "it and write the date (YYYY-MM-DD), or leave the value "
                                                      "empty").format(contact=contact.id))
            contacts.append(contact)
        org = Organisation(f.id(), f.str("name"), f.str("short_name", required=False), f.str("city"), contacts, f.loc,
                           _logo(folder, path, f, diags), _edition(f, diags))
        f.done()
        if org.id and org.id != path.stem:
            diags.error(f.map["id"].where, _("organisation id '{org}' differs from its file name '{name}'").format(
                org=org.id, name=path.stem))
        orgs[path.stem] = org
    return orgs


def _logo(folder: ContentFolder, profile: Path, f: Fields, diags: Diagnostics) -> str:
    """The profile's `logo:` (an SVG file next to it), checked; "" when there is none."""
    name = f.str("logo", required=False)
    if not name:
        return ""
    where = f.map["logo"].where
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*\.svg", name):
        diags.error(where, _("organisation logo '{logo}' must be the name of an .svg file next to {profile}").format(
            logo=name, profile=profile.name))
        return ""
    if not present(folder.path(f"orgs/{name}")):  # a pipe or a link is there: the guard says what it is
        diags.error(where, _("organisation logo '{logo}' not found: put {path} next to {profile}").format(
            logo=name, path=folder.show(f"orgs/{name}"), profile=profile.name))
        return ""
    return read_logo(folder.path(f"orgs/{name}"), folder.show(f"orgs/{name}"), diags, folder.root)


def _edition(f: Fields, diags: Diagnostics) -> str:
    """The profile's `edition:`; `no-contacts` for groups whose materials must not name them."""
    edition = f.str("edition", required=False, default=FULL)
    if edition not in EDITIONS:
        diags.error(f.map["edition"].where, _("organisation: 'edition' must be one of {editions}; not '{edition}'").format(
            editions=", ".join(EDITIONS), edition=edition))
        return FULL
    return edition



class LogoError(Exception):
    """A logo that is not plain SVG; `line` is 0 when the problem is the whole file."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


def read_logo(path: Path, display: str, diags: Diagnostics, root: Path | None = None) -> str:
    """The logo file's SVG, checked and written out again; "" (and an error) when it is unsafe.
    With `root`, a logo that (through links) lies outside `root` is refused."""
    data = read_guarded(path, display, diags, root, MAX_LOGO_BYTES, what=_("logo"),
                        rule=_("a logo must be a plain SVG file"))
    if data is None:
        return ""
    try:
        return _clean_svg(data)
    except LogoError as exc:
        diags.error(Location(display, exc.line), _("logo: {problem}").format(problem=exc.message))
    return ""


def _clean_svg(data: bytes) -> str:
    """Parse `data` with expat (line numbers for every problem) and serialise what was checked.

    Only the checked elements, attributes and text are written back, so nothing the checks
    did not see (comments, processing instructions, namespaced extras) reaches the HTML.
    """
    parser = expat.ParserCreate("utf-8", namespace_separator=" ")
    out: list[str] = []
    stack: list[str] = []

    def fail(message: str) -> None:
        raise LogoError(parser.CurrentLineNumber, message)

    def start(name: str, attrs: dict[str, str]) -> None:
        ns, _space, tag = name.rpartition(" ")
        if ns != SVG_NS:
            fail(_("element <{tag}> is not SVG (write xmlns=\"{ns}\" on <svg>)").format(tag=tag, ns=SVG_NS))
        if not stack and tag != "svg":
            fail(_("the file must start with <svg>, not <{tag}>").format(tag=tag))
        if tag not in ELEMENTS:
            fail(_("element <{tag}> is not allowed; a logo is drawn with {elements}").format(
                tag=tag, elements=", ".join(sorted(ELEMENTS - {"svg"}))))
        if len(stack) >= MAX_LOGO_DEPTH:
            fail(_("the drawing is nested more than {depth} levels deep; a logo never needs that").format(
                depth=MAX_LOGO_DEPTH))
        clean = {}
        for key, value in attrs.items():
            if " " in key or key not in ATTRIBUTES:
                fail(_("attribute '{attribute}' is not allowed on <{tag}> (links, styles and scripts never are)").format(
                    attribute=key.rpartition(" ")[2], tag=tag))
            if re.search(r"url\s*\(|javascript:|data:", value, re.IGNORECASE):
                fail(_("attribute '{attribute}' refers to something outside the drawing; a logo refers to "
                       "nothing").format(attribute=key))
            if key == "font-family" and value.strip().strip("'\"") != FONT_FAMILY:
                fail(_("font-family must be \"{font}\", the bundled font, not {value}").format(
                    font=FONT_FAMILY, value=repr(value)))
            clean[key] = value
        if not stack:
            if "viewBox" not in clean:
                fail(_("<svg> needs a viewBox, such as viewBox=\"0 0 100 100\", so the logo can be sized"))
            # The page decides the size: the logo fills the box the template gives it.
            clean.update(width="100%", height="100%")
            # Inherited by every <text>: no text can fall back to a machine font.
            clean.setdefault("font-family", FONT_FAMILY)
            clean = {"xmlns": SVG_NS, **clean}
        out.append(f"<{tag}" + "".join(f' {k}="{escape(v)}"' for k, v in clean.items()) + ">")
        stack.append(tag)

    def end(name: str) -> None:
        out.append(f"</{stack.pop()}>")

    def text(data: str) -> None:
        if stack and stack[-1] in TEXT_ELEMENTS:
            out.append(str(escape(data)))
        elif data.strip():
            fail(_("text outside <text> in <{tag}>").format(tag=stack[-1] if stack else "svg"))

    def doctype(*_args) -> None:
        fail(_("DOCTYPE and entity declarations are not allowed in a logo"))

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise LogoError(exc.lineno, _("not well-formed SVG: {problem}").format(
            problem=expat.errors.messages[exc.code])) from None
    if not out:
        raise LogoError(0, _("the file has no <svg> element"))
    return "".join(out)
