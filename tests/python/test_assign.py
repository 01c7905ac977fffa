"""assign() against the CLI's output (SCRATCH/cli.csv, its summary in
SCRATCH/cli.stderr), run in tests/golden/audit_small."""
import os
import re
import unittest

import pandas as pd
import pandas.testing as pdt

import steerwatch

SCRATCH = os.environ["STEERWATCH_SCRATCH"]
OPTIONS = dict(regions="regions.geojson", region_id="code",
               lat="origin_lat", lon="origin_lon")


class Assign(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.cli = pd.read_csv(os.path.join(SCRATCH, "cli.csv"),
                              dtype={"region": str})
        with open(os.path.join(SCRATCH, "cli.stderr")) as f:
            cls.counts = dict((k.strip(), int(v)) for k, v in re.findall(
                r"^(rows read|assigned|unassigned|invalid|on boundary) +(\d+)",
                f.read(), re.M))

    def test_file_gives_the_clis_regions_and_counts(self):
        df, st = steerwatch.assign("records.csv", stats=True, **OPTIONS)
        pdt.assert_frame_equal(df, self.cli)
        self.assertEqual(self.counts, {
            "rows read": st.read, "assigned": st.assigned,
            "unassigned": st.unassigned, "invalid": st.invalid,
            "on boundary": st.on_boundary})
        self.assertGreater(st.assigned, 0)
        self.assertEqual(st.regions, 9)
        self.assertEqual(len(df.attrs["invalid"]), st.invalid)

    def test_dataframe_keeps_its_columns_and_gains_region(self):
        pts = pd.read_csv("records.csv")
        df = steerwatch.assign(pts, **OPTIONS)
        self.assertEqual(list(df.columns), list(pts.columns) + ["region"])
        pdt.assert_frame_equal(df.drop(columns="region"), pts)
        pdt.assert_series_equal(df.region, self.cli.region)

    def test_invalid_points_are_listed(self):
        pts = pd.DataFrame({"lat": [40.5, "x", None], "lon": [-98.5, 1, 2]})
        df, st = steerwatch.assign(pts, regions="regions.geojson",
                                   region_id="code", stats=True)
        self.assertEqual((st.read, st.invalid), (3, 2))
        self.assertTrue(df.region[1:].isna().all())
        self.assertEqual(df.attrs["invalid"].line.tolist(), [3, 4])
        self.assertEqual(df.attrs["invalid"].column[0], "lat")


if __name__ == "__main__":
    unittest.main()
