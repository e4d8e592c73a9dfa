#!/usr/bin/env python3
"""Seed inputs for the fuzz harnesses (scripts/fuzz): the fixtures of tests/fixtures by format,
and small inputs of our own for what has no fixture (PDF, DOCX, queries, requests, pack bodies).
Usage: scripts/fuzz-seeds.py OUT_DIR  (one folder per harness)."""
import io
import pathlib
import sys
import zipfile
import zlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"


def put(out, harness, name, data):
    folder = out / harness
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data if isinstance(data, bytes) else data.encode())


def pdf(pages, compress=False):
    """A PDF of Helvetica lines, one content stream per page, with a correct xref table."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", None, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for lines in pages:
        text = "".join(f"BT /F1 {size} Tf 72 {y} Td ({line}) Tj ET\n" for line, size, y in lines).encode()
        body = zlib.compress(text) if compress else text
        flt = " /Filter /FlateDecode" if compress else ""
        objects.append(f"<< /Length {len(body)}{flt} >>\nstream\n".encode() + body + b"\nendstream")
        content = len(objects)
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {content} 0 R "
                       f"/Resources << /Font << /F1 3 0 R >> >> >>")
        kids.append(len(objects))
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>"
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objects):
        offsets.append(len(out))
        data = obj if isinstance(obj, bytes) else obj.encode()
        out += f"{i + 1} 0 obj\n".encode() + data + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def docx(paragraphs, styles=True):
    body = "".join(
        f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'
        if style else f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>" for style, text in paragraphs)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", f'<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>{body}'
                                        f"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>QIP</w:t></w:r></w:p></w:tc>"
                                        f"<w:tc><w:p><w:r><w:t>Quick impact project</w:t></w:r></w:p></w:tc>"
                                        f"</w:tr></w:tbl></w:body></w:document>")
        if styles:
            z.writestr("word/styles.xml", f'<?xml version="1.0"?><w:styles {W}><w:style w:type="paragraph" '
                                          f'w:styleId="Heading1"><w:name w:val="heading 1"/></w:style></w:styles>')
    return buf.getvalue()


def main():
    out = pathlib.Path(sys.argv[1])
    for path in sorted(FIXTURES.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        name = path.relative_to(FIXTURES).as_posix().replace("/", "_")
        harness = {".txt": "fuzz_text", ".md": "fuzz_markdown", ".html": "fuzz_html", ".htm": "fuzz_html"}.get(path.suffix)
        if harness:
            put(out, harness, name, data)
        if path.suffix in (".txt", ".md"):
            put(out, "fuzz_segment", name, (b"\x01" if path.suffix == ".md" else b"\x00") + data)

    put(out, "fuzz_pdf", "two-pages.pdf", pdf([[("Patrol Report", 16, 720), ("The convoy reached the depot.", 11, 690)],
                                               [("Annex", 14, 720), ("Fuel stocks were counted twice.", 11, 690)]]))
    put(out, "fuzz_pdf", "compressed.pdf", pdf([[("Weekly Summary", 14, 720), ("Roads stayed open.", 11, 700)]], True))
    put(out, "fuzz_docx", "headings.docx", docx([("Title", "Field Notes"), ("Heading1", "Water points"),
                                                 ("", "Two wells were repaired."), ("ListBullet", "Pumps checked")]))
    put(out, "fuzz_docx", "plain.docx", docx([("", "A single paragraph of minutes.")], styles=False))

    for i, q in enumerate(['ceasefire monitoring', '"mandate renewal" AND mission', 'title:report -draft',
                           'disarm* NEAR/3 fighters', '(a OR (b AND (c NOT d)))', 'ddr year:2018..2020',
                           'category:protection-of-civilians', 'mändäte ñ 平和']):
        put(out, "fuzz_query", f"query-{i}", q)
    for i, r in enumerate(["GET /api/search?q=ceasefire%20line&size=5 HTTP/1.1\r\nHost: x\r\n\r\n",
                           "POST /api/packs HTTP/1.1\r\nHost: x\r\nContent-Length: 13\r\n\r\n{\"title\":\"a\"}",
                           "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n4;e=1\r\nabcd\r\n0\r\nT: v\r\n\r\n",
                           "GET /a%2Fb?x=%E2%82%AC+y HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"]):
        put(out, "fuzz_http", f"request-{i}", r)
    for i, b in enumerate([b'\x00{"title":"Induction reading","description":"Week one"}',
                           b'\x00{"title":"T","items":[{"passage":"doc#1","note":"n","order":2}]}',
                           b'\x01{"passage":"doc#3","note":"Read first","position":1}',
                           b'\x02{"title":"Renamed","items":[]}']):
        put(out, "fuzz_pack", f"body-{i}", b)


if __name__ == "__main__":
    main()
