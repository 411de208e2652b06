# Prints, as JSON on stdout, what Python's pyreadstat sees in one SPSS (.sav/.zsav) or Stata
# (.dta) file, read with user_missing=True and with user_missing=False: kith's round-trip tests
# run it on files kith writes.
#
# Run from the repository root:   python3 tests/python/labelled_read.py FILE [--encoding=ENC]
# (--encoding is passed to pyreadstat's read_sav/read_dta.) Needs pyreadstat and pandas
# (pip install pyreadstat pandas). Exits 1 with a message on stderr when pyreadstat cannot
# read FILE.
#
# Output: {"file", "format": "sav"|"dta", "pyreadstat_version",
#          "user_missing_true": VIEW, "user_missing_false": VIEW}
# VIEW = {number_rows, number_columns, file_label, file_encoding, notes, column_names,
#         column_labels, variable_value_labels: {col: [[code, label], ...]},
#         missing_ranges: {col: [{lo, hi}, ...]}, missing_user_values: {col: [...]},
#         variable_measure, variable_display_width, variable_storage_width,
#         readstat_variable_types, original_variable_types,
#         values: {col: [...]}}
# Values: numbers as JSON numbers (whole floats as integers), strings as strings, missing as
# null; with user_missing=True, SPSS user-missing codes are kept as numbers and Stata's
# extended missing values appear as pyreadstat gives them, the letter ("a" for .a). In
# variable_value_labels a Stata extended-missing code is likewise the letter. Infinite numbers
# are written as the strings "Inf" / "-Inf".

import json
import math
import sys
from pathlib import Path


def fail(msg, code=1):
    print(f"labelled_read.py: {msg}", file=sys.stderr)
    sys.exit(code)


def scalar(v):
    if v is None:
        return None
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return v
    try:
        f = float(v)
    except (TypeError, ValueError):
        return str(v)
    if math.isnan(f):
        return None
    if math.isinf(f):
        return "Inf" if f > 0 else "-Inf"
    if f.is_integer() and abs(f) < 2**53:
        return int(f)
    return f


def view(reader, path, user_missing, encoding):
    kwargs = {"user_missing": user_missing, "output_format": "dict"}
    if encoding:
        kwargs["encoding"] = encoding
    data, meta = reader(path, **kwargs)
    values = {}
    for name in meta.column_names:
        values[name] = [scalar(v) for v in list(data[name])]
    missing_ranges = getattr(meta, "missing_ranges", {}) or {}
    return {
        "number_rows": meta.number_rows,
        "number_columns": meta.number_columns,
        "file_label": meta.file_label,
        "file_encoding": meta.file_encoding,
        "notes": list(meta.notes or []),
        "column_names": list(meta.column_names),
        "column_labels": list(meta.column_labels),
        "variable_value_labels": {
            col: [[scalar(k), v] for k, v in labels.items()]
            for col, labels in meta.variable_value_labels.items()
        },
        "missing_ranges": {
            col: [{"lo": scalar(r["lo"]), "hi": scalar(r["hi"])} for r in ranges]
            for col, ranges in missing_ranges.items()
        },
        "missing_user_values": {
            col: [scalar(v) for v in vals]
            for col, vals in (getattr(meta, "missing_user_values", {}) or {}).items()
        },
        "variable_measure": dict(meta.variable_measure),
        "variable_display_width": dict(meta.variable_display_width),
        "variable_storage_width": dict(getattr(meta, "variable_storage_width", {}) or {}),
        "readstat_variable_types": dict(meta.readstat_variable_types),
        "original_variable_types": dict(meta.original_variable_types),
        "values": values,
    }


def main():
    args = sys.argv[1:]
    enc = [a for a in args if a.startswith("--encoding=")]
    files = [a for a in args if not a.startswith("--encoding=")]
    if len(files) != 1:
        fail("usage: python3 tests/python/labelled_read.py FILE [--encoding=ENC]", 2)
    path = files[0]
    encoding = enc[0].split("=", 1)[1] if enc else None
    p = Path(path)
    if not p.is_file():
        fail(f"no such file: {path}")
    try:
        import pyreadstat
    except ImportError as e:
        fail(f"pyreadstat is not installed ({e}); pip install pyreadstat pandas")
    head = p.read_bytes()[:16]
    if head[:4] in (b"$FL2", b"$FL3"):
        fmt, reader = "sav", pyreadstat.read_sav
    elif head.startswith(b"<stata_dta>") or (head and 102 <= head[0] <= 115) \
            or p.suffix.lower() == ".dta":
        fmt, reader = "dta", pyreadstat.read_dta
    else:
        fmt, reader = "sav", pyreadstat.read_sav
    try:
        out = {
            "file": path,
            "format": fmt,
            "pyreadstat_version": pyreadstat.__version__,
            "user_missing_true": view(reader, path, True, encoding),
            "user_missing_false": view(reader, path, False, encoding),
        }
    except Exception as e:  # pyreadstat raises its own error types and OSError/ValueError
        fail(f"cannot read {path}: {type(e).__name__}: {e}")
    sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
