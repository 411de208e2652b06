# Builds, byte by byte, the legacy-encoding fixtures that no tool here writes: SPSS system files
# in windows-1252 and a Stata 13 (release 117) file in Latin-1, for kith's .sav/.dta readers.
#
# Run from the repository root:   python3 tests/python/legacy_codepage.py
# (tests/python/labelled.py runs it too, before writing tests/data/labelled/expected.json).
# Needs only Python 3's standard library. It (re)writes in tests/data/labelled/:
#   bfi-cp1252.sav                     uncompressed; integer info record (type 7 subtype 3)
#                                      character_code = 1252 and an encoding record
#                                      (subtype 20) "windows-1252", as SPSS 16+ writes in
#                                      code page mode
#   bfi-cp1252-no-encoding-record.sav  the same without the subtype 20 record, as SPSS 15
#                                      and earlier write: only character_code = 1252 tells
#   bfi-latin1-117.dta                 Stata 13 format (no encoding field in the format); text
#                                      in Latin-1 (every character used is the same byte in
#                                      windows-1252)
# Why: haven's write_sav and pyreadstat's write_sav have no encoding option and always write
# UTF-8 (character_code 65001, encoding record "UTF-8"); both tools' write_dta(version 13)
# write UTF-8 bytes into release 117 files too.
#
# Layouts follow PSPP's "System File Format" chapter (GNU PSPP Developers Guide) and Stata's
# "dta_117" help. Rows are 20 people of tests/data/bfi.csv (ids 1-20, their A1 answers and
# ages), with made-up names and heights; A1 = -9 ("Refusé", user-missing in the .sav, Stata's
# extended missing .a in the .dta) in rows 4 and 13; height is system-missing in row 7.

import struct
import csv
from pathlib import Path

OUT = Path("tests/data/labelled")
SYSMIS = -1.7976931348623157e308  # -DBL_MAX
HIGHEST = 1.7976931348623157e308
LOWEST = struct.unpack("<d", bytes.fromhex("feffffffffffefff"))[0]  # next after -DBL_MAX

NAMES = [
    "Müller", "José", "Ærø", "François", "Zoë", "Øyvind", "Smørrebrød", "Ångström",
    "Niño", "Straße", "Œuvre", "5 €", "Gödel", "Señora Núñez", "Brontë", "Dvořák",
    "“quoted”", "Ça va — oui", "", "Ólafur",
]
# Dvořák has ř, which windows-1252 lacks; the .sav uses "Dvorák" there. The .dta (Latin-1)
# also lacks Œ, €, “ ” and —: those rows use Latin-1 stand-ins (see latin1_names()).
LABEL_A1 = "Suis indifférent aux sentiments des autres."
LABEL_HEIGHT = "Körpergröße (cm)"
LABEL_NAME = "Prénom / Name"
A1_LABELS = [
    (1, "Très inexact"), (2, "Plutôt inexact"), (3, "Légèrement inexact"),
    (4, "Légèrement exact"), (5, "Plutôt exact"), (6, "Très exact"), (-9, "Refusé"),
]
REFUSED_ROWS = (4, 13)  # 1-based
SYSMIS_HEIGHT_ROW = 7
HEIGHTS = [172.5, 165.0, 180.25, 158.0, 190.0, 177.5, None, 169.0, 183.0, 161.5,
           175.0, 168.25, 171.0, 162.0, 186.5, 179.0, 166.0, 173.5, 181.0, 159.5]


def bfi_rows():
    with open("tests/data/bfi.csv", newline="") as f:
        rows = list(csv.DictReader(f))[:20]
    out = []
    for i, r in enumerate(rows, start=1):
        a1 = -9 if i in REFUSED_ROWS else (int(r["A1"]) if r["A1"] else None)
        out.append({"id": int(r["id"]), "A1": a1, "age": int(r["age"]),
                    "height": HEIGHTS[i - 1]})
    return out


def cp1252_names():
    return [n.replace("ř", "r") for n in NAMES]


def latin1_names():
    table = {"Œ": "Oe", "€": "EUR", "“": '"', "”": '"', "—": "-", "ř": "r"}
    return ["".join(table.get(c, c) for c in n) for n in NAMES]


# --- SPSS system file ------------------------------------------------------------------------

def i32(*v):
    return struct.pack("<%di" % len(v), *v)


def f64(*v):
    return struct.pack("<%dd" % len(v), *v)


def pad(b, n, fill=b" "):
    assert len(b) <= n, (b, n)
    return b + fill * (n - len(b))


