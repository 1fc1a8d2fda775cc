#!/usr/bin/env python3
"""Build the sample directory of police units and officers for TipBot.Server.

Reads the administrative-unit data of Đà Nẵng city (incl. the former Quảng Nam
province) from shared/data/admin-units and writes

    src/TipBot.Server/SampleDirectory/units.csv
    src/TipBot.Server/SampleDirectory/officers.csv

Usage:
    python3 scripts/build-sample-directory.py [ADMIN_UNITS_DIR] [--out OUT_DIR]

ADMIN_UNITS_DIR defaults to ../shared/data/admin-units relative to the repo root.
Standard library only. Output is deterministic, UTF-8 (NFC), LF, RFC 4180 quoting
only where needed.
"""

import argparse
import collections
import csv
import io
import os
import sys
import unicodedata

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_INPUT = os.path.join(REPO_ROOT, "..", "shared", "data", "admin-units")
DEFAULT_OUTPUT = os.path.join(REPO_ROOT, "src", "TipBot.Server", "SampleDirectory")

PROVINCE_CODE = "48"
PROVINCE_NAME = "Thành phố Đà Nẵng"
PROVINCE_ALIASES = ["Đà Nẵng", "TP Đà Nẵng", "Quảng Nam", "Tỉnh Quảng Nam"]

TYPE_MAP = {"phường": "ward", "xã": "commune", "đặc khu": "special_zone"}

# Order of alias groups inside a row; pairs short/full names of the same place.
GROUP_OWN = -1       # the unit's own short name, always first
GROUP_NEW = 0        # the unit's short name and its alternative spellings
GROUP_OLD_COMMUNE = 1
GROUP_OLD_DISTRICT = 2
GROUP_VARIANT = 3    # spelling variants found in the resolution text
KIND_GROUP = {
    "new_unit_name": GROUP_NEW,
    "old_commune_name(pre-2025)": GROUP_OLD_COMMUNE,
    "old_commune_full_name(pre-2025)": GROUP_OLD_COMMUNE,
    "old_district_name(pre-2025)": GROUP_OLD_DISTRICT,
    "old_district_full_name(pre-2025)": GROUP_OLD_DISTRICT,
    "spelling_variant_in_resolution": GROUP_VARIANT,
}
SKIPPED_KINDS = {"new_unit_full_name"}

# Longest first so that "Thị xã" wins over "Xã"-like partial matches.
TYPE_PREFIXES = sorted(
    ["Phường", "Xã", "Thị trấn", "Đặc khu", "Quận", "Huyện", "Thị xã", "Thành phố", "Tỉnh"],
    key=len, reverse=True)


def nfc(s):
    return unicodedata.normalize("NFC", s.strip())


def fold(s):
    """Diacritic-free lower-case key, used only for a stable, readable sort order."""
    s = s.replace("Đ", "D").replace("đ", "d")
    s = "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))
    return s.casefold()


def strip_type_prefix(name):
    for p in TYPE_PREFIXES:
        if name.startswith(p + " "):
            return name[len(p) + 1:], True
    return name, False


def alias_sort_key(group, alias):
    base, is_full = strip_type_prefix(alias)
    # short form before its full form(s); ties broken by the exact string
    return (group, fold(base), base, is_full, fold(alias), alias)


def read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return [{k: nfc(v or "") for k, v in row.items()} for row in csv.DictReader(f)]


def write_csv(path, header, rows):
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(header)
    for r in rows:
        w.writerow([unicodedata.normalize("NFC", str(v)) for v in r])
    data = buf.getvalue().encode("utf-8")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def code_key(code):
    return (len(code), code) if code.isdigit() else (sys.maxsize, code)


