import importlib.util
import pathlib
import sys

if "casework_fixtures" not in sys.modules:
    _path = pathlib.Path(__file__).resolve().parent.parent / "applications" / "casework_fixtures.py"
    _spec = importlib.util.spec_from_file_location("casework_fixtures", _path)
    _mod = importlib.util.module_from_spec(_spec)
    sys.modules["casework_fixtures"] = _mod
    _spec.loader.exec_module(_mod)

from casework_fixtures import *  # noqa: E402,F401,F403

if str(pathlib.Path(__file__).resolve().parent) not in sys.path:
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
