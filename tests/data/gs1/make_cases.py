#!/usr/bin/env python3
"""Generates the project's own GS1 test cases: `cases.tsv` and `dl_cases.tsv`.

Our own code. It reads the GS1 Barcode Syntax Dictionary (`gs1-syntax-dictionary.txt`
beside this script) to pick Application Identifiers and to build valid values from each
AI's component specification (N/X/Y, fixed or variable length, optional components,
linters such as `csum`, `yymmd0`, `hhmi`, `iso3166`) and from its `req=` / `ex=` rules.
Invalid cases are made from valid ones by exactly one targeted mutation each. Every case
is checked by a small reference validator in this file before it is written, and the
verdicts can be compared with independent peers (biip, BWIPP in bwip-js, the GS1 Syntax
Engine) and with the project's own parser. See README.md beside this script for the
columns and the exact commands.

Output is deterministic for a given `--seed` (Python 3's `random.Random` with an integer
seed; no set iteration order, clock or environment enters the output).

Usage (from the repository root):

    python3 tests/data/gs1/make_cases.py                  # peer columns "-"
    PEERS_PYTHON/bin/python tests/data/gs1/make_cases.py \
        --bwip-js /tmp/peers-npm --gs1engine-lib /tmp/gs1engine/src/c-lib/build/libgs1encoders.so
    python3 tests/data/gs1/make_cases.py --check-only --packbench target/debug/packbench
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import random
import subprocess
import sys
from dataclasses import dataclass, field
from typing import Callable, Optional

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SEED = 20260127
GS = "\x1d"
GS_ESCAPE = "\\x1d"
PEER_TEXT_MAX = 97  # peer messages are cut to this many characters

DIGITS = "0123456789"
UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
LOWER = "abcdefghijklmnopqrstuvwxyz"
CSET82 = set("!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz")
CSET39 = set("#-/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
CSET64 = set(UPPER + LOWER + DIGITS + "-_")
# Punctuation drawn for generated text: CSET 82 without `"` (kept out of the TSV files) and
# without `(` `)` (they would need escaping in the bracketed form).
TEXT_PUNCT = "!%&'*+,-./:;<=>?_"
# Characters outside CSET 82 used for CSET82 mutations.
NOT_CSET82 = [" ", "#", "$", "@", "[", "]", "^", "`", "{", "}", "~", "\u00d6", "\u00e9", "\u00b5"]

# Code lists: only codes the generator draws, each known to be assigned (or known not to be).
# The reference validator refuses any other code instead of guessing.
ISO3166_NUMERIC_ASSIGNED = [
    "036", "040", "056", "076", "124", "156", "203", "208", "246", "250", "276", "300", "348",
    "356", "372", "380", "392", "410", "484", "528", "554", "578", "616", "620", "642", "724",
    "752", "756", "792", "826", "840",
]
ISO3166_NUMERIC_UNASSIGNED = ["000", "001", "003", "006", "007", "900", "950", "987", "998"]
ISO3166_ALPHA2_ASSIGNED = [
    "AT", "AU", "BE", "CA", "CH", "CZ", "DE", "DK", "ES", "FI", "FR", "GB", "IE", "IT", "JP",
    "NL", "NO", "PL", "PT", "SE", "US",
]
ISO3166_ALPHA2_UNASSIGNED = ["AA", "QQ", "UK", "XX", "ZZ"]

# Linters whose AIs the generator can build values for (and the reference validator check).
SUPPORTED_LINTERS = {
    "csum", "gcppos1", "gcppos2", "yymmd0", "yymmdd", "yyyymmd0", "yyyymmdd", "hhmi", "hh",
    "mi", "ss", "iso3166", "iso3166999", "iso3166alpha2", "nonzero", "zero", "winding",
    "yesno", "hyphen", "pieceoftotal", "nozeroprefix", "pcenc", "latitude", "longitude",
    "iso5218", "importeridx",
}
# AIs left out of random messages although their linters are supported: the digital
# signature (8030) has extra rules of its own.
EXCLUDED_FROM_POOL = {"8030"}

YEARS = list(range(25, 36))  # 2025..2035: far from any two-digit-year window edge
LEAP_YEARS = [y for y in YEARS if y % 4 == 0]
NON_LEAP_YEARS = [y for y in YEARS if y % 4 != 0]


# --------------------------------------------------------------------------------------
# The Syntax Dictionary
# --------------------------------------------------------------------------------------


@dataclass
class Component:
    """One component of an AI's format: `N13,csum`, `[X..17]`, ..."""

    cset: str
    min: int
    max: int
    optional: bool
    linters: list

    @property
    def fixed(self) -> bool:
        return self.min == self.max


@dataclass
class Entry:
    """One dictionary line: an AI or AI range with its format and rules."""

    first: str
    last: str
    predefined: bool
    dl_attr: bool
    comps: list
    req: list  # rules; a rule is a list of alternatives; an alternative a list of patterns
    ex: list
    dlpkey: Optional[list]  # None: not a primary key; else qualifier sequences
    title: str

    def ais(self) -> list:
        width = len(self.first)
        return [str(n).zfill(width) for n in range(int(self.first), int(self.last) + 1)]

    @property
    def min_len(self) -> int:
        return sum(c.min for c in self.comps if not c.optional)

    @property
    def max_len(self) -> int:
        return sum(c.max for c in self.comps)

    def supported(self) -> bool:
        return all(l in SUPPORTED_LINTERS for c in self.comps for l in c.linters) and all(
            c.cset in "NXY" for c in self.comps
        )

    def qualifiers(self) -> list:
        return sorted({q for seq in (self.dlpkey or []) for q in seq})


def parse_component(token: str) -> Component:
    optional = token.startswith("[")
    body, _, linters = token.lstrip("[").partition(",")
    if "]" in body:
        body = body.replace("]", "")
    cset, spec = body[0], body[1:]
    if spec.startswith(".."):
        lo, hi = 1, int(spec[2:])
    else:
        lo = hi = int(spec)
    return Component(cset, lo, hi, optional, [l for l in linters.split(",") if l])


def parse_dictionary(path: str) -> list:
    entries = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            body, _, title = line.partition("#")
            tokens = body.split()
            ais = tokens.pop(0)
            first, _, last = ais.partition("-")
            flags = ""
            if tokens and not tokens[0][0] in "NXYZ[":
                flags = tokens.pop(0)
            comps, req, ex, dlpkey = [], [], [], None
            for tok in tokens:
                if tok.startswith("req="):
                    req.append([alt.split("+") for alt in tok[4:].split(",")])
                elif tok.startswith("ex="):
                    ex.extend(tok[3:].split(","))
                elif tok == "dlpkey":
                    dlpkey = []
                elif tok.startswith("dlpkey="):
                    dlpkey = [seq.split(",") for seq in tok[7:].split("|")]
                else:
                    comps.append(parse_component(tok))
            entries.append(
                Entry(first, last or first, "*" in flags, "?" in flags, comps, req, ex, dlpkey,
                      title.strip())
            )
    return entries


class Dictionary:
    def __init__(self, path: str):
        self.entries = parse_dictionary(path)
        self.by_ai = {}
        for e in self.entries:
            for ai in e.ais():
                self.by_ai[ai] = e

    def lookup(self, ai: str) -> Optional[Entry]:
        return self.by_ai.get(ai)

    def ai_at(self, data: str, pos: int):
        """The assigned AI that starts at `pos` (AIs are prefix-free), or None."""
        for n in (2, 3, 4):
            cand = data[pos:pos + n]
            if len(cand) == n and cand.isdigit() and cand.isascii() and cand in self.by_ai:
                return cand
        return None

    def is_incomplete_ai(self, digits: str) -> bool:
        return any(len(ai) > len(digits) and ai.startswith(digits) for ai in self.by_ai)

    def unassigned_ais(self) -> list:
        """2-4 digit AIs that are not assigned and that no assigned AI is a prefix of."""
        out = []
        for width in (2, 3, 4):
            for n in range(10 ** width):
                cand = str(n).zfill(width)
                if any(cand[:k] in self.by_ai for k in range(2, width + 1)):
                    continue
                if width < 4 and self.is_incomplete_ai(cand):
                    continue  # would read as the start of a longer assigned AI
                out.append(cand)
        return out


def pattern_matches(pattern: str, ai: str) -> bool:
    return len(pattern) == len(ai) and all(p == a or (p == "n" and a.isdigit())
                                           for p, a in zip(pattern, ai))


# --------------------------------------------------------------------------------------
# Reference validator (what a correct parser must conclude; one reason code per failure)
# --------------------------------------------------------------------------------------


class Unsupported(Exception):
    """The validator met something it deliberately does not judge."""


def check_digit(body: str) -> str:
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return str((10 - total % 10) % 10)


def days_in_month(year: int, month: int) -> int:
    if month in (1, 3, 5, 7, 8, 10, 12):
        return 31
    if month in (4, 6, 9, 11):
        return 30
    if month == 2:
        return 29 if (year % 4 == 0 and year % 100 != 0) or year % 400 == 0 else 28
    return 0


def date_ok(text: str, year_digits: int, day_zero: bool) -> bool:
    if len(text) != year_digits + 4 or not text.isdigit():
        return False
    year = int(text[:year_digits])
    if year_digits == 2:
        if not 20 <= year <= 60:
            raise Unsupported(f"two-digit year {year} outside the range the generator uses")
        year += 2000
    month, day = int(text[year_digits:year_digits + 2]), int(text[year_digits + 2:])
    if not 1 <= month <= 12:
        return False
    if day == 0:
        return day_zero
    return day <= days_in_month(year, month)


def lint(name: str, part: str) -> Optional[str]:
    """Runs one linter on one component; a reason code when it fails."""
    if name == "csum":
        return None if check_digit(part[:-1]) == part[-1] else "CHECK_DIGIT"
    if name in ("gcppos1", "gcppos2"):
        start = 0 if name == "gcppos1" else 1
        return None if part[start:start + 4].isdigit() and len(part) >= start + 4 else "BAD_VALUE"
    if name in ("yymmd0", "yymmdd", "yyyymmd0", "yyyymmdd"):
        ok = date_ok(part, 4 if name.startswith("yyyy") else 2, name.endswith("d0"))
        return None if ok else "BAD_DATE"
    if name == "hhmi":
        return None if int(part[:2]) <= 23 and int(part[2:]) <= 59 else "BAD_TIME"
    if name == "hh":
        return None if int(part) <= 23 else "BAD_TIME"
    if name in ("mi", "ss"):
        return None if int(part) <= 59 else "BAD_TIME"
    if name in ("iso3166", "iso3166999"):
        if part in ISO3166_NUMERIC_ASSIGNED or (name == "iso3166999" and part == "999"):
            return None
        if part in ISO3166_NUMERIC_UNASSIGNED or part == "999":
            return "NOT_ISO3166"
        raise Unsupported(f"country code {part} not in the generator's lists")
    if name == "iso3166alpha2":
        if part in ISO3166_ALPHA2_ASSIGNED:
            return None
        if part in ISO3166_ALPHA2_UNASSIGNED:
            return "NOT_ISO3166"
        raise Unsupported(f"country code {part} not in the generator's lists")
    if name == "nonzero":
        return None if part.strip("0") else "BAD_VALUE"
    if name == "zero":
        return None if part and not part.strip("0") else "BAD_VALUE"
    if name == "winding":
        return None if part in ("0", "1", "9") else "NOT_IN_CODE_LIST"
    if name == "yesno":
        return None if part in ("0", "1") else "NOT_IN_CODE_LIST"
    if name == "iso5218":
        return None if part in ("0", "1", "2", "9") else "NOT_IN_CODE_LIST"
    if name == "hyphen":
        return None if part and set(part) == {"-"} else "BAD_VALUE"
    if name == "importeridx":
        return None if len(part) == 1 and (part.isalnum() or part in "-_") else "NOT_IN_CODE_LIST"
    if name == "nozeroprefix":
        return None if part[:1] != "0" else "BAD_VALUE"
    if name == "pieceoftotal":
        half = len(part) // 2
        piece, total = part[:half], part[half:]
        ok = len(part) % 2 == 0 and piece.strip("0") and total.strip("0") and piece <= total
        return None if ok else "BAD_VALUE"
    if name == "pcenc":
        i = 0
        while i < len(part):
            if part[i] == "%":
                if not all(c in "0123456789abcdefABCDEF" for c in part[i + 1:i + 3]) or i + 3 > len(part):
                    return "BAD_VALUE"
                i += 3
            else:
                i += 1
        return None
    if name == "latitude":
        return None if int(part) <= 1800000000 else "BAD_VALUE"
    if name == "longitude":
        return None if int(part) <= 3600000000 else "BAD_VALUE"
    raise Unsupported(f"linter {name}")


