"""The installed package: where it imports from, its version against the
library's and the CLI's, and the failure when the library is not found."""
import os
import subprocess
import sys
import unittest

BIN = os.environ["STEERWATCH_BIN"]
SCRATCH = os.environ["STEERWATCH_SCRATCH"]


class Install(unittest.TestCase):
    def test_imports_the_installed_copy(self):
        import steerwatch
        self.assertTrue(steerwatch.__file__.startswith(
            os.path.join(SCRATCH, "venv")), steerwatch.__file__)

    def test_versions_agree(self):
        import steerwatch
        cli = subprocess.run([BIN, "--version"], capture_output=True,
                             text=True, check=True).stdout
        self.assertEqual(steerwatch.__version__, steerwatch.library_version)
        self.assertIn(steerwatch.library_version, cli)
        self.assertEqual(os.path.realpath(steerwatch.library_path),
                         os.path.realpath(os.environ["STEERWATCH_LIB"]))

    def test_missing_library_names_what_it_tried(self):
        env = dict(os.environ, STEERWATCH_LIB="/nonexistent/libsteerwatch.so")
        r = subprocess.run([sys.executable, "-c", "import steerwatch"],
                           capture_output=True, text=True, env=env)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("ImportError", r.stderr)
        self.assertIn("STEERWATCH_LIB: /nonexistent/libsteerwatch.so",
                      r.stderr)


if __name__ == "__main__":
    unittest.main()