SPECIALIST_DEPARTMENTS = [
    ("48-PC04", "Phòng Cảnh sát điều tra tội phạm về ma túy"),
    ("48-PA05", "Phòng An ninh mạng và phòng chống tội phạm sử dụng công nghệ cao"),
    ("48-PC02", "Phòng Cảnh sát hình sự"),
    ("48-PC03", "Phòng Cảnh sát kinh tế"),
]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("input", nargs="?", default=DEFAULT_INPUT,
                    help="admin-units folder (default: ../shared/data/admin-units from the repo root)")
    ap.add_argument("--out", default=DEFAULT_OUTPUT,
                    help="output folder (default: src/TipBot.Server/SampleDirectory)")
    args = ap.parse_args(argv)

    communes = read_csv(os.path.join(args.input, "danang_2025_communes.csv"))
    alias_rows = read_csv(os.path.join(args.input, "danang_location_aliases.csv"))
    mapping = read_csv(os.path.join(args.input, "danang_quangnam_old_to_new_2025.csv"))

    units = {}
    for c in communes:
        code = c["code"]
        if code in units:
            sys.exit(f"duplicate unit code {code}")
        if c["type"] not in TYPE_MAP:
            sys.exit(f"unknown unit type {c['type']!r} for {code}")
        units[code] = c

    # aliases per unit: alias -> lowest group it was seen in
    aliases = collections.defaultdict(dict)

    def add(code, alias, group):
        if not alias or "|" in alias:
            sys.exit(f"bad alias {alias!r} for {code}")
        if alias == units[code]["full_name"]:
            return  # never the unit's own name
        prev = aliases[code].get(alias)
        if prev is None or group < prev:
            aliases[code][alias] = group

    for code, c in units.items():
        add(code, c["name"], GROUP_OWN)
        for alt in c.get("name_alt_v3_0_2", "").split(";"):
            if alt.strip():
                add(code, nfc(alt), GROUP_NEW)

    unknown_kinds = collections.Counter()
    for r in alias_rows:
        code, kind = r["new_code"], r["kind"]
        if kind in SKIPPED_KINDS:
            continue
        if code not in units:
            sys.exit(f"alias {r['alias']!r} points to unknown unit {code!r}")
        if kind not in KIND_GROUP:
            unknown_kinds[kind] += 1
            group = GROUP_VARIANT
        else:
            group = KIND_GROUP[kind]
        add(code, r["alias"], group)

    # Consistency check against the old -> new mapping (the alias file is derived from it).
    missing = []
    for m in mapping:
        code = m["new_code"]
        if not code:
            continue
        if code not in units:
            sys.exit(f"mapping points to unknown unit {code!r}")
        for n in (m["old_name"], m["old_district_name"]):
            if n and n != units[code]["full_name"] and n not in aliases[code]:
                missing.append((code, n))

    unit_rows = [[PROVINCE_CODE, PROVINCE_NAME, "province", "", "|".join(PROVINCE_ALIASES)]]
    for code in sorted(units, key=code_key):
        c = units[code]
        groups = aliases[code]
        # a full form ("Quận Liên Chiểu") follows its short form ("Liên Chiểu") when both exist
        eff = {}
        for a, g in groups.items():
            base, is_full = strip_type_prefix(a)
            eff[a] = max(min(g, groups.get(base, g)), GROUP_NEW) if is_full else g
        ordered = sorted(eff.items(), key=lambda kv: alias_sort_key(kv[1], kv[0]))
        unit_rows.append([code, c["full_name"], TYPE_MAP[c["type"]], PROVINCE_CODE,
                          "|".join(a for a, _ in ordered)])

    officer_rows = [[f"web-{code}", f"Cán bộ trực {units[code]['full_name']}", code,
                     "officer", "web", f"officer-{code}", ""]
                    for code in sorted(units, key=code_key)]
    officer_rows.append(["web-48-desk", "Trực ban Công an thành phố Đà Nẵng", PROVINCE_CODE,
                         "duty_desk", "web", "duty-desk-48", ""])

    # City-level specialist departments (Routing:Specialists in appsettings.json): no place, no aliases.
    for code, name in SPECIALIST_DEPARTMENTS:
        unit_rows.append([code, name, "department", PROVINCE_CODE, ""])
        officer_rows.append([f"web-{code.lower()}", f"Trực ban {name}", code,
                             "duty_desk", "web", f"duty-desk-{code.lower()}", ""])

    write_csv(os.path.join(args.out, "units.csv"),
              ["code", "name", "type", "parent_code", "aliases"], unit_rows)
    write_csv(os.path.join(args.out, "officers.csv"),
              ["id", "full_name", "unit_code", "role", "channel", "chat_id", "phone"], officer_rows)

    # ---- summary
    owners = collections.defaultdict(set)
    for row in unit_rows:
        for a in row[4].split("|"):
            owners[a].add(row[0])
    shared = {a: cs for a, cs in owners.items() if len(cs) > 1}
    per_unit = sorted(((len(aliases[c]), c) for c in units), key=lambda t: (-t[0], code_key(t[1])))
    print(f"input:    {os.path.normpath(args.input)}")
    print(f"output:   {os.path.normpath(args.out)}")
    print(f"units:    {len(unit_rows)} rows (1 province + {len(units)} new units: "
          + ", ".join(f"{n} {t}" for t, n in sorted(
              collections.Counter(TYPE_MAP[u['type']] for u in units.values()).items())) + ")")
    print(f"officers: {len(officer_rows)} rows")
    print(f"aliases:  {sum(n for n, _ in per_unit)} in total")
    print("most aliases: " + ", ".join(
        f"{units[c]['full_name']} ({c}) {n}" for n, c in per_unit[:5]))
    print(f"aliases shared by several units: {len(shared)}")
    if unknown_kinds:
        print(f"warning: unknown alias kinds treated as variants: {dict(unknown_kinds)}")
    if missing:
        print(f"warning: {len(missing)} mapping names missing from the alias file: {missing[:5]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
