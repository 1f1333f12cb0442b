"""The redaction rules are compiled when a text first needs them, not when redaction is imported: every store module
imports it, and a read (`trackit lineage`) redacts nothing. Checked in a fresh interpreter (this one's tests have
compiled rules already), by which rules hold a compiled pattern, never by timing."""

from __future__ import annotations

import json
import subprocess
import sys


def test_importing_compiles_no_rule_and_a_redaction_only_the_rules_its_text_calls_for():
    program = (
        "import json\n"
        "from trackit_sidecar.redaction import redact_text\n"
        "from trackit_sidecar.redaction.rules import RULES\n"
        "compiled = lambda: sorted({r.kind for r in RULES if 'pattern' in vars(r)})\n"
        "at_import = compiled()\n"
        "text = redact_text('key = \"AKIAIOSFODNN7EXAMPLE\"')\n"
        "print(json.dumps([len(RULES), at_import, compiled(), text]))\n")
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    count, at_import, after, text = json.loads(done.stdout)
    assert count > 50 and at_import == []
    assert "AKIAIOSFODNN7EXAMPLE" not in text and "[REDACTED:aws_access_key_id]" in text
    assert "aws_access_key_id" in after and 0 < len(after) < count  # the rules this text's hints called for
