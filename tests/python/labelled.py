# Reference SPSS and Stata files written by Python's pyreadstat, shaped like a real survey
# export, and tests/data/labelled/expected.json: what haven (and pyreadstat) see in every
# fixture of tests/data/labelled/.
#
# Run from the repository root, after Rscript tests/r/labelled.R:
#   python3 tests/python/labelled.py
# Needs pyreadstat 1.3 and pandas (pip install pyreadstat pandas), and for expected.json R with
# haven, foreign and jsonlite (it runs tests/r/labelled_read.R on each fixture). It also runs
# tests/python/legacy_codepage.py. The tests compare kith with the committed files and never
# need Python or R.
#
# It (re)writes in tests/data/labelled/:
#   bfi-pyreadstat.sav   write_sav(row_compress=True)  (bytecode compressed, as SPSS saves)
#   bfi-pyreadstat.zsav  write_sav(compress=True)      (zlib compressed)
#   bfi-pyreadstat.dta   write_dta(version=15)         (release 119)
#   bfi-cp1252.sav, bfi-cp1252-no-encoding-record.sav, bfi-latin1-117.dta (legacy_codepage.py)
#   expected.json
#
# Data: the first 300 rows of tests/data/bfi.csv with these fixed changes (1-based rows = id):
#   A1 row 2 -> 97, row 50 -> 98, row 101 -> 99;  A2 row 7 -> 98, row 150 -> 99;
#   A3 row 33 -> 97;  A4 row 66 -> 99;  A5 rows 99, 199 -> 98;  C1 rows 4 44 144 244 -> -9.
# .sav: A1..A5 declare the missing range 97-99 (labels 97 "Not asked", 98 "Don't know",
# 99 "Not applicable"); C1 declares the discrete missing value -9 ("Refused").
# .dta: -9, 98, 99, 97 become Stata's extended missing .a, .b, .c, .d with the same labels.
# Plus gender, education, age, a long free-text column `other_specify` (UTF-8, three answers
# over 255 bytes) and a short string `country`.
#
# pyreadstat stamps the current time into the file header; this script overwrites it with a
# fixed one (01 Jan 2024 00:00) so that a re-run reproduces the files byte for byte.

import csv
import json
import re
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat

sys.dont_write_bytecode = True  # no __pycache__ beside the scripts
sys.path.insert(0, str(Path(__file__).resolve().parent))
import legacy_codepage  # noqa: E402

OUT = Path("tests/data/labelled")

SCALE = {1: "Very Inaccurate", 2: "Moderately Inaccurate", 3: "Slightly Inaccurate",
         4: "Slightly Accurate", 5: "Moderately Accurate", 6: "Very Accurate"}
EDUCATION = {1: "Some high school", 2: "Finished high school", 3: "Some college",
             4: "College graduate", 5: "Graduate degree"}
MISSING_LABELS = {97: "Not asked", 98: "Don't know", 99: "Not applicable"}
CHANGES = {  # column -> {row (1-based): code}
    "A1": {2: 97, 50: 98, 101: 99},
    "A2": {7: 98, 150: 99},
    "A3": {33: 97},
    "A4": {66: 99},
    "A5": {99: 98, 199: 98},
    "C1": {4: -9, 44: -9, 144: -9, 244: -9},
}
STATA_TAG = {-9: "a", 98: "b", 99: "c", 97: "d"}

T1 = ("I work part time as a nurse in Århus and part time as a translator (Dänisch — Deutsch); "
      "the job list had neither, so I picked 'other'. ")
T2 = "Selbstständig: Café „Zur Post“ in Köln, ✓ since 2009. "
T3 = ("Retired teacher (Montréal), now volunteering at the food bank — two days a week, "
      "sometimes three. ")
OTHER = {
    3: "Zoë's café", 8: "Bäcker (Müller & Söhne)", 19: "✓ yes", 27: "Prefer not to say",
    41: "日本語で書きます", 58: "Straße", 76: "n/a", 88: "José — Spain",
    120: T1 + T3 + "Danke schön, José ✓",
    201: T3 + T3 + T2,
    260: "Ærø",
    299: T1 + T2 + T3,
}
COUNTRIES = ["DE", "US", "GB", "", "FR", "ES", "DK", "JP"]

