"""Rewrite the responses of service/openapi_examples.json from what the service answers now.

Run after a deliberate change of the bundled packs or policy that changes an example's answer
(tests/test_openapi.py fails and shows the difference): `.venv/bin/python scripts/openapi-examples.py`.
Read the diff before committing it: the examples are what integrators build against.
"""

from __future__ import annotations

import json
import sys
import tempfile
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
warnings.simplefilter("ignore")

from service.openapi_docs import EXAMPLES_FILE  # noqa: E402
from service.testing import documented_example_client, send_documented_example  # noqa: E402


def main() -> int:
    examples = json.loads(EXAMPLES_FILE.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp, documented_example_client(Path(tmp)) as client:
        for example in examples:
            answer = send_documented_example(client, example)
            if answer.status_code != example["status"]:
                print(f"{example['name']}: status {answer.status_code}: {answer.text}", file=sys.stderr)
                return 1
            example["response"] = answer.json()
    EXAMPLES_FILE.write_text(json.dumps(examples, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"{len(examples)} examples written to {EXAMPLES_FILE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
