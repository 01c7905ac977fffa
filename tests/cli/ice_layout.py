#!/usr/bin/env python3
"""ice_layout.py — synthetic placement records in the layout ICE releases:
a title and notes above the header, its column names, date-times and
M/D/YY dates, facility codes (real ones from the facility list, and a few
unknown), FOIA redactions, and a place name with a non-ASCII letter. The
records are SIMULATED; only the facility codes and county ids are real.

Writes, from one set of rows, into OUT_DIR:
  records.csv       UTF-8, comma, with the preamble (the reference copy)
  records.xlsx      the same as a workbook: preamble, shared strings,
                    date-times as date-styled numbers, split over two
                    sheets (the second repeats the preamble and header)
  records.pipe.csv  pipe-delimited, no preamble (to be gzipped by the test)
  records.latin1.csv the reference copy in Latin-1
  records.dta.csv   no preamble, for make_dta (dates as date-times)

Usage: ice_layout.py FACILITIES.csv COUNTY_ATTRS.csv OUT_DIR [N]
"""
import csv
import os
import random
import sys
import zipfile
from datetime import date, datetime, timedelta
from xml.sax.saxutils import escape

fac_path, attrs_path, out = sys.argv[1], sys.argv[2], sys.argv[3]
n = int(sys.argv[4]) if len(sys.argv) > 4 else 800
rng = random.Random(11)

codes = sorted({r["facility"] for r in csv.DictReader(open(fac_path))})
sanctuary, other = [], []
for r in csv.DictReader(open(attrs_path)):
    if r["attribute"] == "sanctuary":
        (sanctuary if r["value"] == "yes" else other).append(r["region"])
sanctuary, other = sorted(set(sanctuary))[:40], sorted(set(other))[:160]

header = ["Unique Identifier", "Stay Book In Date Time",
          "Detention Book Out Date Time", "Detention Facility Code",
          "Release County FIPS", "Detention Release Reason", "Place"]
reasons = ["Bonded Out", "Paroled", "Order of Recognizance",
           "Removed", "Transferred"]
rows = []
for i in range(n):
    out_day = date(2019, 1, 1) + timedelta(days=rng.randrange(730))
    book_in = out_day - timedelta(days=rng.randrange(1, 200))
    # Steering from 2020-03-01: more releases into the target.
    p_target = 0.45 if out_day >= date(2020, 3, 1) else 0.2
    county = rng.choice(sanctuary if rng.random() < p_target else other)
    code = rng.choice(codes[:60])
    uid = "ICE%06d" % i
    if i % 97 == 5:
        uid = "(b)(6)(b)(7)(c)"
    if i % 113 == 7:
        code = "ZZZHOLD"
    hour = rng.randrange(24) if i % 3 else 0
    rows.append([
        uid,
        "%d/%d/%02d" % (book_in.month, book_in.day, book_in.year % 100),
        datetime(out_day.year, out_day.month, out_day.day, hour,
                 rng.randrange(60)).strftime("%Y-%m-%d %H:%M:%S"),
        code, county, rng.choice(reasons),
        "Pe\u00f1itas" if i % 5 == 0 else "Laredo"])

preamble = [["ICE Detention Statistics - Book-Outs FY2019-FY2020"],
            ["SIMULATED records for steerwatch's tests"],
            ["Source: synthetic; facility codes from the NIJC/Marshall list"],
            [], ["Redactions: (b)(6), (b)(7)(c)"], []]


def write_csv(path, delim, with_preamble, encoding="utf-8", body=rows):
    with open(path, "w", newline="", encoding=encoding) as f:
        w = csv.writer(f, delimiter=delim, lineterminator="\n")
        if with_preamble:
            for p in preamble:
                w.writerow(p)
        w.writerow(header)
        w.writerows(body)


write_csv(os.path.join(out, "records.csv"), ",", True)
write_csv(os.path.join(out, "records.latin1.csv"), ",", True, "latin-1")
write_csv(os.path.join(out, "records.pipe.csv"), "|", False)
write_csv(os.path.join(out, "records.dta.csv"), ",", False)

# The workbook: shared strings for text, dates as serial numbers styled as
# dates (style 1), split after the first half into a second sheet.
strings, index = [], {}


def sst(s):
    if s not in index:
        index[s] = len(strings)
        strings.append(s)
    return index[s]


def col(k):
    return chr(ord("A") + k)


def serial(text):
    d = datetime.strptime(text, "%Y-%m-%d %H:%M:%S")
    delta = d - datetime(1899, 12, 30)
    return delta.days + delta.seconds / 86400.0


def sheet_xml(body):
    out_rows, r = [], 0
    for p in preamble + [header]:
        r += 1
        cells = "".join('<c r="%s%d" t="s"><v>%d</v></c>' % (col(k), r, sst(v))
                        for k, v in enumerate(p) if v)
        if cells:
            out_rows.append('<row r="%d">%s</row>' % (r, cells))
    for row in body:
        r += 1
        cells = []
        for k, v in enumerate(row):
            if k == 2:
                cells.append('<c r="%s%d" s="1"><v>%r</v></c>'
                             % (col(k), r, serial(v)))
            else:
                cells.append('<c r="%s%d" t="s"><v>%d</v></c>'
                             % (col(k), r, sst(v)))
        out_rows.append('<row r="%d">%s</row>' % (r, "".join(cells)))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/'
            'spreadsheetml/2006/main"><sheetData>%s</sheetData></worksheet>'
            % "".join(out_rows))


half = len(rows) // 2
sheets = [sheet_xml(rows[:half]), sheet_xml(rows[half:])]
ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
rel_ns = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
with zipfile.ZipFile(os.path.join(out, "records.xlsx"), "w",
                     zipfile.ZIP_DEFLATED) as z:
    z.writestr("[Content_Types].xml",
               '<?xml version="1.0"?><Types xmlns="http://schemas.'
               'openxmlformats.org/package/2006/content-types"/>')
    z.writestr("xl/workbook.xml",
               '<?xml version="1.0"?><workbook xmlns="%s" xmlns:r="%s">'
               '<sheets><sheet name="Book-Outs 1" sheetId="1" r:id="rId1"/>'
               '<sheet name="Book-Outs 2" sheetId="2" r:id="rId2"/></sheets>'
               '</workbook>' % (ns, rel_ns))
    z.writestr("xl/_rels/workbook.xml.rels",
               '<?xml version="1.0"?><Relationships xmlns="http://schemas.'
               'openxmlformats.org/package/2006/relationships">'
               '<Relationship Id="rId1" Target="worksheets/sheet1.xml"/>'
               '<Relationship Id="rId2" Target="/xl/worksheets/sheet2.xml"/>'
               '</Relationships>')
    z.writestr("xl/styles.xml",
               '<?xml version="1.0"?><styleSheet xmlns="%s"><numFmts count="1">'
               '<numFmt numFmtId="164" formatCode="m/d/yyyy\\ h:mm:ss"/>'
               '</numFmts><cellXfs count="2"><xf numFmtId="0"/>'
               '<xf numFmtId="164" applyNumberFormat="1"/></cellXfs>'
               '</styleSheet>' % ns)
    for k, x in enumerate(sheets):
        z.writestr("xl/worksheets/sheet%d.xml" % (k + 1), x)
    z.writestr("xl/sharedStrings.xml",
               '<?xml version="1.0"?><sst xmlns="%s">%s</sst>'
               % (ns, "".join("<si><t>%s</t></si>" % escape(s)
                              for s in strings)))
