#!/usr/bin/env bash
# Mutation testing of the security-critical modules with mutmut (issue 19). Not in CI: it is slow.
#
#   bash scripts/mutation.sh                   # every configured module (validators, destinations, policy,
#                                              # audit, zip limits, normalize, redact, secrecy guards)
#   bash scripts/mutation.sh validators redact audit   # some of them
#   bash scripts/mutation.sh --results         # the last run's surviving mutants (mutmut results)
#   bash scripts/mutation.sh --show NAME       # one mutant's diff
#
# The modules and the tests that pin them are in pyproject.toml ([tool.mutmut]). mutmut runs the
# selected tests once to learn which test reaches which function, then runs each mutant against only
# those tests. The score and every surviving mutant accepted are in docs/architecture.md
# ("Mutation testing"). MUTMUT_CHILDREN (default 2) sets the number of parallel workers.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/mutmut ] || .venv/bin/python -m pip install -q -e '.[test,mutation]'

declare -A MODULE=(
    [validators]="dlp.validators*"
    [destinations]="dlp.destinations*"
    [policy]="dlp.policy*"
    [audit]="dlp.audit*"
    [zip]="dlp.extract.zipsafe*"
    [limits]="dlp.extract.limits*"
    [normalize]="dlp.normalize*"
    [redact]="dlp.redact*"
    [secrecy]="dlp.recognizers.secrecy_guards*"
)

case "${1:-}" in
    --results) exec .venv/bin/mutmut results ;;
    --show) exec .venv/bin/mutmut show "$2" ;;
esac

patterns=()
for group in "${@:-${!MODULE[@]}}"; do
    if [ -z "${MODULE[$group]+x}" ]; then
        echo "未知的模組群組「$group」；可用：${!MODULE[*]}" >&2
        exit 2
    fi
    patterns+=("${MODULE[$group]}")
done

.venv/bin/mutmut run --max-children "${MUTMUT_CHILDREN:-2}" "${patterns[@]}"
.venv/bin/mutmut results
