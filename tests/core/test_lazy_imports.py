"""numpy is imported where it is used: not by the modules the app imports at start-up."""

import subprocess
import sys


def test_start_up_modules_do_not_import_numpy():
    code = (
        "import sys, gongkai.core.text_cluster, gongkai.core.report_parse.ocr;"
        "assert 'numpy' not in sys.modules, 'numpy imported';"
        "import gongkai.core.text_cluster as tc;"
        "tc.similarity_matrix([['a'], ['a', 'b']]);"
        "assert 'numpy' in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
