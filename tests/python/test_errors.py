"""Errors and rejects, run in tests/golden/audit_small beside its inputs."""
import os
import subprocess
import unittest

import steerwatch
import steerwatch._check

BIN = os.environ["STEERWATCH_BIN"]
SCRATCH = os.environ["STEERWATCH_SCRATCH"]
GOOD = dict(attrs="attrs.csv", regions="regions.geojson", region_id="code",
            target="sanctuary=yes")


def cli_error(*args):
    """The CLI's error line for the same failure, without "steerwatch: "."""
    r = subprocess.run([BIN, *args], capture_output=True, text=True)
    assert r.returncode != 0, args
    return r.stderr.splitlines()[0].removeprefix("steerwatch: ")


def scratch_file(name, text):
    p = os.path.join(SCRATCH, name)
    with open(p, "w") as f:
        f.write(text)
    return p


class Errors(unittest.TestCase):
    def test_missing_file(self):
        with self.assertRaises(steerwatch.Error) as c:
            steerwatch.audit("no-such.csv", **GOOD)
        e = c.exception
        self.assertEqual((e.code, e.status, e.file), ("SW_E_OPEN", 2,
                                                      "no-such.csv"))
        self.assertEqual(e.reason, "cannot open input")
        self.assertEqual(str(e), cli_error(
            "audit", "--records", "no-such.csv", "--attrs", "attrs.csv",
            "--regions", "regions.geojson", "--region-id", "code",
            "--target", "sanctuary=yes", "--out",
            os.path.join(SCRATCH, "cli-out")))
        with self.assertRaises(steerwatch.Error) as c:
            steerwatch.audit("records.csv", **dict(GOOD, attrs="none.csv"))
        self.assertEqual((c.exception.code, c.exception.file),
                         ("SW_E_OPEN", "none.csv"))

    def test_header_without_date(self):
        with open("records.csv") as f:
            text = f.read()
        p = scratch_file("nodate.csv", text.replace("id,date,", "id,when,", 1))
        for call in (lambda: steerwatch.check(p),
                     lambda: steerwatch.audit(p, **GOOD)):
            with self.assertRaises(steerwatch.Error) as c:
                call()
            e = c.exception
            self.assertEqual((e.code, e.file, e.line, e.column),
                             ("SW_E_SCHEMA", p, 1, "date"))
            self.assertEqual(str(e), cli_error("check", p))
            self.assertIn("required column", e.message)

    def test_bad_target_is_a_usage_error(self):
        with self.assertRaises(steerwatch.Error) as c:
            steerwatch.audit("records.csv", **dict(GOOD, target="sanctuary"))
        self.assertEqual(c.exception.code, "SW_E_USAGE")
        self.assertIn('"sanctuary"', str(c.exception))

    def test_bad_options_are_usage_errors(self):
        for bad in (dict(event="2021-13-01"), dict(baseline="2021-01-01"),
                    dict(alternatives=0), dict(period="week"),
                    dict(window=0), dict(min_change=0), dict(ties_km=-1),
                    dict(delimiter="x"), dict(distance="km")):
            with self.subTest(bad):
                with self.assertRaises(steerwatch.Error) as c:
                    steerwatch.audit("records.csv", **GOOD, **bad)
                self.assertEqual(c.exception.code, "SW_E_USAGE")
        with self.assertRaises(TypeError):
            steerwatch.audit("records.csv", **GOOD, no_such_option=1)

    def test_check_returns_rejects_with_line_and_column(self):
        with open("records.csv") as f:
            lines = f.read().splitlines()
        lines.insert(3, "id900,2021-04-01,4O.7,-97.3,41,-98,,,,,x,,z")
        lines.append(lines[1])   # a repeated id
        p = scratch_file("bad.csv", "\n".join(lines) + "\n")
        r = steerwatch.check(p)
        self.assertEqual((r.read, r.accepted, r.rejected), (303, 300, 3))
        self.assertEqual(len(r.rejects), 3)
        got = r.rejects[["file", "line", "column"]].values.tolist()
        self.assertEqual(got[0], [p, 4, "origin_lat"])
        self.assertIn("4O.7", r.rejects.reason[0])
        self.assertEqual(r.rejects.raw[0], lines[3])
        self.assertEqual(got[1], [p, 303, "date"])
        self.assertEqual(got[2][:2], [p, 304])
        self.assertEqual(r.rejects.column[2], "id")
        # The same as `steerwatch check --json` says.
        out = subprocess.run([BIN, "check", p, "--json"], capture_output=True,
                             text=True).stdout
        self.assertIn('"read": 303, "accepted": 300, "rejected": 3', out)

    def test_callback_exception_is_raised(self):
        class Broken(steerwatch._check.RejectSink):
            def add(self, input, row):
                raise ValueError("sink broke on line %d" % row[1])

        real = steerwatch._check.RejectSink
        steerwatch._check.RejectSink = Broken
        try:
            with self.assertRaisesRegex(ValueError, "sink broke on line 302"):
                steerwatch.check("records.csv")
        finally:
            steerwatch._check.RejectSink = real


if __name__ == "__main__":
    unittest.main()
