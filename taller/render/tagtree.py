"""The tag tree WeasyPrint 70 writes, made lean: what carries nothing is taken out.

Read once into Python lists (pikepdf's object access is slow). Used by `compact`.
"""

from __future__ import annotations

import pikepdf
from pikepdf import Array, Dictionary, Name

_PLAIN_KEYS = {"/Type", "/S", "/K", "/Pg", "/P"}  # an element with more carries something
_WRAPPERS = (Name.Span, Name.NonStruct)



class StructTree:
    """The tag tree, read once into Python lists (pikepdf's object access is slow), and
    its parent tree: for each page, the element of each marked-content id."""

    def __init__(self, root: Dictionary, nums: Array, slots: dict[tuple[int, int], int], pages: dict):
        self.root = root
        self.nums = nums
        self.slots = slots  # page objgen → index in `nums` of its array
        self.pages = pages  # page objgen → page dictionary
        self.parents = {page: list(nums[slot]) for page, slot in slots.items()}  # indexed by MCID
        self.kids: dict[tuple[int, int], list] = {}  # element objgen → its children
        self.order: list[Dictionary] = []  # every element, parents before children
        pending = [k for k in reversed(_kids(root)) if _is_element(k)]
        while pending:
            element = pending.pop()
            if element.objgen in self.kids:
                continue
            kids = self.kids[element.objgen] = _kids(element)
            self.order.append(element)
            pending.extend(k for k in reversed(kids) if _is_element(k))

    @classmethod
    def of(cls, pdf: pikepdf.Pdf) -> StructTree | None:
        """The tree, or None when there is none or its parent tree is not the flat kind
        WeasyPrint writes (then nothing in it is touched)."""
        root = pdf.Root.get("/StructTreeRoot")
        if not isinstance(root, Dictionary):
            return None
        tree = root.get("/ParentTree")
        nums = tree.get("/Nums") if isinstance(tree, Dictionary) else None
        if not isinstance(nums, Array) or "/Kids" in tree:
            return None
        slot_of = {int(nums[i]): i + 1 for i in range(0, len(nums) - 1, 2) if isinstance(nums[i + 1], Array)}
        slots, pages = {}, {}
        for page in pdf.pages:
            key = page.obj.get("/StructParents")
            if key is not None and int(key) in slot_of:
                slots[page.obj.objgen] = slot_of[int(key)]
                pages[page.obj.objgen] = page.obj
        return cls(root, nums, slots, pages)

    def write(self) -> None:
        """Put the parent tree and the changed children back into the document."""
        for page, slot in self.slots.items():
            self.nums[slot] = Array(self.parents[page])

    def drop_decorative_figures(self) -> list[tuple[Dictionary, set[int]]]:
        """Take each Figure without alternative text out of the tree; (page, its ids) for
        each page that drew one."""
        retagged: dict = {}
        for element in self.order:
            if element.get("/S") != Name.Figure or "/Alt" in element or "/ActualText" in element:
                continue
            kids = self.kids[element.objgen]
            page = element.get("/Pg")
            if not kids or not all(isinstance(k, int) for k in kids) or page is None \
                    or page.objgen not in self.parents:
                continue
            parents = self.parents[page.objgen]
            for mcid in kids:
                if mcid < len(parents):
                    parents[mcid] = _NULL
            retagged.setdefault(page.objgen, set()).update(kids)
            self._remove(element)
        return [(self.pages[objgen], mcids) for objgen, mcids in retagged.items()]

    def drop_orphans(self) -> list[tuple[Dictionary, set[int]]]:
        """Content whose element is not in the tree becomes an artifact: WeasyPrint 70
        gives the running heads and page numbers (margin boxes) elements it never links
        in, so a checker finds tagged text that belongs to no structure. Page furniture is
        what PDF/UA calls a pagination artifact."""
        retagged = []
        for objgen, parents in self.parents.items():
            orphans = {mcid for mcid, element in enumerate(parents)
                       if isinstance(element, Dictionary) and element.objgen not in self.kids}
            for mcid in orphans:
                parents[mcid] = _NULL
            if orphans:
                retagged.append((self.pages[objgen], orphans))
        return retagged

    def _remove(self, element: Dictionary) -> None:
        """Take an element out of its parent; a wrapper left empty goes too."""
        del self.kids[element.objgen]
        parent = element.get("/P")
        if not isinstance(parent, Dictionary) or parent.objgen not in self.kids:
            return
        kids = self.kids[parent.objgen] = [k for k in self.kids[parent.objgen]
                                           if not (isinstance(k, Dictionary) and k.objgen == element.objgen)]
        parent.K = Array(kids)
        if not kids and parent.get("/S") in _WRAPPERS:
            self._remove(parent)

    def lean(self) -> None:
        """Hand the ids of plain one-line wrappers, and the children of empty-handed
        NonStructs, to their parents (children first, so wrappers of wrappers go too),
        and take out the wrappers that hold nothing; then drop the page of each element that has no marked content of its own, and
        every element's `/Type`, which is optional (every element has an `/S`)."""
        for element in reversed(self.order):
            if element.objgen not in self.kids:  # taken out above
                continue
            kids = self.kids[element.objgen]
            if not kids and element.get("/S") in _WRAPPERS and set(element.keys()) <= _PLAIN_KEYS:
                self._remove(element)  # an empty wrapper (a list item's `::before` box, drawn as an artifact)
                continue
            collapsible = [self._collapsible(k) for k in kids]
            if any(collapsible):
                self._take_over(element, kids, collapsible)
        for element in self.order:
            kids = self.kids.get(element.objgen)
            if kids is not None and not any(isinstance(k, int) or (isinstance(k, Dictionary) and "/S" not in k
                                                                   and "/Pg" not in k) for k in kids):
                if "/Pg" in element:
                    del element["/Pg"]
        for element in self.order:
            if element.objgen in self.kids and element.get("/Type") == Name.StructElem:
                del element["/Type"]
        self.write()

    def _take_over(self, element: Dictionary, kids: list, collapsible: list[bool]) -> None:
        """Give `element` the content of its collapsible children, in order."""
        page = element.get("/Pg")
        content: list = []  # (page, mcid) for an id, the object itself for anything else
        for kid, collapse in zip(kids, collapsible):
            if isinstance(kid, int):
                content.append((page, kid))
            elif not collapse:
                content.append(kid)
            else:
                grandchildren = self.kids.pop(kid.objgen)
                if all(isinstance(k, int) for k in grandchildren):
                    kid_page = kid.Pg
                    parents = self.parents[kid_page.objgen]
                    for mcid in grandchildren:
                        parents[mcid] = element
                        content.append((kid_page, mcid))
                else:  # a NonStruct of elements
                    for child in grandchildren:
                        child.P = element
                        content.append(child)
        if page is None:
            page = next((item[0] for item in content if isinstance(item, tuple)), None)
            if page is not None:
                element.Pg = page
        new = [(item[1] if item[0].objgen == page.objgen else Dictionary(Type=Name.MCR, Pg=item[0], MCID=item[1]))
               if isinstance(item, tuple) else item for item in content]
        self.kids[element.objgen] = new
        element.K = Array(new)

    def _collapsible(self, kid) -> bool:
        """A wrapper with nothing of its own: its ids can go to its parent, its parent tree
        entries are the ones this class read."""
        if not _is_element(kid) or kid.objgen not in self.kids or kid.get("/S") not in _WRAPPERS \
                or not set(kid.keys()) <= _PLAIN_KEYS:
            return False
        kids = self.kids[kid.objgen]
        if not kids:
            return False
        if all(isinstance(k, int) for k in kids):
            page = kid.get("/Pg")
            parents = self.parents.get(page.objgen) if page is not None else None
            return parents is not None and all(
                k < len(parents) and isinstance(parents[k], Dictionary) and parents[k].objgen == kid.objgen
                for k in kids)
        return kid.S == Name.NonStruct and all(_is_element(k) for k in kids)


_NULL = pikepdf.Object.parse(b"null")


def _kids(element) -> list:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, Array) else [kids]


def _is_element(obj) -> bool:
    """A structure element, not a marked-content or object reference (those have no /S)."""
    return isinstance(obj, Dictionary) and "/S" in obj