def cset_code(cset: str) -> str:
    return {"N": "NON_DIGIT", "X": "CSET82", "Y": "CSET39", "Z": "CSET64"}[cset]


def cset_ok(cset: str, text: str) -> bool:
    allowed = {"N": set(DIGITS), "X": CSET82, "Y": CSET39, "Z": CSET64}[cset]
    return all(c in allowed for c in text)


class Validator:
    def __init__(self, dic: Dictionary):
        self.dic = dic

    def check_value(self, ai: str, value: str) -> Optional[str]:
        entry = self.dic.lookup(ai)
        if entry is None:
            return "UNKNOWN_AI"
        if value == "":
            return "EMPTY_VALUE"
        for i, c in enumerate(value):
            if not c.isascii():
                start = 0
                for comp in entry.comps:
                    start += comp.max
                    if i < start:
                        return cset_code(comp.cset)
                return cset_code(entry.comps[-1].cset)
        if len(value) < entry.min_len:
            return "TOO_SHORT"
        if len(value) > entry.max_len:
            return "TOO_LONG"
        pos = 0
        for comp in entry.comps:
            remaining = len(value) - pos
            if remaining == 0 and comp.optional:
                break
            take = comp.max if comp.fixed else min(remaining, comp.max)
            if remaining < take or take < comp.min:
                return "TOO_SHORT"
            part = value[pos:pos + take]
            if not cset_ok(comp.cset, part):
                return cset_code(comp.cset)
            for name in comp.linters:
                code = lint(name, part)
                if code:
                    return code
            pos += take
        if pos < len(value):
            return "TOO_LONG"
        return None

    def check_message(self, elements: list) -> Optional[str]:
        """Repeated AIs with different values, then `ex=`, then `req=` (one code)."""
        for i, (ai, value) in enumerate(elements):
            if any(b == ai and v != value for b, v in elements[i + 1:]):
                return "DUP_AI_CONFLICT"
        present = [ai for ai, _ in elements]
        for ai in present:
            entry = self.dic.lookup(ai)
            if any(o != ai and pattern_matches(p, o) for p in entry.ex for o in present):
                return "EXCLUSIVE"
        for ai in present:
            for rule in self.dic.lookup(ai).req:
                if not any(all(any(pattern_matches(p, o) for o in present) for p in alt)
                           for alt in rule):
                    return "MISSING_REQ"
        return None

    def check_elements(self, elements: list) -> Optional[str]:
        for ai, value in elements:
            code = self.check_value(ai, value)
            if code:
                return code
        return self.check_message(elements)

    # -- the three input forms -----------------------------------------------------------

    def parse_bracketed(self, text: str):
        """(elements, None) or (None, reason code)."""
        fields, pos = [], 0
        while pos < len(text):
            if text[pos] != "(":
                return None, "BAD_SYNTAX"
            close = text.find(")", pos)
            if close < 0:
                return None, "BAD_SYNTAX"
            ai = text[pos + 1:close]
            if not (ai.isdigit() and ai.isascii() and 2 <= len(ai) <= 4):
                return None, "BAD_SYNTAX"
            nxt = text.find("(", close)
            nxt = len(text) if nxt < 0 else nxt
            fields.append((ai, text[close + 1:nxt]))
            pos = nxt
        if not fields:
            return None, "BAD_SYNTAX"
        for ai, value in fields:
            code = self.check_value(ai, value)
            if code:
                return None, code
        code = self.check_message(fields)
        return (None, code) if code else (fields, None)

    def parse_raw(self, data: str, check_rules: bool = True):
        """A raw element string (GS already real), without symbology identifier."""
        if len(data) < 2 or not data[:2].isdigit():
            return None, "NOT_GS1"
        elements, pos = [], 0
        while pos < len(data):
            if data[pos] == GS:
                return None, "BAD_SYNTAX"
            ai = self.dic.ai_at(data, pos)
            field_end = data.find(GS, pos)
            field_end = len(data) if field_end < 0 else field_end
            if ai is None:
                rest = data[pos:field_end]
                if elements and self.dic.lookup(elements[-1][0]).predefined and len(rest) < 2:
                    return None, "TOO_LONG"
                return None, "UNKNOWN_AI"
            entry = self.dic.lookup(ai)
            start = pos + len(ai)
            if entry.predefined:
                end = min(start + entry.max_len, field_end)
            else:
                end = field_end
            value = data[start:end]
            code = self.check_value(ai, value)
            if code:
                return None, code
            elements.append((ai, value))
            pos = end
            if pos < len(data) and data[pos] == GS:
                pos += 1
        if check_rules:
            code = self.check_message(elements)
            if code:
                return None, code
        return elements, None

    def parse_scan(self, scan: str):
        """Any scan as the project's parser takes it: (elements, None) or (None, code)."""
        if scan.startswith("]") and len(scan) >= 3:
            sym, data = scan[:3], scan[3:]
            if sym in ("]d2", "]C1", "]Q3", "]e0", "]J1"):
                return self.parse_raw(data)
            if sym in ("]Q1", "]d1", "]J0") and data.lower().startswith(("http://", "https://")):
                return self.parse_dl(data)
            return None, "NOT_GS1"
        if scan.startswith("("):
            return self.parse_bracketed(scan)
        if scan.lower().startswith(("http://", "https://")):
            return self.parse_dl(scan)  # an http(s) URI: a Digital Link attempt
        return self.parse_raw(scan)  # anything else (also other URI schemes) must be raw data

    def parse_dl(self, uri: str):
        """A GS1 Digital Link URI: primary key, qualifiers (path), attributes (query)."""
        scheme, sep, rest = uri.partition("://")
        if not sep:
            return None, "BAD_URI"
        if scheme not in ("http", "https", "HTTP", "HTTPS"):
            return None, "BAD_SCHEME"
        rest = rest.split("#", 1)[0]
        rest, _, query = rest.partition("?")
        slash = rest.find("/")
        if slash <= 0:
            return None, "NO_PRIMARY_KEY"
        path = rest[slash:]
        if len(path) > 1 and path.endswith("/"):
            return None, "TRAILING_SLASH"
        segs = path.split("/")[1:]
        key_at, end = None, len(segs)
        while end >= 2:
            cand = segs[end - 2]
            entry = self.dic.lookup(cand)
            if entry is not None and entry.dlpkey is not None:
                key_at = end - 2
                break
            if entry is None:
                if cand.isdigit() and 2 <= len(cand) <= 4 and end == len(segs):
                    return None, "UNKNOWN_AI"
                break
            end -= 2
        if key_at is None:
            return None, "NO_PRIMARY_KEY"
        key, key_entry = segs[key_at], self.dic.lookup(segs[key_at])
        decoded = []
        for seg in segs[key_at + 1:]:
            d = percent_decode(seg)
            if d is None:
                return None, "BAD_PERCENT_ESCAPE"
            decoded.append(d)
        key_value = decoded[0]
        if key == "01" and len(key_value) in (8, 12, 13) and key_value.isdigit():
            return None, "ZERO_SUPPRESSED_GTIN"
        elements = [(key, key_value)]
        quals = segs[key_at + 2::2]
        if quals:
            seqs = key_entry.dlpkey
            if not seqs:
                return None, "NO_QUALIFIER_ALLOWED"
            if any(q not in key_entry.qualifiers() for q in quals):
                return None, "INVALID_QUALIFIER"
            in_one = [s for s in seqs if all(q in s for q in quals)]
            if not in_one:
                return None, "QUALIFIER_MIX"
            if not any([s.index(q) for q in quals] == sorted(s.index(q) for q in quals)
                       and len(set(quals)) == len(quals) for s in in_one):
                return None, "QUALIFIER_ORDER"
        for q, v in zip(segs[key_at + 2::2], decoded[2::2]):
            if any(a == q for a, _ in elements):
                return None, "DUP_AI"
            elements.append((q, v))
        for param in [p for p in query.split("&") if p]:
            name, _, value = param.partition("=")
            if not (name.isdigit() and name.isascii()):
                continue
            entry = self.dic.lookup(name)
            if entry is None:
                return None, "UNKNOWN_AI"
            if any(a == name for a, _ in elements):
                return None, "DUP_AI"
            if name in key_entry.qualifiers():
                return None, "QUALIFIER_AS_ATTRIBUTE"
            if not entry.dl_attr:
                return None, "NOT_DL_ATTRIBUTE"
            value = percent_decode(value)
            if value is None:
                return None, "BAD_PERCENT_ESCAPE"
            elements.append((name, value))
        for ai, value in elements:
            code = self.check_value(ai, value)
            if code:
                return None, code
        code = self.check_message(elements)
        return (None, code) if code else (elements, None)

    def swallowed_tail(self, value: str, first: int = 1) -> bool:
        """Whether some tail of `value` from index `first` on reads as complete, valid
        element strings: in raw data such a value cannot be told apart from a lost GS
        separator. Only the variable-length last component can swallow data, so `first` is
        where it starts (at least 1)."""
        for start in range(max(1, first), len(value) - 2):
            if value[start:start + 2].isdigit():
                try:
                    els, code = self.parse_raw(value[start:], check_rules=False)
                except Unsupported:
                    return True  # cannot tell: treat as ambiguous
                if code is None and els:
                    return True
        return False


def percent_decode(text: str) -> Optional[str]:
    out, i = bytearray(), 0
    raw = text.encode("utf-8")
    while i < len(raw):
        if raw[i:i + 1] == b"%":
            hexd = raw[i + 1:i + 3].decode("ascii", "replace")
            if len(hexd) != 2 or not all(c in "0123456789abcdefABCDEF" for c in hexd):
                return None
            out.append(int(hexd, 16))
            i += 3
        else:
            out.append(raw[i])
            i += 1
    try:
        return out.decode("utf-8")
    except UnicodeDecodeError:
        return None


UNRESERVED = set(UPPER + LOWER + DIGITS + "-._~")


def percent_encode(value: str, keep: str = "") -> str:
    return "".join(c if c in UNRESERVED or c in keep else "".join(f"%{b:02X}" for b in c.encode())
                   for c in value)


# --------------------------------------------------------------------------------------
# Value and message generation
# --------------------------------------------------------------------------------------

# Realistic starts of generated text values, per AI (the rest is random).
TEXT_PREFIXES = {
    "10": ["", "L", "LOT", "B", "CH", "X"],
    "21": ["", "", "SN", "S", "P"],
    "22": ["", "V"],
    "240": ["", "ADD-"],
    "241": ["", "CP-"],
    "400": ["PO-", "ORD", "4711-"],
    "403": ["RT", "ROUTE-"],
    "420": ["", ""],
}
# Usual lengths of some text values (min, max); the full range is drawn now and then.
TEXT_LENGTHS = {"10": (3, 10), "21": (4, 16), "22": (1, 4), "240": (4, 12), "400": (4, 12)}


