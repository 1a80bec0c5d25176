"""Rewriting an uploaded PDF without anything a reader could run, open or send: only its pages remain.

Staff open supporting documents in desktop readers, which run a PDF's JavaScript, launch files and
follow actions. qpdf (through pikepdf) parses the file and writes it anew: bytes before ``%PDF`` or
after the last ``%%EOF``, earlier revisions, comments and objects nothing points to are not carried
over; what remains is stripped of every active part listed below. Plain functions over bytes.
"""

import io

import pikepdf
from pikepdf import Array, Dictionary, Name, Stream

# Keys whose value runs, opens, sends or embeds something, wherever they appear:
# /AA triggers actions on events (page opened, field changed, document closed…), /OpenAction when the
# file is opened, /JS holds JavaScript, /EF and /AF carry embedded files, /XFA a scripted XML form,
# /JavaScript and /EmbeddedFiles are the name trees of the document's scripts and attachments.
_ACTIVE_KEYS = frozenset(
    {
        "/AA",
        "/OpenAction",
        "/JS",
        "/JavaScript",
        "/EF",
        "/AF",
        "/EmbeddedFiles",
        "/XFA",
        "/NeedsRendering",
        "/Collection",
    }
)
# The only action kept: moving to another page of the same document (links of a table of contents).
# Every other kind (JavaScript, Launch, URI, GoToR, GoToE, SubmitForm, ImportData, Rendition…) goes.
_KEPT_ACTION = Name.GoTo
# Annotations that exist to play or open something: they have nothing to show once emptied.
_ACTIVE_ANNOTATIONS = frozenset({"/FileAttachment", "/Sound", "/Movie", "/Screen", "/RichMedia", "/3D"})
# Each object is looked at (~30 µs): this many keeps the check within a few seconds. A scanned invoice has
# tens, a long report a few thousand; 10 MB of tiny compressed objects could hold a million.
MAX_OBJECTS = 100_000


class PdfTooComplexError(ValueError):
    """More objects than ``MAX_OBJECTS``."""


def _is_foreign_action(value: object) -> bool:
    """An action dictionary (it names its kind in /S) of any kind but the kept one.

    Structure elements also carry an /A key (their attributes), without /S: they are left alone.
    """
    return isinstance(value, Dictionary) and value.get("/S", _KEPT_ACTION) != _KEPT_ACTION


def _strip(dictionary: Dictionary | Stream) -> set[str]:
    """Remove the active keys of one dictionary; returns the keys left (read once: each look-up crosses to qpdf)."""
    keys = dictionary.keys()
    for key in keys & _ACTIVE_KEYS:
        del dictionary[key]
    if "/A" in keys and _is_foreign_action(dictionary.A):
        del dictionary["/A"]
    if "/Next" in keys and dictionary.get("/S") == _KEPT_ACTION:
        del dictionary["/Next"]  # a chain that would go on to a script
    if "/Annots" in keys and isinstance(annotations := dictionary.Annots, Array):
        kept = [annotation for annotation in annotations if annotation.get("/Subtype") not in _ACTIVE_ANNOTATIONS]
        if len(kept) != len(annotations):
            dictionary.Annots = Array(kept)
    return dictionary.keys()


def _walk(value: object) -> None:
    """Strip every dictionary held directly in ``value``; indirect objects are visited on their own."""
    if isinstance(value, Dictionary | Stream):
        children = [value.get(key) for key in _strip(value)]
    elif isinstance(value, Array):
        children = list(value)
    else:
        return
    for child in children:
        if isinstance(child, pikepdf.Object) and not child.is_indirect:
            _walk(child)


def pdf_without_active_content(data: bytes) -> bytes:
    """The PDF written anew with its pages only: no scripts, actions, attachments, forms' XFA or metadata.

    Raises ``pikepdf.PasswordError`` when it needs a password, ``pikepdf.PdfError`` when it cannot be read,
    ``PdfTooComplexError`` beyond ``MAX_OBJECTS``. The same file always gives the same bytes, so a document
    sent twice is still recognised by its hash.
    """
    with pikepdf.open(io.BytesIO(data)) as pdf:
        if len(pdf.pages) == 0:
            raise pikepdf.PdfError("no page")
        objects = pdf.objects
        if len(objects) > MAX_OBJECTS:
            raise PdfTooComplexError(f"{len(objects)} objects")
        for value in objects:
            _walk(value)
        # Author, software, dates and XMP, like a photo's EXIF: nothing the management unit needs.
        for key in ("/Metadata", "/PieceInfo"):
            if key in pdf.Root:
                del pdf.Root[key]
        if "/Info" in pdf.trailer:
            del pdf.trailer["/Info"]
        out = io.BytesIO()
        pdf.save(
            out,
            encryption=False,
            fix_metadata_version=False,
            preserve_pdfa=False,
            # Dictionaries and strings go into compressed object streams: no text such as "<html>"
            # is left in clear for a browser that would sniff the file.
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
            deterministic_id=True,
        )
    return out.getvalue()
