#!/usr/bin/env bash
# Mutation testing of the security-critical modules with mutmut (issue 19). Not in CI: it is slow.
#
#   bash scripts/mutation.sh                          # every group below, one after the other
#   bash scripts/mutation.sh validators redact audit  # some of them (one mutmut run, one test selection)
#   bash scripts/mutation.sh --results                # the last run's mutants that were not killed
#   bash scripts/mutation.sh --show NAME              # one mutant's diff
#
# Each group names the modules it mutates and the test files that pin them; mutmut runs those tests
# once to learn which test reaches which function, then runs each mutant against only those tests
# (stopping at the first failure). The configuration is written to setup.cfg for the run and removed
# after it (mutmut reads [mutmut] there). The score and every surviving mutant accepted are in
# docs/architecture.md ("Mutation testing"). MUTMUT_CHILDREN (default 2) sets the parallel workers;
# MUTMUT_ISOLATION=forkserver forks workers from a clean server process instead of the stats run.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/mutmut ] || .venv/bin/python -m pip install -q -e '.[test,mutation]'

declare -A MODULES=(
    [validators]="dlp/validators.py"
    [destinations]="dlp/destinations.py"
    [policy]="dlp/policy.py"
    [audit]="dlp/audit/chain.py dlp/audit/verify.py dlp/audit/writer.py"
    [audit-chain]="dlp/audit/chain.py"
    [audit-verify]="dlp/audit/verify.py"
    [audit-writer]="dlp/audit/writer.py"
    [zip]="dlp/extract/zipsafe.py dlp/extract/limits.py"
    [normalize]="dlp/normalize.py"
    [redact]="dlp/redact.py"
    [secrecy]="dlp/recognizers/secrecy_guards.py"
)
declare -A TESTS=(
    [validators]="tests/test_validators.py"
    [destinations]="tests/test_destinations.py"
    [policy]="tests/test_policy.py tests/test_policy_edges.py tests/test_policy_examples.py"
    [audit]="tests/test_service_audit.py tests/test_invariant_boundaries.py tests/test_mutation_audit.py"
    [audit-chain]="tests/test_service_audit.py tests/test_invariant_boundaries.py tests/test_mutation_audit.py"
    [audit-verify]="tests/test_service_audit.py tests/test_invariant_boundaries.py tests/test_mutation_audit.py"
    [audit-writer]="tests/test_service_audit.py tests/test_invariant_boundaries.py tests/test_mutation_audit.py"
    [zip]="tests/test_extract_archive.py tests/test_mutation_zip.py tests/test_invariant_boundaries.py"
    [normalize]="tests/test_normalize.py tests/test_normalize_evasion.py tests/test_mutation_normalize.py tests/test_invariant_boundaries.py"
    [redact]="tests/test_redact.py tests/test_invariant_boundaries.py"
    [secrecy]="tests/test_secrecy.py tests/test_secrecy_mentions.py tests/test_mutation_secrecy.py"
)
#: Tests mutmut cannot judge: one counts fsyncs against the clock (under instrumentation it measures speed),
#: and those that fork leave children that report to mutmut as if they were the mutant's run ("survived").
DESELECT=(
    tests/test_service_audit.py::test_fsync_group_commit_across_threads_processes_and_rotation
    tests/test_service_audit.py::test_appends_from_several_processes_stay_chained
    tests/test_service_audit.py::test_a_forked_child_gets_its_own_descriptors
)
ORDER="validators redact audit normalize zip destinations policy secrecy"

case "${1:-}" in
    --results|--show)
        # mutmut reads [mutmut] from setup.cfg here too; the run's copy is in mutants/
        [ -e setup.cfg ] || { trap 'rm -f setup.cfg' EXIT; printf '[mutmut]\nsource_paths = dlp\n' > setup.cfg; }
        if [ "$1" = --results ]; then .venv/bin/mutmut results; else .venv/bin/mutmut show "$2"; fi
        exit ;;
esac
# Derived-data caches off (dlp.cache_dir): a cached table built by one mutant's run would hide
# the code that builds it from every later mutant (the fold tables, jieba's tables, pack guards).
export DLP_CACHE_DIR=/dev/null/dlp-mutation-no-cache

groups=("$@")
[ ${#groups[@]} -gt 0 ] || read -r -a groups <<< "$ORDER"
modules=() tests=()
for group in "${groups[@]}"; do
    if [ -z "${MODULES[$group]+x}" ]; then
        echo "未知的模組群組「$group」；可用：$ORDER" >&2
        exit 2
    fi
    read -r -a m <<< "${MODULES[$group]}"; modules+=("${m[@]}")
    read -r -a t <<< "${TESTS[$group]}"; tests+=("${t[@]}")
done
mapfile -t tests < <(printf '%s\n' "${tests[@]}" | sort -u)

if [ -e setup.cfg ]; then
    echo "setup.cfg 已存在；mutmut 的設定會寫在那裡，請先移開" >&2
    exit 2
fi
trap 'rm -f setup.cfg' EXIT
{
    echo "[mutmut]"
    echo "source_paths = dlp"
    echo "process_isolation = ${MUTMUT_ISOLATION:-fork}"
    echo "only_mutate ="; printf '    %s\n' "${modules[@]}"
    echo "also_copy ="; printf '    %s\n' service patterns samples docs setup.py README.md
    echo "pytest_add_cli_args_test_selection ="; printf '    %s\n' "${tests[@]}"
    echo "pytest_add_cli_args ="; printf '    %s\n' -p no:cacheprovider -x -q
    for t in "${DESELECT[@]}"; do printf '    %s\n' --deselect "$t"; done
} > setup.cfg

# mutant names are module paths with dots: dlp/audit/chain.py -> dlp.audit.chain*
names=()
for m in "${modules[@]}"; do names+=("$(echo "${m%.py}" | tr / .)*"); done
.venv/bin/mutmut run --max-children "${MUTMUT_CHILDREN:-2}" "${names[@]}"
.venv/bin/mutmut results