class Generator:
    def __init__(self, dic: Dictionary, rng: random.Random):
        self.dic = dic
        self.rng = rng
        self.val = Validator(dic)
        self.pool = sorted(ai for ai, e in dic.by_ai.items()
                           if e.supported() and ai not in EXCLUDED_FROM_POOL)
        self.pool_set = set(self.pool)

    # -- values ------------------------------------------------------------------------

    def digits(self, n: int) -> str:
        return "".join(self.rng.choice(DIGITS) for _ in range(n))

    def text(self, n: int, ai: str = "", punct: float = 0.04, lower: float = 0.06) -> str:
        prefix = self.rng.choice(TEXT_PREFIXES.get(ai, [""]))[:n]
        if ai in TEXT_LENGTHS and self.rng.random() < 0.7:
            punct = lower = 0.0  # most lots and serials: upper case and digits only
        out = prefix
        while len(out) < n:
            r = self.rng.random()
            if r < punct and out:
                out += self.rng.choice(TEXT_PUNCT)
            elif r < punct + lower:
                out += self.rng.choice(LOWER)
            elif r < 0.55:
                out += self.rng.choice(UPPER)
            else:
                out += self.rng.choice(DIGITS)
        return out

    def date(self, year_digits: int = 2, day_zero: bool = False, years=None) -> str:
        if year_digits == 4:
            year = self.rng.randint(1950, 2024)
        else:
            year = self.rng.choice(years or YEARS)
        month = self.rng.randint(1, 12)
        day = self.rng.randint(1, days_in_month(2000 + year if year_digits == 2 else year, month))
        if day_zero and self.rng.random() < 0.2:
            day = 0
        y = str(year).zfill(year_digits)
        return f"{y}{month:02d}{day:02d}"

    def gs1_key(self, n: int, ai: str) -> str:
        """A numeric key of `n` digits with a valid check digit and a GS1 example prefix (950)."""
        if ai in ("01", "02", "03", "8006", "8026") and n == 14:
            style = self.rng.random()
            if style < 0.1:
                body = "000000" + self.digits(7)  # GTIN-8 padded
            elif style < 0.2:
                body = "00" + self.digits(11)  # GTIN-12 padded
            else:
                body = self.rng.choice("0000011234") + "950" + self.digits(9)
        elif ai == "00":
            body = self.rng.choice("0123") + "950" + self.digits(13)
        else:
            body = "950" + self.digits(n - 4)
        return body + check_digit(body)

    def component(self, ai: str, comp: Component, length: Optional[int] = None) -> str:
        rng = self.rng
        if length is None:
            if comp.fixed:
                length = comp.max
            elif rng.random() < 0.05:
                length = comp.max
            elif ai in TEXT_LENGTHS:
                length = rng.randint(*TEXT_LENGTHS[ai])
            else:
                length = rng.randint(comp.min, max(comp.min, min(comp.max, rng.choice([4, 6, 8, 10, 12]))))
        ls = comp.linters
        if "csum" in ls:
            return self.gs1_key(length, ai)
        for d in ("yymmd0", "yymmdd", "yyyymmd0", "yyyymmdd"):
            if d in ls:
                return self.date(4 if d.startswith("yyyy") else 2, d.endswith("d0"))
        if "hhmi" in ls:
            return f"{rng.randint(0, 23):02d}{rng.randint(0, 59):02d}"
        if "hh" in ls:
            return f"{rng.randint(0, 23):02d}"
        if "mi" in ls or "ss" in ls:
            return f"{rng.randint(0, 59):02d}"
        if "iso3166" in ls:
            return rng.choice(ISO3166_NUMERIC_ASSIGNED)
        if "iso3166999" in ls:
            return rng.choice(ISO3166_NUMERIC_ASSIGNED + ["999"])
        if "iso3166alpha2" in ls:
            return rng.choice(ISO3166_ALPHA2_ASSIGNED)
        if "zero" in ls:
            return "0" * length
        if "winding" in ls:
            return rng.choice("019")
        if "yesno" in ls:
            return rng.choice("01")
        if "iso5218" in ls:
            return rng.choice("0129")
        if "hyphen" in ls:
            return "-"
        if "importeridx" in ls:
            return rng.choice(UPPER + DIGITS + "-_")
        if "pieceoftotal" in ls:
            half = length // 2
            total = rng.randint(1, 10 ** half - 1)
            piece = rng.randint(1, total)
            return str(piece).zfill(half) + str(total).zfill(half)
        if "latitude" in ls:
            return str(rng.randint(0, 1800000000)).zfill(10)
        if "longitude" in ls:
            return str(rng.randint(0, 3600000000)).zfill(10)
        if comp.cset == "N":
            out = self.digits(length)
            if "nonzero" in ls and not out.strip("0"):
                out = out[:-1] + "1"
            if "nozeroprefix" in ls and out[0] == "0":
                out = "1" + out[1:]
            return out
        if comp.cset == "Y":
            # CSET 39 (the CPID): a company prefix and a reference of at least two characters
            out = "950" + self.digits(1)
            while len(out) < max(length, 6):
                out += rng.choice(sorted(CSET39))
            return out
        # CSET 82 text
        if "gcppos1" in ls:
            length = max(length, 5)
            return "950" + self.digits(2) + self.text(length - 5, punct=0.05)
        if "pcenc" in ls:
            words = [self.text(rng.randint(2, 7), punct=0, lower=0.5) for _ in range(rng.randint(1, 3))]
            out = "%20".join(words)
            return out[:comp.max] if lint("pcenc", out[:comp.max]) is None else words[0][:comp.max]
        return self.text(length, ai)

    def value(self, ai: str) -> str:
        entry = self.dic.lookup(ai)
        for _ in range(200):
            parts = []
            for comp in entry.comps:
                if comp.optional and self.rng.random() < 0.5:
                    break
                parts.append(self.component(ai, comp))
            value = "".join(parts)
            last = entry.comps[len(parts) - 1]
            if not last.fixed and last.cset != "N" and self.val.swallowed_tail(value, len(value) - len(parts[-1])):
                continue
            if self.val.check_value(ai, value) is None:
                return value
        raise RuntimeError(f"cannot build a value for ({ai})")

    # -- messages ----------------------------------------------------------------------

    def choose(self, ais: list) -> str:
        """One of `ais`, each dictionary entry (AI or AI range) equally likely."""
        groups = {}
        for ai in ais:
            groups.setdefault(self.dic.lookup(ai).first, []).append(ai)
        return self.rng.choice(groups[self.rng.choice(sorted(groups))])

    def compatible(self, ai: str, present: list) -> bool:
        entry = self.dic.lookup(ai)
        for o in present:
            if o == ai:
                return False
            if any(pattern_matches(p, o) for p in entry.ex):
                return False
            if any(pattern_matches(p, ai) for p in self.dic.lookup(o).ex):
                return False
        every = present + [ai]
        return all(any(all(any(pattern_matches(p, o) for o in every) for p in alt) for alt in rule)
                   for rule in entry.req)

    def message(self, anchors: list, extras: int, prefer: Optional[list] = None,
                weight_prefer: float = 0.8, shuffle: float = 0.15) -> list:
        """A valid message: the anchor AIs plus `extras` compatible AIs from the pool."""
        for _ in range(500):
            present = list(anchors)
            for _ in range(extras):
                source = prefer if prefer and self.rng.random() < weight_prefer else self.pool
                cands = [a for a in source if a in self.pool_set and self.compatible(a, present)]
                if not cands:
                    break
                present.append(self.choose(cands))
            head, tail = present[:len(anchors)], present[len(anchors):]
            self.rng.shuffle(tail)
            order = head + tail
            if self.rng.random() < shuffle:
                self.rng.shuffle(order)
            elements = [(ai, self.value(ai)) for ai in order]
            if self.val.check_elements(elements) is None:
                return elements
        raise RuntimeError(f"cannot build a valid message from {anchors}")


# --------------------------------------------------------------------------------------
# Forms
# --------------------------------------------------------------------------------------


def bracketed(elements: list) -> str:
    return "".join(f"({ai}){value}" for ai, value in elements)


def raw(dic: Dictionary, elements: list, superfluous_gs: bool = False, trailing_gs: bool = False) -> str:
    out = ""
    for i, (ai, value) in enumerate(elements):
        out += ai + value
        last = i + 1 == len(elements)
        predefined = dic.lookup(ai) is not None and dic.lookup(ai).predefined
        if (not last and (not predefined or superfluous_gs)) or (last and trailing_gs):
            out += GS
    return out


def describe(dic: Dictionary, ai: str) -> str:
    e = dic.lookup(ai)
    return f"({ai}) {e.title}" if e else f"({ai})"


@dataclass
class Case:
    bracketed: Optional[str]
    raw: Optional[str]  # real GS characters
    expected: str
    reason: str
    canonical: Optional[str]
    note: str
    id: str = ""
    peers: dict = field(default_factory=dict)


@dataclass
class DlCase:
    uri: str
    expected: str
    reason: str
    equivalent: Optional[str]
    note: str
    id: str = ""
    peers: dict = field(default_factory=dict)


# --------------------------------------------------------------------------------------
# Case recipes
# --------------------------------------------------------------------------------------

PHARMA = ["17", "10", "21"]
PHARMA_EXTRA = ["11", "15", "16", "13", "7003", "710", "711", "712", "713", "714", "715", "716",
                "717", "22", "240", "241", "30", "3103", "3102", "422", "426", "7006", "8200"]
LOGISTICS_EXTRA = ["400", "401", "403", "410", "413", "420", "3300", "3302", "4307", "4300", "4301",
                   "4321", "4326", "4330", "4333"]