# The fixtures expected.json describes, in this order, with how each was written and any
# encoding haven must be told to read it.
FIXTURES = [
    ("bfi-haven.sav", 'haven write_sav(compress = "byte")', None),
    ("bfi-haven.zsav", 'haven write_sav(compress = "zsav")', None),
    ("bfi-haven-uncompressed.sav", 'haven write_sav(compress = "none")', None),
    ("bfi-haven-117.dta", "haven write_dta(version = 13)", "UTF-8"),
    ("bfi-haven-118.dta", "haven write_dta(version = 14, strl_threshold = 255)", None),
    ("bfi-haven-119.dta", "haven write_dta(version = 15, strl_threshold = 255)", None),
    ("bfi-pyreadstat.sav", "pyreadstat write_sav(row_compress=True)", None),
    ("bfi-pyreadstat.zsav", "pyreadstat write_sav(compress=True)", None),
    ("bfi-pyreadstat.dta", "pyreadstat write_dta(version=15)", None),
    ("bfi-cp1252.sav", "tests/python/legacy_codepage.py (byte by byte)", None),
    ("bfi-cp1252-no-encoding-record.sav", "tests/python/legacy_codepage.py (byte by byte)",
     None),
    ("bfi-latin1-117.dta", "tests/python/legacy_codepage.py (byte by byte)", None),
]


def item_texts():
    text = {}
    for line in Path("instruments/bfi.yaml").read_text(encoding="utf-8").splitlines():
        m = re.match(r'\s*- \{id: (\w+), text: ("([^"]*)"|([^,]*)),', line)
        if m:
            text[m.group(1)] = m.group(3) if m.group(3) is not None else m.group(4)
    assert len(text) == 25, text
    return text


def frame():
    with open("tests/data/bfi.csv", newline="") as f:
        rows = list(csv.DictReader(f))[:300]
    cols = list(rows[0].keys())
    df = pd.DataFrame({c: [float(r[c]) if r[c] != "" else np.nan for r in rows] for c in cols})
    for col, cells in CHANGES.items():
        for row, code in cells.items():
            df.loc[row - 1, col] = float(code)
    df["other_specify"] = [OTHER.get(i, "") for i in range(1, 301)]
    df["country"] = [COUNTRIES[i % len(COUNTRIES)] for i in range(1, 301)]
    for i in (120, 201, 299):
        assert len(OTHER[i].encode()) > 255
    return df


def fix_timestamp(path):
    b = bytearray(path.read_bytes())
    if b[:4] in (b"$FL2", b"$FL3"):
        b[92:109] = b"01 Jan 24" + b"00:00:00"
    else:
        at = b.find(b"<timestamp>")
        assert 0 < at < 500 and b[at + 11] == 17
        b[at + 12:at + 29] = b"01 Jan 2024 00:00"
    path.write_bytes(bytes(b))


