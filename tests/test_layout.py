"""The toolkit's modules, grouped by stage, import on their own: no import cycle between
stages hides behind the order in which a test run happens to import them."""

import subprocess
import sys

import pytest

IMPORT_EACH_ALONE = """
import importlib, pkgutil, sys
import opendata
names = sorted(m.name for m in pkgutil.walk_packages(opendata.__path__, "opendata.")
               if m.name != "opendata.__main__")  # runs the command line when imported
for name in names:
    for loaded in [m for m in sys.modules if m == "opendata" or m.startswith("opendata.")]:
        del sys.modules[loaded]
    try:
        importlib.import_module(name)
    except Exception as error:
        print(f"{name}: {type(error).__name__}: {error}")
print(len(names), "modules")
"""


@pytest.mark.slow  # several seconds alone: CI runs it with -m slow
def test_every_module_imports_on_its_own():
    done = subprocess.run([sys.executable, "-c", IMPORT_EACH_ALONE], capture_output=True,
                          text=True, check=True)
    *failures, count = done.stdout.splitlines()
    assert failures == []
    assert int(count.split()[0]) > 60  # the walk found the stage packages' modules