class CaseFactory:
    def __init__(self, dic: Dictionary, rng: random.Random):
        self.dic = dic
        self.rng = rng
        self.gen = Generator(dic, rng)
        self.val = self.gen.val
        self.unassigned = dic.unassigned_ais()
        self.used = set()  # (kind, detail) already in a case: more variety between cases

    def fresh(self, kind: str, detail) -> bool:
        """True the first time `detail` is used for `kind`."""
        if (kind, detail) in self.used:
            return False
        self.used.add((kind, detail))
        return True

    # -- helpers -------------------------------------------------------------------------

    def verdict(self, scan: Optional[str]):
        if scan is None:
            return None
        try:
            return self.val.parse_scan(scan)
        except Unsupported:
            return None, "UNSUPPORTED"  # never a wanted reason: the candidate is dropped

    def symbology(self, raw_text: str, p: float = 0.25) -> str:
        r = self.rng.random()
        if r >= p:
            return raw_text
        choices = ["]d2", "]d2", "]Q3"] + (["]C1"] if len(raw_text) <= 48 else [])
        return self.rng.choice(choices) + raw_text

    def pharma(self, extras: int = 0, shuffle: float = 0.1) -> list:
        n = self.rng.choice([3, 3, 3, 2])
        core = self.rng.sample(PHARMA, n)
        return self.gen.message(["01"] + core, extras, PHARMA_EXTRA, 0.9, shuffle)

    def valid(self, elements: list, note: str, raw_form: bool = True, bracket_form: bool = True,
              prefix_p: float = 0.25) -> Case:
        b = bracketed(elements) if bracket_form else None
        r = self.symbology(raw(self.dic, elements), prefix_p) if raw_form else None
        for form in (b, r):
            if form is not None:
                els, code = self.verdict(form)
                assert code is None and els == elements, (form, code)
        return Case(b, r, "valid", "OK", bracketed(elements), note)

    def invalid(self, reason: str, note: str, b: Optional[str], r_candidates: list) -> Optional[Case]:
        """An invalid case when the bracketed form (if any) fails with `reason`; the raw
        form is the first candidate that fails with the same reason (else none)."""
        if b is not None and self.verdict(b)[1] != reason:
            return None
        r = next((c for c in r_candidates if c is not None and self.verdict(c)[1] == reason), None)
        if b is None and r is None:
            return None
        return Case(b, r, "invalid", reason, None, note)

    def mutate_value(self, reason: str, elements: list, index: int, new_value: str, note: str,
                     raw_ok: bool = True) -> Optional[Case]:
        els = list(elements)
        els[index] = (els[index][0], new_value)
        moved = els[:index] + els[index + 1:] + [els[index]]
        b = bracketed(els)
        rs = []
        if raw_ok:
            rs = [self.symbology(raw(self.dic, els), 0.2), raw(self.dic, moved)]
        return self.invalid(reason, note, b, rs)

    def retry(self, fn: Callable[[], Optional[Case]], what: str, tries: int = 300) -> Case:
        for _ in range(tries):
            try:
                case = fn()
            except RuntimeError:
                continue  # no valid base message for this draw
            if case is not None:
                return case
        raise RuntimeError(f"no case found for {what}")

    # -- valid ---------------------------------------------------------------------------

    def valid_cases(self) -> list:
        g, rng, out = self.gen, self.rng, []
        for _ in range(6):
            els = self.pharma(rng.choice([0, 0, 1]))
            out.append(self.valid(els, "pharma pack: " + ", ".join(describe(self.dic, a) for a, _ in els)))
        for _ in range(3):
            nhrn = rng.choice(["710", "711", "712", "713", "714", "715", "716", "717"])
            els = g.message(["01", "17", "10", "21", nhrn], 0)
            out.append(self.valid(els, f"pharma pack with national healthcare reimbursement number ({nhrn})"))
        for ai in ("11", "15", "16", "17"):
            if len([c for c in out if "day 00" in c.note]) >= 2:
                break
            els = g.message(["01", ai, "10"], 0)
            i = [a for a, _ in els].index(ai)
            els[i] = (ai, els[i][1][:4] + "00")
            out.append(self.valid(els, f"day 00 in ({ai}) (yymmd0: day not given = end of month)"))
        year = rng.choice(LEAP_YEARS)
        els = g.message(["01", "17", "21"], 0)
        i = [a for a, _ in els].index("17")
        els[i] = ("17", f"{year:02d}0229")
        out.append(self.valid(els, f"29 February 20{year} is a leap day"))
        for ai in ("21", "10", "99", "400"):
            entry = self.dic.lookup(ai)
            anchors = {"21": ["01"], "10": ["01"], "99": [], "400": ["00"]}[ai]
            els = g.message(anchors, 0)
            for _ in range(50):
                v = g.text(entry.max_len, ai, punct=0.15, lower=0.2)
                if not self.val.swallowed_tail(v):
                    break
            els.append((ai, v))
            out.append(self.valid(els, f"{describe(self.dic, ai)} at its maximum length {entry.max_len}"))
        serial = "".join(rng.sample(TEXT_PUNCT, 10)) + g.text(4, punct=0)
        els = [("01", g.value("01")), ("21", serial)]
        if not self.val.swallowed_tail(serial):
            out.append(self.valid(els, "CSET 82 punctuation in a serial"))
        for _ in range(2):
            els = g.message(["00", "02", "37"], rng.choice([0, 1, 2]), ["10", "15", "17", "11", "3102"], 1.0)
            out.append(self.valid(els, "logistic unit: SSCC with content GTIN (02) and count (37)"))
        for _ in range(3):
            els = g.message(["00"], rng.choice([1, 2]), LOGISTICS_EXTRA, 0.9)
            out.append(self.valid(els, "logistic unit: " + ", ".join(describe(self.dic, a) for a, _ in els)))
        for _ in range(5):
            els = g.message(["01"], rng.choice([1, 2, 3]), None, 0)
            out.append(self.valid(els, "GTIN with AIs drawn from the dictionary: "
                                  + ", ".join(describe(self.dic, a) for a, _ in els[1:])))
        for key in rng.sample(["253", "255", "414", "8003", "8004", "8006", "8017", "8018", "402", "401", "8010"], 5):
            extra = {"414": ["254"], "8010": ["8011"], "8017": ["8019"], "8018": ["8019"]}.get(key, [])
            els = g.message([key] + extra, rng.choice([0, 1]))
            out.append(self.valid(els, f"other key {describe(self.dic, key)}"
                                  + (" with " + ", ".join(f"({a})" for a, _ in els if a != key) if len(els) > 1 else "")))
        for _ in range(2):
            ai = rng.choice([str(n) for n in range(90, 100)])
            els = [(ai, g.value(ai))]
            out.append(self.valid(els, f"company internal AI ({ai}) alone"))
        for _ in range(2):
            els = self.pharma()
            ai, v = rng.choice([e for e in els if e[0] in ("01", "10", "21", "17")])
            els.insert(rng.randint(els.index((ai, v)) + 1, len(els)), (ai, v))
            out.append(self.valid(els, f"identical repeat of ({ai}) is tolerated (same value)"))
        for anchors, note in ((["01", "422"], "country of origin (422)"),
                              (["01", "423"], "country of initial processing (423), up to five codes"),
                              (["01", "7003"], "expiry date and time (7003)"),
                              (["01", "426", "10"], "country of full process (426)")):
            els = g.message(anchors, 0)
            out.append(self.valid(els, note))
        for _ in range(2):
            ai = rng.choice(["3100", "3101", "3102", "3103", "3104", "3105", "3300", "3301", "3302", "3200"])
            anchor = "00" if ai.startswith("33") else "01"
            els = g.message([anchor, ai], rng.choice([0, 1]), PHARMA_EXTRA, 0.5)
            out.append(self.valid(els, f"measure {describe(self.dic, ai)}"))
        # raw only
        for sym in ("]d2", "]C1", "]Q3", "]d2", "]Q3"):
            for _ in range(50):
                els = self.pharma() if sym != "]C1" else g.message([rng.choice(["00", "01"])], 1, ["10", "17", "21", "400"], 1.0)
                r = sym + raw(self.dic, els)
                if sym != "]C1" or len(r) <= 51:
                    break
            name = {"]d2": "GS1 DataMatrix", "]C1": "GS1-128", "]Q3": "GS1 QR Code"}[sym]
            c = self.valid(els, f"scanner output with the {name} symbology identifier {sym}", bracket_form=False)
            c.raw = r
            out.append(c)
        for _ in range(2):
            els = self.pharma()
            if not any(self.dic.lookup(a).predefined for a, _ in els[:-1]):
                continue
            c = self.valid(els, "superfluous GS after predefined-length AIs is tolerated", bracket_form=False)
            c.raw = raw(self.dic, els, superfluous_gs=True)
            out.append(c)
        els = self.pharma()
        c = self.valid(els, "trailing GS is tolerated", bracket_form=False)
        c.raw = raw(self.dic, els, trailing_gs=True)
        out.append(c)
        for c in out:
            if c.raw is not None:
                els, code = self.verdict(c.raw)
                assert code is None and bracketed(els) == c.canonical, (c, code)
        out.extend(self.traps())
        return out

    def traps(self) -> list:
        """Valid syntax whose meaning changed: a GS lost after a variable-length value."""
        g, out = self.gen, []

        def trap(els: list, i: int, note: str) -> Optional[Case]:
            # Drop the GS after element i.
            r = raw(self.dic, els[:i + 1]) + raw(self.dic, els[i + 1:])
            got, code = self.verdict(r)
            if code is not None or len(got) >= len(els):
                return None
            lost = [a for a, _ in els if a not in [b for b, _ in got]]
            if not lost:
                return None
            return Case(None, r, "valid", "OK_BUT_MEANING_CHANGED", bracketed(got),
                        note.format(lost=", ".join(f"({a})" for a in lost), into=f"({els[i][0]})"))

        # The classic: the serial (21)SN0001 swallowed by the lot.
        def classic() -> Optional[Case]:
            els = g.message(["01", "17", "10"], 0, shuffle=0)
            els.append(("21", "SN0001"))
            return trap(els, 2, "GS missing between (10) and (21): syntactically valid but the serial is"
                        " swallowed into the lot {into}; an aggregation must reject it for lack of (21)")
        out.append(self.retry(classic, "the classic trap"))

        def other() -> Optional[Case]:
            els = self.pharma(shuffle=0.5)
            cands = [i for i, (a, _) in enumerate(els[:-1]) if not self.dic.lookup(a).predefined]
            if not cands:
                return None
            return trap(els, self.rng.choice(cands),
                        "GS missing after {into}: {lost} swallowed into it; valid syntax, changed meaning")
        for _ in range(2):
            out.append(self.retry(other, "a trap"))
        return out

    # -- invalid -------------------------------------------------------------------------

    def pick(self, els: list, ais: list) -> Optional[int]:
        idx = [i for i, (a, _) in enumerate(els) if a in ais]
        return self.rng.choice(idx) if idx else None

    def with_ai(self, ai: str, extras: int = 1) -> list:
        """A valid message that contains `ai`, its requirements met from the pool."""
        entry = self.dic.lookup(ai)
        anchors = []
        for rule in entry.req:
            alt = rule[0] if self.rng.random() < 0.7 else self.rng.choice(rule)
            for p in alt:
                if "n" in p:
                    p = p.replace("n", "0")
                if p not in anchors and p != ai:
                    anchors.append(p)
        changed = True
        while changed:  # requirements of the requirements
            changed = False
            for a in list(anchors):
                for rule in self.dic.lookup(a).req:
                    every = anchors + [ai]
                    if not any(all(any(pattern_matches(p, o) for o in every) for p in alt) for alt in rule):
                        anchors.append(rule[0][0].replace("n", "0"))
                        changed = True
        return self.gen.message(anchors + [ai], extras, PHARMA_EXTRA, 0.5, shuffle=0.5)

    def check_digit_case(self) -> Optional[Case]:
        ai = self.rng.choice(["01", "01", "00", "00", "02", "410", "414", "253", "8003", "8006", "8017", "402", "417", "255"])
        els = self.with_ai(ai, self.rng.choice([0, 1, 2]))
        i = [a for a, _ in els].index(ai)
        v = els[i][1]
        comps = self.dic.lookup(ai).comps
        pos, at = 0, None
        for comp in comps:
            if "csum" in comp.linters:
                at = pos + comp.max - 1
            pos += comp.max
        wrong = str((int(v[at]) + self.rng.randint(1, 9)) % 10)
        return self.mutate_value("CHECK_DIGIT", els, i, v[:at] + wrong + v[at + 1:],
                                 f"{describe(self.dic, ai)}: check digit {v[at]} changed to {wrong}")

    def fixed_numeric_ais(self) -> list:
        return ["01", "00", "17", "11", "3103", "20", "7003", "422", "8005", "410", "7006", "4326"]

    def too_short_case(self) -> Optional[Case]:
        ai = self.rng.choice(self.fixed_numeric_ais())
        els = self.with_ai(ai, self.rng.choice([0, 1]))
        i = [a for a, _ in els].index(ai)
        v = els[i][1]
        cut = self.rng.randint(1, min(4, len(v) - 1))
        return self.mutate_value("TOO_SHORT", els, i, v[:-cut],
                                 f"{describe(self.dic, ai)} given {len(v) - cut} of {len(v)} digits")

    def too_long_case(self) -> Optional[Case]:
        rng = self.rng
        if rng.random() < 0.35:
            ai = rng.choice(["01", "00", "17", "3103", "422", "7003"])
            els = self.with_ai(ai, rng.choice([0, 1]))
            i = [a for a, _ in els].index(ai)
            add = self.gen.digits(1 if self.dic.lookup(ai).predefined else rng.randint(1, 2))
            note = f"{describe(self.dic, ai)} with {len(els[i][1]) + len(add)} digits"
            if self.dic.lookup(ai).predefined:
                note += "; in raw form the extra digit after the predefined length cannot start an AI"
            return self.mutate_value("TOO_LONG", els, i, els[i][1] + add, note)
        ai = rng.choice(["21", "10", "99", "400", "240", "90", "22", "30", "7002"])
        entry = self.dic.lookup(ai)
        els = self.with_ai(ai, rng.choice([0, 1]))
        i = [a for a, _ in els].index(ai)
        n = entry.max_len + rng.randint(1, 3)
        v = self.gen.digits(n) if entry.comps[-1].cset == "N" else self.gen.text(n, ai)
        if self.val.swallowed_tail(v[:entry.max_len]):
            return None
        return self.mutate_value("TOO_LONG", els, i, v, f"{describe(self.dic, ai)} {n} characters (max {entry.max_len})")

    def non_digit_case(self) -> Optional[Case]:
        ai = self.rng.choice(["01", "00", "17", "3103", "422", "30", "7003", "410", "37", "20"])
        els = self.with_ai(ai, self.rng.choice([0, 1]))
        i = [a for a, _ in els].index(ai)
        v = els[i][1]
        at = self.rng.randrange(len(v))
        letter = self.rng.choice(UPPER + "-./")
        return self.mutate_value("NON_DIGIT", els, i, v[:at] + letter + v[at + 1:],
                                 f"{describe(self.dic, ai)}: '{letter}' at position {at + 1} of a numeric field")

    def bad_date_case(self, kind: str) -> Optional[Case]:
        rng = self.rng
        if kind == "day00":
            ai = rng.choice(["7006", "7003", "4326"])
        else:
            ai = rng.choice(["17", "17", "11", "15", "13", "7006", "7003"])
        els = self.with_ai(ai, rng.choice([0, 1]))
        i = [a for a, _ in els].index(ai)
        v = els[i][1]
        y = rng.choice(YEARS)
        date, why = {
            "month13": (f"{y:02d}13{rng.randint(1, 28):02d}", "month 13"),
            "month00": (f"{y:02d}00{rng.randint(1, 28):02d}", "month 00"),
            "day32": (f"{y:02d}{rng.choice([1, 3, 5, 7, 8, 10, 12]):02d}32", "day 32"),
            "feb30": (f"{y:02d}02{rng.choice([30, 31]):02d}", "no such day in February"),
            "feb29": (f"{rng.choice(NON_LEAP_YEARS):02d}0229", "29 February in a year that is not a leap year"),
            "apr31": (f"{y:02d}{rng.choice([4, 6, 9, 11]):02d}31", "day 31 in a 30-day month"),
            "day00": (f"{y:02d}{rng.randint(1, 12):02d}00", "day 00 where the date must be complete (yymmdd)"),
        }[kind]
        return self.mutate_value("BAD_DATE", els, i, date + v[6:], f"{describe(self.dic, ai)}: {why}")

    def bad_time_case(self) -> Optional[Case]:
        rng = self.rng
        ai = rng.choice(["7003", "7003", "8008", "4324", "7011"])
        els = self.with_ai(ai, 0)
        i = [a for a, _ in els].index(ai)
        v = els[i][1]
        if ai == "7011":
            v = v[:6] + "1200"
        hour, minute = rng.choice([(24, rng.randint(0, 59)), (rng.randint(25, 29), 0), (rng.randint(0, 23), rng.randint(60, 99))])
        what = "hour" if hour > 23 else "minute"
        return self.mutate_value("BAD_TIME", els, i, v[:6] + f"{hour:02d}{minute:02d}" + v[10:],
                                 f"{describe(self.dic, ai)}: {what} {hour if hour > 23 else minute}")

    def cset82_case(self, bad: Optional[str] = None) -> Optional[Case]:
        ai = self.rng.choice(["10", "21", "21", "240", "400", "90", "22", "7002"])
        els = self.with_ai(ai, self.rng.choice([0, 1]))
        i = [a for a, _ in els].index(ai)
        v = els[i][1]
        if len(v) < 2:
            v += self.gen.text(2)
        bad = bad or self.rng.choice(NOT_CSET82)
        if not self.fresh("cset82", "non-ASCII" if not bad.isascii() else bad):
            return None
        at = self.rng.randint(1, len(v) - 1)
        name = {" ": "space"}.get(bad, f"'{bad}'")
        if not bad.isascii():
            name += " (not ASCII)"
        return self.mutate_value("CSET82", els, i, v[:at] + bad + v[at:min(len(v), self.dic.lookup(ai).max_len - 1)],
                                 f"{describe(self.dic, ai)}: {name} is not in CSET 82")

    def iso3166_case(self) -> Optional[Case]:
        ai = self.rng.choice(["422", "426", "424", "423", "421", "7030", "4307"])
        els = self.with_ai(ai, 0)
        i = [a for a, _ in els].index(ai)
        v = els[i][1]
        if not self.fresh("iso3166-ai", ai):
            return None
        if ai == "4307":
            bad = self.rng.choice(ISO3166_ALPHA2_UNASSIGNED)
            return self.mutate_value("NOT_ISO3166", els, i, bad, f"{describe(self.dic, ai)}: {bad} is not an ISO 3166 alpha-2 code")
        bad = self.rng.choice([c for c in ISO3166_NUMERIC_UNASSIGNED + ["999"]
                               if (ai != "7030" or c != "999") and ("iso3166", c) not in self.used])
        self.used.add(("iso3166", bad))
        if ai == "423" and len(v) >= 6:
            return self.mutate_value("NOT_ISO3166", els, i, v[:3] + bad + v[6:],
                                     f"{describe(self.dic, ai)}: second code {bad} is not an ISO 3166 country")
        return self.mutate_value("NOT_ISO3166", els, i, bad + v[3:], f"{describe(self.dic, ai)}: {bad} is not an ISO 3166 country")

    def missing_req_case(self) -> Optional[Case]:
        rng = self.rng
        style = rng.random()
        if style < 0.4:
            els = self.pharma(rng.choice([0, 1]))
        elif style < 0.55:
            els = self.gen.message(["00", "02", "37"], rng.choice([0, 1]), ["10", "17", "15"], 1.0)
        else:
            ai = rng.choice([a for a in self.gen.pool if self.dic.lookup(a).req])
            els = self.with_ai(ai, 0)
        holders = [(i, a) for i, (a, _) in enumerate(els) if self.dic.lookup(a).req]
        if not holders:
            return None
        _, holder = rng.choice(holders)
        rule = rng.choice(self.dic.lookup(holder).req)
        patterns = {p for alt in rule for p in alt}
        kept = [(a, v) for a, v in els if a == holder or not any(pattern_matches(p, a) for p in patterns)]
        removed = sorted({a for a, _ in els} - {a for a, _ in kept})
        if not removed or not kept:
            return None
        rule_text = " or ".join("+".join(f"({p})" for p in alt) for alt in rule)
        note = f"({holder}) needs {rule_text}; " + ", ".join(f"({a})" for a in removed) + " left out"
        r = self.symbology(raw(self.dic, kept), 0.2)
        return self.invalid("MISSING_REQ", note, bracketed(kept), [r])

    def exclusive_case(self) -> Optional[Case]:
        rng = self.rng
        style = rng.random()
        if style < 0.5:
            els = self.pharma(rng.choice([0, 1]))
        elif style < 0.65:
            els = self.gen.message(["00"], 2, LOGISTICS_EXTRA, 1.0)
        else:
            els = self.gen.message(["01"], rng.choice([1, 2]))
        present = [a for a, _ in els]
        cands = []
        for x in self.gen.pool:
            if x in present:
                continue
            ex = self.dic.lookup(x).ex
            clash = [o for o in present if any(pattern_matches(p, o) for p in ex)
                     or any(pattern_matches(p, x) for p in self.dic.lookup(o).ex)]
            if not clash:
                continue
            every = present + [x]
            if all(any(all(any(pattern_matches(p, o) for o in every) for p in alt) for alt in rule)
                   for rule in self.dic.lookup(x).req):
                cands.append((x, clash))
        if not cands:
            return None
        x, clash = rng.choice(cands)
        if not self.fresh("exclusive", (self.dic.lookup(x).first, self.dic.lookup(clash[0]).first)):
            return None
        at = rng.randint(1, len(els))
        new = els[:at] + [(x, self.gen.value(x))] + els[at:]
        note = f"{describe(self.dic, x)} and " + ", ".join(f"({c})" for c in clash) + " are mutually exclusive"
        return self.invalid("EXCLUSIVE", note, bracketed(new), [self.symbology(raw(self.dic, new), 0.2)])

    def dup_case(self) -> Optional[Case]:
        rng = self.rng
        els = self.pharma(rng.choice([0, 1])) if rng.random() < 0.7 else self.gen.message(["00"], 2, LOGISTICS_EXTRA, 1.0)
        i = rng.randrange(len(els))
        ai, v = els[i]
        other = self.gen.value(ai)
        if other == v or not self.fresh("dup", ai):
            return None
        new = list(els)
        new.insert(rng.randint(i + 1, len(els)), (ai, other))
        note = f"{describe(self.dic, ai)} twice with different values"
        return self.invalid("DUP_AI_CONFLICT", note, bracketed(new), [self.symbology(raw(self.dic, new), 0.2)])

    def unknown_ai_case(self) -> Optional[Case]:
        rng = self.rng
        width = rng.choice([2, 2, 3, 4])
        bad = rng.choice([a for a in self.unassigned if len(a) == width])
        els = self.pharma(0) if rng.random() < 0.7 else []
        v = self.gen.text(rng.randint(2, 8))
        new = list(els)
        new.insert(rng.randint(0, len(els)), (bad, v))
        for_raw = [e for e in new if e[0] != bad] + [(bad, v)]
        return self.invalid("UNKNOWN_AI", f"AI ({bad}) is not assigned", bracketed(new),
                            [raw(self.dic, new), raw(self.dic, for_raw)])

    def unknown_ai_raw_case(self) -> Optional[Case]:
        bad = self.rng.choice([a for a in self.unassigned if len(a) == 2])
        r = bad + self.gen.text(self.rng.randint(2, 6), punct=0)
        return self.invalid("UNKNOWN_AI", f"raw data starting with the unassigned AI ({bad}) cannot be delimited", None, [r])

    def empty_value_cases(self) -> list:
        rng, out = self.rng, []

        def bracket_mid() -> Optional[Case]:
            els = self.pharma()
            i = self.pick(els[:-1], ["10", "21"])
            if i is None:
                return None
            new = list(els)
            new[i] = (els[i][0], "")
            return self.invalid("EMPTY_VALUE", f"({els[i][0]}) without a value", bracketed(new), [raw(self.dic, new)])

        def bracket_end() -> Optional[Case]:
            els = self.pharma()
            ai = rng.choice(["10", "21", "17", "240"])
            if ai in [a for a, _ in els]:
                return None
            return self.invalid("EMPTY_VALUE", f"({ai}) without a value at the end", bracketed(els) + f"({ai})", [])

        def raw_end() -> Optional[Case]:
            els = self.pharma()
            ai = rng.choice(["21", "10", "17", "11"])
            if ai in [a for a, _ in els]:
                return None
            r = raw(self.dic, els)
            if not self.dic.lookup(els[-1][0]).predefined:
                r += GS
            return self.invalid("EMPTY_VALUE", f"({ai}) with no data at the end", None, [r + ai])

        def raw_gs() -> Optional[Case]:
            els = self.pharma()
            i = self.pick(els[:-1], ["10", "21"])
            if i is None:
                return None
            new = list(els)
            new[i] = (els[i][0], "")
            return self.invalid("EMPTY_VALUE", f"({els[i][0]}) directly followed by GS", None, [raw(self.dic, new)])

        for fn in (bracket_mid, bracket_mid, bracket_end, raw_end, raw_end, raw_gs):
            out.append(self.retry(fn, "EMPTY_VALUE"))
        return out

    def bad_syntax_cases(self) -> list:
        rng, g, out = self.rng, self.gen, []
        els = self.pharma()
        b = bracketed(els)
        ai = rng.choice(["10", "21", "17"])
        variants = [
            (f"({rng.choice(DIGITS)}{rng.choice(UPPER)}){g.text(4)}", "AI must be numeric"),
            (b + f"({ai}", "unterminated AI"),
            (f"({rng.choice(DIGITS)}){g.digits(5)}", "AI must be 2-4 digits"),
            (f"({g.digits(5)}){g.digits(2)}", "AI must be 2-4 digits"),
            (f"(){g.text(3)}" + b, "empty AI"),
        ]
        els2 = self.pharma()
        i = self.pick(els2, ["10", "21"])
        v = els2[i][1]
        v2 = v[:1] + "(" + rng.choice(UPPER) + ")" + v[1:]
        els2[i] = (els2[i][0], v2)
        variants.append((bracketed(els2), f"unescaped '(' inside the ({els2[i][0]}) value reads as an AI"))
        for text, note in variants:
            c = self.invalid("BAD_SYNTAX", note, text, [])
            assert c is not None, text
            out.append(c)
        for n in (2, 3):
            def double_gs() -> Optional[Case]:
                els3 = self.pharma()
                cut = [i for i, (a, _) in enumerate(els3[:-1])]
                i = rng.choice(cut)
                r = raw(self.dic, els3[:i + 1]).rstrip(GS) + GS * n + raw(self.dic, els3[i + 1:])
                return self.invalid("BAD_SYNTAX", f"{n} consecutive GS separators (empty element)", None,
                                    [self.symbology(r, 0.3)])
            out.append(self.retry(double_gs, "double GS"))
        return out

    def not_gs1_cases(self) -> list:
        g, out = self.gen, []
        for sym, what in (("]d1", "]d1 = DataMatrix without FNC1 in first position: plain data, not GS1"),
                          ("]d1", "]d1 = DataMatrix without FNC1 in first position: plain data, not GS1"),
                          ("]C0", "]C0 = Code 128 without FNC1: plain data, not GS1-128"),
                          ("]Q1", "]Q1 = QR Code without FNC1 and not a URI: plain data, not GS1"),
                          ("]A0", "]A0 = Code 39: cannot carry GS1 element strings")):
            els = self.pharma()
            out.append(self.invalid("NOT_GS1", what, None, [sym + raw(self.dic, els)]))
        for text in (f"HELLO WORLD {g.digits(3)}", f"LOT {g.text(5, punct=0)} EXP 20{self.rng.choice(YEARS)}-{self.rng.randint(1, 12):02d}"):
            out.append(self.invalid("NOT_GS1", "not an element string (does not start with an AI)", None, [text]))
        return out

    def invalid_cases(self) -> list:
        out = []
        for _ in range(7):
            out.append(self.retry(self.check_digit_case, "CHECK_DIGIT"))
        for _ in range(5):
            out.append(self.retry(self.too_short_case, "TOO_SHORT"))
        # raw only: the message ends inside a predefined-length value
        def ends_inside() -> Optional[Case]:
            els = self.pharma()
            i = self.pick(els, ["17", "01"])
            moved = els[:i] + els[i + 1:] + [els[i]]
            r = raw(self.dic, moved)
            cut = self.rng.randint(1, 4)
            return self.invalid("TOO_SHORT", f"message ends inside the predefined-length ({els[i][0]})", None, [r[:-cut]])
        out.append(self.retry(ends_inside, "TOO_SHORT raw"))
        for _ in range(6):
            out.append(self.retry(self.too_long_case, "TOO_LONG"))
        for _ in range(6):
            out.append(self.retry(self.non_digit_case, "NON_DIGIT"))
        for kind in ("month13", "month00", "day32", "feb30", "feb29", "apr31", "day00"):
            out.append(self.retry(lambda: self.bad_date_case(kind), "BAD_DATE"))
        for _ in range(5):
            out.append(self.retry(self.bad_time_case, "BAD_TIME"))
        # a space and a non-ASCII letter first: the usual real-world offenders
        for bad in [" ", self.rng.choice([c for c in NOT_CSET82 if not c.isascii()])] + [None] * 5:
            out.append(self.retry(lambda: self.cset82_case(bad), "CSET82"))
        for _ in range(6):
            out.append(self.retry(self.iso3166_case, "NOT_ISO3166"))
        for _ in range(7):
            out.append(self.retry(self.missing_req_case, "MISSING_REQ"))
        for _ in range(6):
            out.append(self.retry(self.exclusive_case, "EXCLUSIVE"))
        for _ in range(5):
            out.append(self.retry(self.dup_case, "DUP_AI_CONFLICT"))
        for _ in range(5):
            out.append(self.retry(self.unknown_ai_case, "UNKNOWN_AI"))
        out.append(self.retry(self.unknown_ai_raw_case, "UNKNOWN_AI raw"))
        out.extend(self.empty_value_cases())
        out.extend(self.bad_syntax_cases())
        out.extend(self.not_gs1_cases())
        return out

    # -- Digital Link ----------------------------------------------------------------------

    def dl(self, stem: str, key: tuple, quals: list, attrs: list, extra_query: str = "",
           fragment: str = "", keep: str = "") -> str:
        uri = stem.rstrip("/") + f"/{key[0]}/{percent_encode(key[1], keep)}"
        for ai, v in quals:
            uri += f"/{ai}/{percent_encode(v, keep)}"
        params = [f"{ai}={percent_encode(v, keep)}" for ai, v in attrs]
        if extra_query:
            params.insert(self.rng.randint(0, len(params)), extra_query)
        if params:
            uri += "?" + "&".join(params)
        return uri + fragment

    def dl_valid(self, uri: str, note: str) -> DlCase:
        els, code = self.val.parse_scan(uri)
        assert code is None, (uri, code)
        return DlCase(uri, "valid", "OK", bracketed(els), note)

    def dl_invalid(self, uri: str, reason: str, note: str) -> DlCase:
        _, code = self.val.parse_scan(uri)
        assert code == reason, (uri, code, reason)
        return DlCase(uri, "invalid", reason, None, note)

    def stem(self) -> str:
        return self.rng.choice(["https://id.gs1.org", "https://id.gs1.org", "https://example.com",
                                "https://brand.example.org/dl", "https://qr.example.net/a/b"])

    def dl_cases(self) -> list:
        g, rng, out = self.gen, self.rng, []
        v = g.value
        gtin = ("01", v("01"))
        out.append(self.dl_valid(self.dl("https://id.gs1.org", gtin, [], []), "GTIN only"))
        out.append(self.dl_valid(self.dl(self.stem(), ("01", v("01")), [("10", v("10")), ("21", v("21"))], [("17", v("17"))]),
                                 "pharma pack: lot and serial as key qualifiers in the path, expiry as query attribute"))
        out.append(self.dl_valid(self.dl(self.stem(), ("01", v("01")), [("22", v("22")), ("10", v("10")), ("21", v("21"))], []),
                                 "all three qualifiers of (01), in the required order 22,10,21"))
        out.append(self.dl_valid(self.dl(self.stem(), ("01", v("01")), [("22", v("22")), ("21", v("21"))], []),
                                 "qualifiers 22 and 21 (10 left out; order kept)"))
        out.append(self.dl_valid(self.dl("https://brand.example.com/some/extra/path", ("01", v("01")), [("21", v("21"))], []),
                                 "custom path stem before the primary key"))
        out.append(self.dl_valid(self.dl(self.stem(), ("01", v("01")), [("235", v("235"))], []),
                                 "(235) is the alternative qualifier sequence of (01)"))
        attrs = [(a, v(a)) for a in rng.sample(["17", "11", "15", "3103", "7003", "30", "422"], 3)]
        out.append(self.dl_valid(self.dl(self.stem(), ("01", v("01")), [("10", v("10"))], attrs),
                                 "several data attributes: " + ", ".join(f"({a})" for a, _ in attrs)))
        s = g.text(3, punct=0) + "/" + g.digits(2)
        out.append(self.dl_valid(self.dl(self.stem(), ("01", v("01")), [("21", s)], []), "percent-encoded / (%2F) in a value"))
        s = g.text(2, punct=0) + "+" + g.digits(2)
        out.append(self.dl_valid(self.dl(self.stem(), ("01", v("01")), [("21", s)], [], keep="+"), "+ in the path means +"))
        out.append(self.dl_valid(self.dl(self.stem(), ("01", v("01")), [("21", v("21"))], [], fragment="#frag"), "fragment ignored"))
        out.append(self.dl_valid(self.dl(self.stem(), ("01", v("01")), [], [("17", v("17"))], extra_query="linkType=gs1:pip"),
                                 "non-AI query parameters are ignored"))
        out.append(self.dl_valid(self.dl("HTTPS://id.gs1.org", ("01", v("01")), [], []), "upper-case scheme HTTPS is allowed"))
        out.append(self.dl_valid(self.dl("http://example.com", ("01", v("01")), [("10", v("10"))], []), "plain http"))
        out.append(self.dl_valid(self.dl(self.stem(), ("00", v("00")), [], []), "SSCC"))
        out.append(self.dl_valid(self.dl(self.stem(), ("00", v("00")), [], [("02", v("02")), ("37", v("37"))]),
                                 "SSCC with content GTIN (02) and count (37) as attributes"))
        out.append(self.dl_valid(self.dl(self.stem(), ("414", v("414")), [("254", v("254"))], []), "GLN with extension (254)"))
        out.append(self.dl_valid(self.dl(self.stem(), ("8004", v("8004")), [], []), "GIAI"))
        out.append(self.dl_valid(self.dl(self.stem(), ("8006", v("8006")), [("10", v("10"))], []), "ITIP with lot"))
        out.append(self.dl_valid(self.dl(self.stem(), ("8017", v("8017")), [("8019", v("8019"))], []), "GSRN provider with SRIN"))
        out.append(self.dl_valid(self.dl(self.stem(), ("253", v("253")), [], []), "GDTI"))
        cpid = "950" + g.digits(4) + "-" + "".join(rng.choice(UPPER) for _ in range(2)) + "#" + g.digits(2) + "/" + rng.choice(UPPER)
        out.append(self.dl_valid(self.dl(self.stem(), ("8010", cpid), [("8011", v("8011"))], []),
                                 "CPID (CSET 39; '#' and '/' percent-encoded) with serial (8011)"))
        # invalid
        out.append(self.dl_invalid(self.dl(self.stem(), ("01", v("01")), [("21", v("21")), ("10", v("10"))], []),
                                   "QUALIFIER_ORDER", "qualifiers must follow the order 22,10,21"))
        out.append(self.dl_invalid(self.dl(self.stem(), ("01", v("01")), [("10", v("10")), ("22", v("22"))], []),
                                   "QUALIFIER_ORDER", "qualifiers must follow the order 22,10,21"))
        out.append(self.dl_invalid(self.dl(self.stem(), ("01", v("01")), [("10", v("10")), ("235", v("235"))], []),
                                   "QUALIFIER_MIX", "qualifier alternatives 22,10,21 and 235 must not be mixed"))
        out.append(self.dl_invalid(self.dl(self.stem(), ("00", v("00")), [("21", v("21"))], []),
                                   "NO_QUALIFIER_ALLOWED", "(00) takes no qualifiers"))
        out.append(self.dl_invalid(self.dl(self.stem(), ("01", v("01")), [("254", v("254"))], []),
                                   "INVALID_QUALIFIER", "(254) is a qualifier of (414), not of (01)"))
        out.append(self.dl_invalid(self.dl(self.stem(), ("01", v("01")), [], [("10", v("10"))]),
                                   "QUALIFIER_AS_ATTRIBUTE", "(10) is a key qualifier of (01) and must be in the path"))
        out.append(self.dl_invalid(self.dl(self.stem(), ("01", v("01")), [("10", v("10"))], [("21", v("21"))]),
                                   "QUALIFIER_AS_ATTRIBUTE", "(21) is a key qualifier of (01) and must be in the path"))
        out.append(self.dl_invalid(self.dl(self.stem(), ("01", v("01")), [], [("8200", "https://example.com/p")]),
                                   "NOT_DL_ATTRIBUTE", "(8200) is not allowed as a Digital Link data attribute"))
        out.append(self.dl_invalid(self.dl(self.stem(), ("01", v("01")), [], []) + "/",
                                   "TRAILING_SLASH", "path must not end with /"))
        out.append(self.dl_invalid(self.stem() + "/products/" + g.text(6, punct=0),
                                   "NO_PRIMARY_KEY", "no GS1 primary key in the path"))
        bad = v("01")
        bad = bad[:-1] + str((int(bad[-1]) + rng.randint(1, 9)) % 10)
        out.append(self.dl_invalid(self.dl(self.stem(), ("01", bad), [], []), "CHECK_DIGIT", "GTIN check digit wrong"))
        bad = v("00")
        bad = bad[:-1] + str((int(bad[-1]) + rng.randint(1, 9)) % 10)
        out.append(self.dl_invalid(self.dl(self.stem(), ("00", bad), [], []), "CHECK_DIGIT", "SSCC check digit wrong"))
        lot = v("10")
        out.append(self.dl_invalid(self.dl(self.stem(), ("01", v("01")), [("10", lot)], [("10", lot)]),
                                   "DUP_AI", "same AI in path and query"))
        exp = v("17")
        out.append(self.dl_invalid(self.dl(self.stem(), ("01", v("01")), [], [("17", exp), ("17", exp)]),
                                   "DUP_AI", "same attribute twice in the query"))
        for bad_ai in rng.sample([a for a in self.unassigned if len(a) == 2], 2):
            out.append(self.dl_invalid(self.dl(self.stem(), ("01", v("01")), [], [(bad_ai, g.text(3, punct=0))]),
                                       "UNKNOWN_AI", f"unassigned AI ({bad_ai}) as data attribute"))
        out.append(self.dl_invalid(self.dl("HtTp://id.gs1.org", ("01", v("01")), [], []), "BAD_SCHEME", "mixed-case scheme"))
        out.append(self.dl_invalid(self.dl("ftp://example.com", ("01", v("01")), [], []), "NOT_GS1",
                                   "ftp is not a Digital Link scheme: plain data, not GS1"))
        out.append(self.dl_invalid(self.dl(self.stem(), ("01", v("01")), [], []) + "?17=", "EMPTY_VALUE", "empty attribute value"))
        out.append(self.dl_invalid(self.dl(self.stem(), ("01", v("01")), [], [("17", f"{rng.choice(YEARS):02d}13{rng.randint(1, 28):02d}")]),
                                   "BAD_DATE", "month 13 in the expiry attribute"))
        g13 = v("01")
        while g13[0] != "0":
            g13 = v("01")
        out.append(self.dl_invalid(self.dl(self.stem(), ("01", g13[1:]), [], []), "ZERO_SUPPRESSED_GTIN",
                                   "13-digit GTIN in the path: strict parsers reject it (some accept and left-pad to 14)"))
        g8 = "000000" + g.digits(7)
        g8 += check_digit(g8)
        out.append(self.dl_invalid(self.dl(self.stem(), ("01", g8[6:]), [], []), "ZERO_SUPPRESSED_GTIN",
                                   "GTIN-8 in the path without its 6 leading zeros"))
        out.append(self.dl_invalid(self.dl(self.stem(), ("01", v("01")), [("21", g.text(4, punct=0))], []) + "%2",
                                   "BAD_PERCENT_ESCAPE", "incomplete percent escape at the end"))
        out.append(self.dl_invalid(self.dl(self.stem(), ("01", v("01")), [("21", g.text(3, punct=0) + " " + g.digits(2))], []),
                                   "CSET82", "percent-encoded space (%20) in a serial: not in CSET 82"))
        out.append(self.dl_invalid(self.dl(self.stem(), ("01", v("01")), [("10", g.text(21, "10"))], []),
                                   "TOO_LONG", "lot of 21 characters in the path"))
        out.append(self.dl_invalid(self.dl(self.stem(), ("00", v("00")), [], [("02", v("02"))]),
                                   "MISSING_REQ", "(02) needs the count (37)"))
        out.append(self.dl_invalid(self.dl(self.stem(), ("01", v("01")), [], [("422", "276"), ("426", "276")]),
                                   "EXCLUSIVE", "(422) and (426) are mutually exclusive"))
        return out