def fmt(kind, width, decimals):  # print/write format: type << 16 | width << 8 | decimals
    return (kind << 16) | (width << 8) | decimals


F, A = 5, 1
ENC = "cp1252"


def sav_variable(short_name, width, label, missing, print_fmt):
    """A type 2 record (plus continuation records for strings wider than 8)."""
    rec = i32(2, width, 1 if label else 0, len(missing), print_fmt, print_fmt)
    rec += pad(short_name.encode(ENC), 8)
    if label:
        lb = label.encode(ENC)
        rec += i32(len(lb)) + pad(lb, (len(lb) + 3) // 4 * 4)
    rec += b"".join(f64(m) for m in missing)
    for _ in range((width + 7) // 8 - 1 if width > 0 else 0):
        rec += i32(2, -1, 0, 0, 0, 0) + b" " * 8
    return rec


def build_sav(path, with_encoding_record):
    rows = bfi_rows()
    names = cp1252_names()
    name_width = 16
    # Dictionary: id, A1, name (A16 = 2 segments), größe.  Nominal case size 5.
    variables = [
        ("ID", "id", 0, "Respondent ID", [], fmt(F, 4, 0)),
        ("A1", "A1", 0, LABEL_A1, [-9.0], fmt(F, 2, 0)),
        ("NAME", "name", name_width, LABEL_NAME, [], fmt(A, name_width, 0)),
        ("GRÖßE", "größe", 0, LABEL_HEIGHT, [], fmt(F, 6, 2)),
    ]
    case_size = 5
    header = b"$FL2"
    header += pad(b"@(#) SPSS DATA FILE kith tests/python/legacy_codepage.py", 60)
    header += i32(2, case_size, 0, 0, len(rows))
    header += f64(100.0)
    header += b"01 Jan 24" + b"00:00:00"
    header += pad(("bfi sample, code page 1252 (kith fixture)").encode(ENC), 64)
    header += b"\0\0\0"
    assert len(header) == 176

    body = b"".join(sav_variable(s, w, lb, m, pf) for s, _, w, lb, m, pf in variables)

    # Value labels for A1 (type 3) and the variables they belong to (type 4, 1-based
    # dictionary index counting every 8-byte segment: A1 is index 2).
    vl = i32(3, len(A1_LABELS))
    for code, text in A1_LABELS:
        t = text.encode(ENC)
        vl += f64(float(code)) + bytes([len(t)]) + t
        vl += b" " * ((len(t) + 1 + 7) // 8 * 8 - (len(t) + 1))
    vl += i32(4, 1, 2)
    body += vl

    # Machine integer info: version 15.0.0, machine -1, IEEE, compression 1, little-endian,
    # character code 1252.
    body += i32(7, 3, 4, 8, 15, 0, 0, -1, 1, 1, 2, 1252)
    body += i32(7, 4, 8, 3) + f64(SYSMIS, HIGHEST, LOWEST)
    # Variable display parameters: measure (1 nominal, 2 ordinal, 3 scale), width, alignment
    # (0 left, 1 right).
    display = [(3, 6, 1), (2, 4, 1), (1, 16, 0), (3, 8, 1)]
    body += i32(7, 11, 4, 3 * len(display)) + b"".join(i32(*d) for d in display)
    longnames = "\t".join(f"{s}={n}" for s, n, *_ in variables).encode(ENC)
    body += i32(7, 13, 1, len(longnames)) + longnames
    if with_encoding_record:
        enc = b"windows-1252"
        body += i32(7, 20, 1, len(enc)) + enc
    body += i32(999, 0)

    data = b""
    for r, name in zip(rows, names):
        data += f64(float(r["id"]))
        data += f64(SYSMIS if r["A1"] is None else float(r["A1"]))
        data += pad(name.encode(ENC), name_width)
        data += f64(SYSMIS if r["height"] is None else r["height"])
    path.write_bytes(header + body + data)


# --- Stata 117 ---------------------------------------------------------------------------------

DTA_ENC = "latin-1"
BYTE, LONG, DOUBLE = 65530, 65528, 65526
BYTE_MISSING_A = 102                      # byte: . = 101, .a = 102
LONG_MISSING_A = 2147483622               # value-label code of .a
DOUBLE_MISSING = bytes.fromhex("000000000000e07f")  # . = 2^1023, little-endian


def zpad(s, n):
    b = s.encode(DTA_ENC) if isinstance(s, str) else s
    assert len(b) < n or (n == 0), (s, n)
    return b + b"\0" * (n - len(b))


def build_dta117(path):
    rows = bfi_rows()
    names = latin1_names()
    str_width = max(len(n.encode(DTA_ENC)) for n in names)
    vars_ = [  # name, type, format, value label name, variable label
        ("id", LONG, "%8.0g", "", "Respondent ID"),
        ("A1", BYTE, "%8.0g", "a1", LABEL_A1),
        ("name", str_width, f"%{str_width}s", "", LABEL_NAME),
        ("height", DOUBLE, "%9.2f", "", LABEL_HEIGHT),
        ("age", LONG, "%8.0g", "", "Alter in Jahren"),
    ]
    K, N = len(vars_), len(rows)
    label = "bfi sample, Latin-1 (kith fixture, Stata 13 format)".encode(DTA_ENC)

    parts = []  # (tag name for the map or None, bytes)
    head = (b"<stata_dta><header><release>117</release><byteorder>LSF</byteorder>"
            + b"<K>" + struct.pack("<H", K) + b"</K>"
            + b"<N>" + struct.pack("<I", N) + b"</N>"
            + b"<label>" + bytes([len(label)]) + label + b"</label>"
            + b"<timestamp>" + bytes([17]) + b"01 Jan 2024 00:00" + b"</timestamp></header>")
    sections = []
    sections.append(("variable_types", b"".join(struct.pack("<H", v[1]) for v in vars_)))
    sections.append(("varnames", b"".join(zpad(v[0], 33) for v in vars_)))
    sections.append(("sortlist", b"\0\0" * (K + 1)))
    sections.append(("formats", b"".join(zpad(v[2], 49) for v in vars_)))
    sections.append(("value_label_names", b"".join(zpad(v[3], 33) for v in vars_)))
    sections.append(("variable_labels", b"".join(zpad(v[4], 81) for v in vars_)))
    sections.append(("characteristics", b""))
    data = b""
    for r, name in zip(rows, names):
        data += struct.pack("<i", r["id"])
        a1 = r["A1"]
        data += struct.pack("<b", BYTE_MISSING_A if a1 == -9 else (101 if a1 is None else a1))
        data += zpad(name, str_width) if len(name.encode(DTA_ENC)) < str_width else name.encode(DTA_ENC)
        data += DOUBLE_MISSING if r["height"] is None else struct.pack("<d", r["height"])
        data += struct.pack("<i", r["age"])
    sections.append(("data", data))
    sections.append(("strls", b""))
    labels = [(code if code != -9 else LONG_MISSING_A, text) for code, text in A1_LABELS]
    txt, offs = b"", []
    for _, text in labels:
        offs.append(len(txt))
        txt += text.encode(DTA_ENC) + b"\0"
    table = struct.pack("<ii", len(labels), len(txt))
    table += struct.pack("<%di" % len(labels), *offs)
    table += struct.pack("<%di" % len(labels), *(c for c, _ in labels))
    table += txt
    lbl = b"<lbl>" + struct.pack("<i", len(table)) + zpad("a1", 33) + b"\0\0\0" + table + b"</lbl>"
    sections.append(("value_labels", lbl))

    # Lay out: header, map (fixed size), then the sections; map holds each opening tag's offset.
    map_size = len(b"<map>") + 14 * 8 + len(b"</map>")
    offsets = [0, len(head)]
    pos = len(head) + map_size
    blobs = []
    for name, content in sections:
        blob = f"<{name}>".encode() + content + f"</{name}>".encode()
        offsets.append(pos)
        blobs.append(blob)
        pos += len(blob)
    offsets.append(pos)                      # </stata_dta>
    end = b"</stata_dta>"
    offsets.append(pos + len(end))           # end of file
    assert len(offsets) == 14
    mp = b"<map>" + struct.pack("<14Q", *offsets) + b"</map>"
    path.write_bytes(head + mp + b"".join(blobs) + end)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    build_sav(OUT / "bfi-cp1252.sav", with_encoding_record=True)
    build_sav(OUT / "bfi-cp1252-no-encoding-record.sav", with_encoding_record=False)
    build_dta117(OUT / "bfi-latin1-117.dta")
    for f in ("bfi-cp1252.sav", "bfi-cp1252-no-encoding-record.sav", "bfi-latin1-117.dta"):
        print(f"{f:36s} {(OUT / f).stat().st_size:7d} bytes")


if __name__ == "__main__":
    main()
