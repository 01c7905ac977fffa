"""The golden audit through Python against the CLI's files (written by
golden.test.sh into SCRATCH/cli) and audit_small/expected.*. Runs in
tests/golden/audit_small, with relative paths as the CLI run had."""
import filecmp
import json
import os
import unittest

import pandas as pd
import pandas.testing as pdt

import steerwatch

SCRATCH = os.environ["STEERWATCH_SCRATCH"]
CLI = os.path.join(SCRATCH, "cli")
FILES = ("results.json", "regions.csv", "flagged.csv", "rejects.csv",
         "coefficients.csv", "periods.csv", "weekly.csv", "facilities.csv")
TABLES = ("coefficients", "periods", "weekly", "regions", "facilities",
          "flagged", "rejects")
OPTIONS = dict(regions="regions.geojson", region_id="code",
               target=["sanctuary=yes", "population=1000"],
               covariate="population", event=["2021-03-01:policy",
                                              "2021-05-15"],
               window=4, seed=1, threads=2)


def numbers(results):
    """results.json without its provenance (paths and digests of inputs),
    which a DataFrame's temporary file changes."""
    return {k: v for k, v in results.items() if k != "provenance"}


class Golden(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.out = os.path.join(SCRATCH, "py")
        cls.audit = steerwatch.audit("records.csv", attrs="attrs.csv",
                                     out=cls.out, **OPTIONS)

    def test_files_equal_the_clis_and_expected(self):
        for f in FILES:
            with self.subTest(f):
                mine = os.path.join(self.out, f)
                self.assertTrue(filecmp.cmp(mine, os.path.join(CLI, f),
                                            shallow=False), f + " vs CLI")
                self.assertTrue(filecmp.cmp(mine, "expected." + f,
                                            shallow=False), f + " vs expected")
        self.assertTrue(filecmp.cmp(os.path.join(self.out, "report.html"),
                                    os.path.join(CLI, "report.html"),
                                    shallow=False))

    def test_frames_equal_the_expected_files(self):
        for t in TABLES:
            with self.subTest(t):
                want = pd.read_csv("expected.%s.csv" % t,
                                   float_precision="round_trip")
                got = getattr(self.audit, t)
                self.assertEqual(len(got), len(want))
                pdt.assert_frame_equal(got, want, check_dtype=False)

    def test_results_summary_and_headline(self):
        with open("expected.results.json") as f:
            self.assertEqual(self.audit.results, json.load(f))
        with open(os.path.join(SCRATCH, "cli.stderr")) as f:
            self.assertTrue(f.read().startswith(self.audit.summary))
        for i, row in self.audit.headline.iterrows():
            h = self.audit.results["targets"][i]["headline"]
            self.assertEqual(row.target, OPTIONS["target"][i])
            self.assertEqual((row.design, row.event, row.onset),
                             (h["design"], h["event"], h["onset"]))
            self.assertEqual([row.estimate, row.ci_low, row.ci_high,
                              row.p_value], [h["estimate"], *h["ci95"],
                                             h["p_value"]])
        self.assertEqual(self.audit.counts, {
            "read": 301, "accepted": 300, "rejected": 1, "unassigned": 2,
            "flagged": 140})
        self.assertIn("<html", self.audit.report_html)
        self.assertIn("srcdoc=", self.audit._repr_html_())

    def test_dataframe_in_gives_the_same_numbers(self):
        # Text as written (ids, codes, blanks), so that the rows the
        # library reads are those of the file.
        df = pd.read_csv("records.csv", dtype=str, keep_default_na=False)
        a = steerwatch.audit(df, attrs="attrs.csv", **OPTIONS)
        self.assertEqual(numbers(a.results), numbers(self.audit.results))
        for t in TABLES:
            with self.subTest(t):
                got, want = getattr(a, t), getattr(self.audit, t)
                if t == "rejects":
                    # Byte offsets count the file's quotes, which pandas
                    # writes differently.
                    got, want = got.drop(columns="byte"), want.drop(
                        columns="byte")
                pdt.assert_frame_equal(got, want)
        self.assertFalse(os.path.exists(a.results["provenance"]["inputs"][0]
                                        ["path"]), "temporary CSV left")
        d = a.dir
        del a
        self.assertFalse(os.path.exists(d), "temporary output left")

    def test_dates_and_attributes_as_frames(self):
        # datetime64 dates are written ISO; attributes may be a DataFrame
        # too, with their open-ended validity as NaT.
        df = pd.read_csv("records.csv", dtype=str, keep_default_na=False)
        good = df[df.id != "bad"]
        dated = good.assign(date=pd.to_datetime(good.date))
        attrs = pd.read_csv("attrs.csv", dtype=str, parse_dates=[
            "valid_from", "valid_to"])
        a = steerwatch.audit(dated, attrs=attrs, **OPTIONS)
        b = steerwatch.audit(good, attrs="attrs.csv", **OPTIONS)
        self.assertEqual(numbers(a.results), numbers(b.results))
        self.assertEqual(a.results["records"]["rejected"], 0)
        self.assertEqual(a.results["targets"],
                         self.audit.results["targets"])
        pdt.assert_frame_equal(a.weekly, self.audit.weekly)

    def test_geodataframe_regions(self):
        try:
            import geopandas
        except ImportError:
            self.skipTest("no geopandas")
        g = geopandas.read_file("regions.geojson")
        a = steerwatch.audit("records.csv", attrs="attrs.csv",
                             **dict(OPTIONS, regions=g))
        self.assertEqual(numbers(a.results), numbers(self.audit.results))

    def test_write_and_save_report(self):
        d = os.path.join(SCRATCH, "copy")
        self.audit.write(d)
        for f in FILES + ("report.html",):
            self.assertTrue(filecmp.cmp(os.path.join(d, f),
                                        os.path.join(self.out, f),
                                        shallow=False), f)
        p = os.path.join(SCRATCH, "page.html")
        self.audit.save_report(p)
        with open(p) as f:
            self.assertEqual(f.read(), self.audit.report_html)


if __name__ == "__main__":
    unittest.main()