# --------------------------------------------------------------------------------------
# Peers
# --------------------------------------------------------------------------------------


def cut(text: str) -> str:
    """A peer's answer as one TSV field: one line, `"` shown as `'`, at most 97 characters."""
    text = " ".join(text.split()).replace('"', "'")
    return text[:PEER_TEXT_MAX]


class Biip:
    """biip (pip package), run in this process: `import biip` must work."""

    def __init__(self):
        import biip  # noqa: F401  (only available in the peers' virtual environment)

        self.biip = biip

    def run(self, scan: str) -> str:
        try:
            r = self.biip.parse(scan)
        except Exception as e:  # biip raises for input it cannot read at all
            return cut("error: " + str(e))
        msg = r.gs1_message
        if msg is None and r.gs1_digital_link_uri is not None:
            msg = r.gs1_digital_link_uri.as_gs1_message()
        if msg is None:
            errors = [r.gs1_digital_link_uri_error, r.gs1_message_error]
            if not scan.lower().startswith("http"):
                errors.reverse()
            return cut("error: " + next((e for e in errors if e), "no result"))
        for e in msg.element_strings:
            for attr in ("gtin_error", "sscc_error", "gln_error"):
                if getattr(e, attr, None):
                    return cut("error: " + getattr(e, attr))
        return cut("ok " + msg.as_hri())


