"""Run a page's browser-side callback function in Node.js with dashboard/assets/url_choice.js loaded (as Dash does)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

URL_CHOICE = Path(__file__).parents[2] / "dashboard" / "assets" / "url_choice.js"
NO_UPDATE = "<no_update>"  # what the stand-in for Dash's `window.dash_clientside.no_update` is


def run(script: str, *args, origin: str = "http://127.0.0.1:8050"):
    """The JSON value `script` (a JavaScript function) returns for `args` on a page opened from `origin`; NO_UPDATE
    when it changes nothing."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed: the browser-side callbacks cannot be run outside a browser")
    program = (f"global.window = {{dash_clientside: {{no_update: {json.dumps(NO_UPDATE)}}}, "
               f"location: {{origin: {json.dumps(origin)}}}}};\n"
               f"eval(require('fs').readFileSync({json.dumps(str(URL_CHOICE))}, 'utf8'));\n"
               f"const choose = ({script});\n"
               f"process.stdout.write(JSON.stringify(choose(...{json.dumps(list(args))})));\n")
    done = subprocess.run([node, "-e", program], capture_output=True, text=True, timeout=30, check=True)
    return json.loads(done.stdout)