def write_pyreadstat():
    df = frame()
    text = item_texts()
    items = list(text)
    labels = {v: text[v] for v in items}
    labels.update({"id": "Respondent ID", "gender": "Gender", "education": "Highest education",
                   "age": "Age in years", "other_specify": "Occupation: other (please specify)",
                   "country": "Country (ISO 3166 alpha-2)"})
    value_labels = {}
    for v in items:
        value_labels[v] = dict(SCALE)
        if v.startswith("A"):
            value_labels[v].update(MISSING_LABELS)
    value_labels["C1"][-9] = "Refused"
    value_labels["gender"] = {1: "Male", 2: "Female"}
    value_labels["education"] = dict(EDUCATION)
    missing = {v: [{"lo": 97, "hi": 99}] for v in ("A1", "A2", "A3", "A4", "A5")}
    missing["C1"] = [-9]
    measure = {v: "ordinal" for v in items}
    measure.update({"id": "scale", "gender": "nominal", "education": "ordinal", "age": "scale",
                    "other_specify": "nominal", "country": "nominal"})
    width = {v: 4 for v in items}
    width.update({"id": 6, "gender": 8, "education": 10, "age": 5, "other_specify": 50,
                  "country": 4})
    formats = {v: "F2.0" for v in items}
    formats.update({"id": "F4.0", "gender": "F1.0", "education": "F1.0", "age": "F3.0"})
    common = dict(file_label="bfi, first 300 rows (kith fixture written by pyreadstat)",
                  column_labels=labels, variable_value_labels=value_labels,
                  missing_ranges=missing, variable_display_width=width,
                  variable_measure=measure, variable_format=formats,
                  note="kith fixture: see tests/python/labelled.py")
    pyreadstat.write_sav(df, OUT / "bfi-pyreadstat.sav", row_compress=True, **common)
    pyreadstat.write_sav(df, OUT / "bfi-pyreadstat.zsav", compress=True, **common)

    # Stata: user-missing codes become extended missing values, written as the letter.
    sdf = df.copy()
    stata_labels = {}
    stata_missing = {}
    for v in items + ["gender", "education"]:
        stata_labels[v] = {}
        for code, label in value_labels[v].items():
            stata_labels[v][STATA_TAG.get(code, code)] = label
    for col, cells in CHANGES.items():
        sdf[col] = sdf[col].astype(object)
        for row, code in cells.items():
            sdf.loc[row - 1, col] = STATA_TAG[code]
        stata_missing[col] = sorted({STATA_TAG[c] for c in cells.values()})
    for col in ("A1", "A2", "A3", "A4", "A5"):
        stata_missing[col] = sorted(STATA_TAG[code] for code in (97, 98, 99))
    pyreadstat.write_dta(sdf, OUT / "bfi-pyreadstat.dta", version=15,
                         file_label=common["file_label"], column_labels=labels,
                         variable_value_labels=stata_labels, missing_user_values=stata_missing)
    for f in ("bfi-pyreadstat.sav", "bfi-pyreadstat.zsav", "bfi-pyreadstat.dta"):
        fix_timestamp(OUT / f)
        print(f"{f:36s} {(OUT / f).stat().st_size:7d} bytes")


# --- what the files declare ------------------------------------------------------------------

def sav_declared(path):
    """Magic, compression and the encoding fields of an SPSS dictionary."""
    b = path.read_bytes()
    magic = b[:4].decode()
    compression = struct.unpack_from("<i", b, 72)[0]
    pos = 176
    character_code = None
    encoding_record = None
    while True:
        (rec,) = struct.unpack_from("<i", b, pos)
        pos += 4
        if rec == 2:
            _, has_label, n_missing = struct.unpack_from("<3i", b, pos)
            pos += 28  # type, has_var_label, n_missing, print, write, name[8]
            if has_label:
                (n,) = struct.unpack_from("<i", b, pos)
                pos += 4 + (n + 3) // 4 * 4
            pos += 8 * abs(n_missing)
        elif rec == 3:
            (n,) = struct.unpack_from("<i", b, pos)
            pos += 4
            for _ in range(n):
                length = b[pos + 8]
                pos += 8 + (length + 1 + 7) // 8 * 8
        elif rec == 4:
            (n,) = struct.unpack_from("<i", b, pos)
            pos += 4 + 4 * n
        elif rec == 6:
            (n,) = struct.unpack_from("<i", b, pos)
            pos += 4 + 80 * n
        elif rec == 7:
            subtype, size, count = struct.unpack_from("<3i", b, pos)
            pos += 12
            if subtype == 3:
                character_code = struct.unpack_from("<8i", b, pos)[7]
            elif subtype == 20:
                encoding_record = b[pos:pos + count].decode("ascii")
            pos += size * count
        elif rec == 999:
            break
        else:
            raise ValueError(f"{path}: unknown record type {rec} at {pos - 4}")
    return {"magic": magic, "compression": compression, "character_code": character_code,
            "encoding_record": encoding_record}


def dta_release(path):
    head = path.read_bytes()[:64]
    m = re.search(rb"<release>(\d+)</release>", head)
    return int(m.group(1)) if m else head[0]


def haven_view(path, encoding):
    cmd = ["Rscript", "tests/r/labelled_read.R", str(path)]
    if encoding:
        cmd.append(f"--encoding={encoding}")
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode != 0:
        sys.exit(f"labelled.py: {' '.join(cmd)} failed:\n{res.stderr}")
    return json.loads(res.stdout)


