# cfn-lint kept running for one test process: each request is one line, a
# JSON list of template paths; each answer is one line, a JSON object with
# "output" (cfn-lint's parseable output, empty when clean) and "clean".
#
# It runs cfn-lint's own command-line code (the configuration of
# `cfn-lint --format parseable -- FILES`, the same rule set, the same
# formatter) without starting Python and loading the schemas again for every
# template: the rules are loaded once, by the first request. It exits when its
# standard input closes, that is, when the test process ends.
import json
import sys

from cfnlint.config import ConfigMixIn
from cfnlint.runner.cli import Runner, get_formatter

runner = None
for line in sys.stdin:
    files = json.loads(line)
    config = ConfigMixIn(["--format", "parseable", "--", *files])
    if runner is None:
        runner = Runner(config)
    else:
        runner.config = config
    matches = list(runner.run())
    matches.sort(key=lambda m: (m.filename, m.linenumber, m.rule.id))
    output = get_formatter(config).print_matches(matches, runner.rules, config=config)
    answer = {"clean": not matches, "output": output or ""}
    sys.stdout.write(json.dumps(answer) + "\n")
    sys.stdout.flush()