class BwipJs:
    """BWIPP inside bwip-js (npm), run by node: encodes bracketed data as GS1 DataMatrix."""

    SCRIPT = r"""
const bwipjs = require(process.argv[1] + '/node_modules/bwip-js');
const inputs = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const out = inputs.map((text) => {
  try { bwipjs.toSVG({ bcid: 'gs1datamatrix', text }); return 'ok'; }
  catch (e) { return 'error: ' + String(e.message || e).replace(/^bwipp\./, ''); }
});
process.stdout.write(JSON.stringify(out));
"""

    def __init__(self, folder: str):
        self.folder = os.path.abspath(folder)

    def run_all(self, texts: list) -> list:
        res = subprocess.run(["node", "-e", self.SCRIPT, self.folder], input=json.dumps(texts),
                             capture_output=True, text=True, check=True)
        return [cut(x) for x in json.loads(res.stdout)]


class Gs1Engine:
    """The GS1 Syntax Engine C library (gs1encoders), loaded with ctypes."""

    class Opts(ctypes.Structure):
        _fields_ = [("struct_size", ctypes.c_size_t), ("flags", ctypes.c_int),
                    ("status", ctypes.c_void_p), ("msgBuf", ctypes.c_char_p),
                    ("msgBufSize", ctypes.c_size_t), ("syntaxDictionary", ctypes.c_char_p)]

    def __init__(self, lib_path: str, dictionary: str):
        lib = ctypes.CDLL(os.path.abspath(lib_path))
        lib.gs1_encoder_init_ex.restype = ctypes.c_void_p
        lib.gs1_encoder_init_ex.argtypes = [ctypes.c_void_p, ctypes.POINTER(self.Opts)]
        for name in ("gs1_encoder_getErrMsg", "gs1_encoder_getAIdataStr"):
            getattr(lib, name).restype = ctypes.c_char_p
            getattr(lib, name).argtypes = [ctypes.c_void_p]
        for name in ("gs1_encoder_setAIdataStr", "gs1_encoder_setScanData", "gs1_encoder_setDataStr"):
            getattr(lib, name).restype = ctypes.c_bool
            getattr(lib, name).argtypes = [ctypes.c_void_p, ctypes.c_char_p]
        status = ctypes.c_int(99)
        buf = ctypes.create_string_buffer(512)
        opts = self.Opts(ctypes.sizeof(self.Opts), 0, ctypes.cast(ctypes.pointer(status), ctypes.c_void_p),
                         ctypes.cast(buf, ctypes.c_char_p), 512, os.path.abspath(dictionary).encode())
        self.ctx = lib.gs1_encoder_init_ex(None, ctypes.byref(opts))
        if not self.ctx or status.value != 0:
            raise RuntimeError(f"GS1 Syntax Engine init failed ({status.value}): {buf.value!r}")
        self.lib = lib

    def _run(self, fn: str, data: str) -> str:
        if not getattr(self.lib, fn)(self.ctx, data.encode("utf-8")):
            return cut("error: " + self.lib.gs1_encoder_getErrMsg(self.ctx).decode("utf-8", "replace"))
        ai = self.lib.gs1_encoder_getAIdataStr(self.ctx)
        return cut("ok " + ai.decode("utf-8", "replace")) if ai is not None else "ok (non-GS1 data)"

    def bracketed(self, text: str) -> str:
        return self._run("gs1_encoder_setAIdataStr", text)

    def scan(self, data: str) -> str:
        return self._run("gs1_encoder_setScanData", data)

    def data(self, text: str) -> str:
        return self._run("gs1_encoder_setDataStr", text)