def describe(name, written_by, haven_encoding):
    path = OUT / name
    if not path.exists():
        sys.exit(f"labelled.py: {path} is missing; run Rscript tests/r/labelled.R first")
    view = haven_view(path, haven_encoding)
    h = view["haven"]
    is_sav = view["format"] == "sav"
    reader = pyreadstat.read_sav if is_sav else pyreadstat.read_dta
    _, meta = reader(str(path), metadataonly=True)
    entry = {"file": name, "written_by": written_by, "format": view["format"]}
    if is_sav:
        entry["sav"] = sav_declared(path)
    else:
        entry["dta_release"] = dta_release(path)
    entry["encoding"] = meta.file_encoding
    entry["haven_encoding_arg"] = haven_encoding
    entry["file_label"] = h["file_label"]
    entry["n_rows"] = h["n_rows"]
    entry["columns"] = [{
        "name": c["name"],
        "type": c["type"],
        "label": c["label"],
        "format": c["format"],
        "value_labels": c["labels"],
        "na_values": c["na_values"],
        "na_range": c["na_range"],
        "n_user_missing": c["n_user_missing"],
        "values": c["values"],
    } for c in h["columns"]]
    return entry


# --- JSON with one line per array of scalars ------------------------------------------------

def dump(x, indent=0):
    pad = " " * indent
    if isinstance(x, dict):
        if not x:
            return "{}"
        inner = ",\n".join(f'{pad} {json.dumps(k)}: {dump(v, indent + 1)}' for k, v in x.items())
        return "{\n" + inner + "\n" + pad + "}"
    if isinstance(x, list) and any(isinstance(v, dict) for v in x):
        inner = ",\n".join(pad + " " + dump(v, indent + 1) for v in x)
        return "[\n" + inner + "\n" + pad + "]"
    return json.dumps(x, ensure_ascii=False, separators=(",", ":"))


ABOUT = (
    "What R's haven sees in each fixture of tests/data/labelled/, written by "
    "tests/python/labelled.py from `Rscript tests/r/labelled_read.R FILE` (after "
    "`Rscript tests/r/labelled.R`). Per column: type numeric/string; label = variable label; "
    "value_labels = [[code, label], ...] in file order, a Stata extended-missing code written as "
    "\".a\"...; na_values / na_range = SPSS user-missing declarations (Stata has none); "
    "values = read_sav(user_na = FALSE) / read_dta: every missing value (system, user-missing, "
    "Stata .a-.z) is null; haven trims trailing blanks of SPSS strings; n_user_missing = cells "
    "holding a declared user-missing code (SPSS) or an extended missing value .a-.z (Stata), "
    "system-missing not counted. encoding = pyreadstat's metadata.file_encoding (null for .dta: "
    "readstat reports none); sav = the file's own magic, compression (0 none, 1 bytecode, "
    "2 zlib), integer-info character_code and subtype-20 encoding record; haven_encoding_arg = "
    "the encoding passed to haven (bfi-haven-117.dta holds UTF-8 bytes in a release 117 file, "
    "which haven reads as windows-1252 by default and then fails on)."
)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    write_pyreadstat()
    legacy_codepage.main()
    r_versions = json.loads(subprocess.run(
        ["Rscript", "-e", 'cat(jsonlite::toJSON(list(R = paste(R.version$major, '
         'R.version$minor, sep = "."), haven = as.character(packageVersion("haven")), '
         'foreign = as.character(packageVersion("foreign")), jsonlite = '
         'as.character(packageVersion("jsonlite"))), auto_unbox = TRUE))'],
        capture_output=True, text=True, check=True).stdout)
    out = {
        "about": ABOUT,
        "tools": {**r_versions, "pyreadstat": pyreadstat.__version__, "pandas": pd.__version__},
        "files": [describe(*f) for f in FIXTURES],
    }
    (OUT / "expected.json").write_text(dump(out) + "\n", encoding="utf-8")
    print(f"{'expected.json':36s} {(OUT / 'expected.json').stat().st_size:7d} bytes")


if __name__ == "__main__":
    main()