def scan_of(raw_text: str) -> str:
    """Scan data for a raw row: its own symbology identifier, else `]d2`."""
    return raw_text if raw_text.startswith("]") else "]d2" + raw_text


def fill_peers(cases: list, dl_cases: list, args, dictionary: str) -> None:
    biip = bwip = engine = None
    try:
        biip = Biip()
    except ImportError:
        print("biip not importable: peer_biip = '-'", file=sys.stderr)
    if args.bwip_js:
        bwip = BwipJs(args.bwip_js)
    if args.gs1engine_lib:
        engine = Gs1Engine(args.gs1engine_lib, dictionary)
    for c in cases:
        c.peers["peer_biip"] = "-" if biip is None else ("n/a" if c.raw is None else biip.run(c.raw))
        c.peers["peer_bwipp"] = "-" if bwip is None else "n/a"
        if engine is None:
            c.peers["peer_gs1engine"] = c.peers["peer_gs1engine_raw"] = "-"
        else:
            c.peers["peer_gs1engine"] = engine.bracketed(c.bracketed) if c.bracketed else engine.scan(scan_of(c.raw))
            c.peers["peer_gs1engine_raw"] = "n/a" if c.raw is None else engine.scan(scan_of(c.raw))
    if bwip is not None:
        with_b = [c for c in cases if c.bracketed is not None]
        for c, verdict in zip(with_b, bwip.run_all([c.bracketed for c in with_b])):
            c.peers["peer_bwipp"] = verdict
    for d in dl_cases:
        d.peers["peer_biip"] = "-" if biip is None else biip.run(d.uri)
        d.peers["peer_gs1engine"] = "-" if engine is None else engine.data(d.uri)


# --------------------------------------------------------------------------------------
# Output and checks
# --------------------------------------------------------------------------------------

CASES_HEADER = ["id", "bracketed", "raw", "expected", "reason_code", "canonical_hri", "note",
                "peer_biip", "peer_bwipp", "peer_gs1engine", "peer_gs1engine_raw"]
DL_HEADER = ["id", "uri", "expected", "reason_code", "equivalent_bracketed", "note", "peer_biip", "peer_gs1engine"]
REASON_ORDER = ["OK", "OK_BUT_MEANING_CHANGED", "CHECK_DIGIT", "TOO_SHORT", "TOO_LONG", "NON_DIGIT", "BAD_DATE",
                "BAD_TIME", "CSET82", "NOT_ISO3166", "MISSING_REQ", "EXCLUSIVE", "DUP_AI_CONFLICT", "UNKNOWN_AI",
                "EMPTY_VALUE", "BAD_SYNTAX", "NOT_GS1"]


def tsv_field(text: Optional[str]) -> str:
    if text is None or text == "":
        return "-"
    text = text.replace(GS, GS_ESCAPE)
    if "\t" in text or "\n" in text or '"' in text:
        raise ValueError(f"field cannot go into the TSV: {text!r}")
    return text


def write_tsv(path: str, header: list, rows: list) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("\t".join(header) + "\n")
        for row in rows:
            f.write("\t".join(tsv_field(x) for x in row) + "\n")


def read_tsv(path: str) -> list:
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    header = lines[0].split("\t")
    return [dict(zip(header, l.split("\t"))) for l in lines[1:] if l.strip()]


def generate(seed: int, dictionary: str):
    dic = Dictionary(dictionary)
    factory = CaseFactory(dic, random.Random(seed))
    valid = factory.valid_cases()
    invalid = factory.invalid_cases()
    invalid.sort(key=lambda c: REASON_ORDER.index(c.reason))  # stable: recipe order within a reason
    for n, c in enumerate(valid, 1):
        c.id = f"v{n:02d}"
    for n, c in enumerate(invalid, 1):
        c.id = f"i{n:02d}"
    dl = factory.dl_cases()
    for n, d in enumerate(dl, 1):
        d.id = f"d{n:02d}"
    return valid + invalid, dl


def case_rows(cases: list) -> list:
    return [[c.id, c.bracketed, c.raw, c.expected, c.reason, c.canonical, c.note,
             c.peers.get("peer_biip", "-"), c.peers.get("peer_bwipp", "-"),
             c.peers.get("peer_gs1engine", "-"), c.peers.get("peer_gs1engine_raw", "-")] for c in cases]


def dl_rows(dl: list) -> list:
    return [[d.id, d.uri, d.expected, d.reason, d.equivalent, d.note,
             d.peers.get("peer_biip", "-"), d.peers.get("peer_gs1engine", "-")] for d in dl]


def agrees(peer: str, expected: str, reason: str, canonical: str) -> Optional[bool]:
    """None when the peer did not run; else whether its verdict matches."""
    if peer in ("-", "n/a"):
        return None
    if peer == "ok (non-GS1 data)" and reason in ("NOT_GS1", "BAD_SCHEME"):
        return True  # the GS1 Syntax Engine took the data as plain text: not GS1 either
    if expected == "valid":
        return peer == "ok" or peer == cut("ok " + canonical)
    return peer.startswith("error")


# Where a peer is known to differ (README.md, "Peers"): (peer column, reason code) -> why.
KNOWN_PEER_DIFFERENCES = {
    ("peer_biip", "MISSING_REQ"): "biip does not check req= rules",
    ("peer_biip", "EXCLUSIVE"): "biip does not check ex= rules",
    ("peer_biip", "DUP_AI_CONFLICT"): "biip does not compare repeated AIs",
    ("peer_biip", "NOT_ISO3166"): "biip does not check country codes",
    ("peer_biip", "NOT_GS1"): "biip ignores the symbology identifier",
    ("peer_biip", "BAD_SYNTAX"): "biip skips empty elements between GS separators",
    ("peer_biip", "QUALIFIER_AS_ATTRIBUTE"): "biip is lax on Digital Link qualifier placement",
    ("peer_biip", "QUALIFIER_MIX"): "biip is lax on Digital Link qualifier placement",
    ("peer_biip", "DUP_AI"): "biip keeps duplicated Digital Link AIs",
    ("peer_biip", "UNKNOWN_AI/dl"): "biip drops unknown AIs from the Digital Link query",
    ("peer_biip", "EMPTY_VALUE/dl"): "biip drops empty Digital Link attributes",
    ("peer_biip", "ZERO_SUPPRESSED_GTIN"): "biip left-pads short GTINs in Digital Link paths",
    ("peer_biip", "NOT_DL_ATTRIBUTE"): "biip does not check which AIs may be Digital Link attributes",
    ("peer_biip", "BAD_PERCENT_ESCAPE"): "biip keeps a malformed percent escape as text",
    ("peer_biip", "OK/dl"): "biip reads only a lower-case scheme",
    ("peer_gs1engine", "BAD_PERCENT_ESCAPE"): "the GS1 Syntax Engine keeps a malformed percent escape as text",
}


def known_difference(col: str, row: dict, dl: bool) -> Optional[str]:
    reason = row["reason_code"]
    why = KNOWN_PEER_DIFFERENCES.get((col, reason + ("/dl" if dl else "")))
    why = why or KNOWN_PEER_DIFFERENCES.get((col, reason))
    if why:
        return why
    note_ai = row["note"][1:row["note"].find(")")] if row["note"].startswith("(") else ""
    if col == "peer_biip" and reason == "CHECK_DIGIT" and not dl and note_ai not in (
            "00", "01", "02", "03", "410", "411", "412", "413", "414", "415", "416", "417"):
        return "biip checks the check digits of GTIN, SSCC and GLN only"
    if col == "peer_biip" and reason == "BAD_DATE" and "day 00" in row["note"]:
        return "biip accepts day 00 in every date"
    if col == "peer_biip" and reason == "TOO_LONG" and row[col].startswith("ok"):
        return "biip ends a variable-length value at its maximum length and reads the rest as more AIs"
    if col == "peer_biip" and reason == "OK" and "(7007)" in row[col]:
        return "biip cannot read the two-date form of (7007)"
    return None


def peer_report(path: str, dl_path: str) -> list:
    """Every peer verdict that differs from `expected` (or from the canonical form), with
    the known reason or UNEXPLAINED."""
    lines = []
    for file, cols, canon, dl in ((path, ("peer_biip", "peer_bwipp", "peer_gs1engine", "peer_gs1engine_raw"),
                                   "canonical_hri", False),
                                  (dl_path, ("peer_biip", "peer_gs1engine"), "equivalent_bracketed", True)):
        for row in read_tsv(file):
            for col in cols:
                if agrees(row[col], row["expected"], row["reason_code"], row[canon]) is False:
                    why = known_difference(col, row, dl) or "UNEXPLAINED"
                    lines.append(f"{row['id']} {row['reason_code']} {col} [{why}]: {row[col]}")
    return lines


def packbench_report(binary: str, path: str, dl_path: str) -> list:
    """Every form on which the project's parser (`packbench parse --json`) disagrees."""

    def run(scan: str) -> dict:
        res = subprocess.run([binary, "parse", "--json", scan], capture_output=True, text=True)
        try:
            return json.loads(res.stdout)
        except json.JSONDecodeError:
            return {"ok": False, "error": f"no JSON (exit {res.returncode}): {res.stderr.strip()[:80]}"}

    def judge(out: dict, expected: str, reason: str, canonical: str) -> Optional[str]:
        if expected == "valid":
            if not out.get("ok"):
                return f"got {out.get('error')} ({out.get('message', '')})"
            if out.get("hri") != canonical:
                return f"hri {out.get('hri')}"
            codes = [w["code"] for w in out.get("warnings", [])]
            if (reason == "OK" and codes) or (reason != "OK" and reason not in codes):
                return f"warnings {codes}: " + "; ".join(w["message"] for w in out.get("warnings", []))
            return None
        if out.get("ok"):
            return f"got valid {out.get('hri')}"
        if out.get("error") != reason:
            return f"got {out.get('error')} ({out.get('message', '')})"
        return None

    def elements(out: dict) -> list:
        return [(e["ai"], e["value"]) for e in out.get("elements", [])]

    def round_trips(out: dict, dl: bool) -> Optional[str]:
        """What tests/gs1_cases.rs also checks: raw, HRI (and the Digital Link URI) parse back."""
        again = [("raw", out.get("raw")), ("hri", out.get("hri"))]
        if dl:
            again.append(("digital link", out.get("digital_link")))
        for what, text in again:
            if not text or elements(run(text)) != elements(out):
                return f"its {what} {text!r} does not parse back to the same elements"
        return None

    lines = []
    trap_seen = False
    for row in read_tsv(path):
        if row["reason_code"] == "OK_BUT_MEANING_CHANGED" and not trap_seen:
            trap_seen = True  # tests/gs1_cases.rs looks at the first such row more closely
            out = run(row["raw"])
            warnings = out.get("warnings", [])
            if out.get("keys", {}).get("serial") is not None or not warnings \
                    or "(21)SN0001" not in warnings[0]["message"]:
                lines.append(f"{row['id']} first OK_BUT_MEANING_CHANGED row: serial "
                             f"{out.get('keys', {}).get('serial')!r}, warnings {warnings}")
        forms = []
        if row["bracketed"] != "-":
            reason = "OK" if row["reason_code"] == "OK_BUT_MEANING_CHANGED" else row["reason_code"]
            forms.append(("bracketed", row["bracketed"], reason))
        if row["raw"] != "-":
            forms.append(("raw", row["raw"].replace(GS_ESCAPE, GS), row["reason_code"]))
            forms.append(("raw-escaped", row["raw"], row["reason_code"]))
        for form, scan, reason in forms:
            out = run(scan)
            why = judge(out, row["expected"], reason, row["canonical_hri"])
            if not why and out.get("ok"):
                why = round_trips(out, False)
            if why:
                lines.append(f"{row['id']} {form} expected {row['expected']} {reason}: {why}")
    for row in read_tsv(dl_path):
        out = run(row["uri"])
        why = judge(out, row["expected"], row["reason_code"], row["equivalent_bracketed"])
        if not why and out.get("ok"):
            why = round_trips(out, True)
        if why:
            lines.append(f"{row['id']} dl expected {row['expected']} {row['reason_code']}: {why}")
    return lines


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    ap.add_argument("--dictionary", default=os.path.join(HERE, "gs1-syntax-dictionary.txt"))
    ap.add_argument("--out-dir", default=HERE, help="where cases.tsv and dl_cases.tsv go (default: beside this script)")
    ap.add_argument("--bwip-js", metavar="DIR", help="folder whose node_modules holds bwip-js (peer_bwipp)")
    ap.add_argument("--gs1engine-lib", metavar="SO", help="libgs1encoders.so of the GS1 Syntax Engine (peer_gs1engine*)")
    ap.add_argument("--check-only", action="store_true", help="write nothing; only report on the existing files")
    ap.add_argument("--packbench", metavar="BIN", help="report where `BIN parse --json` disagrees with the files")
    args = ap.parse_args()

    cases_path = os.path.join(args.out_dir, "cases.tsv")
    dl_path = os.path.join(args.out_dir, "dl_cases.tsv")
    if not args.check_only:
        cases, dl = generate(args.seed, args.dictionary)
        fill_peers(cases, dl, args, args.dictionary)
        write_tsv(cases_path, CASES_HEADER, case_rows(cases))
        write_tsv(dl_path, DL_HEADER, dl_rows(dl))
        counts = {}
        for c in cases:
            counts[c.reason] = counts.get(c.reason, 0) + 1
        print(f"{cases_path}: {len(cases)} cases; {dl_path}: {len(dl)} cases", file=sys.stderr)
        print("  " + ", ".join(f"{r} {counts.get(r, 0)}" for r in REASON_ORDER), file=sys.stderr)
    disagreements = peer_report(cases_path, dl_path)
    print(f"peer verdicts that differ from `expected`: {len(disagreements)}", file=sys.stderr)
    for line in disagreements:
        print("  " + line, file=sys.stderr)
    if args.packbench:
        lines = packbench_report(args.packbench, cases_path, dl_path)
        print(f"packbench disagreements: {len(lines)}", file=sys.stderr)
        for line in lines:
            print("  " + line, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
