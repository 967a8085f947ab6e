#!/usr/bin/env bash
# `make test`: builds the tests once, then runs them as several test processes
# at the same time, each with a share of the suites: one more than the machine
# has cores, at most 4 (TEST_SHARDS=N for another number).
#
# Why several: most of a run is spent waiting, not computing (on a PostgreSQL
# server, on the real binary in tmux, on a file's fsync); one process used
# about a third of one core, and two shares took half the time of one whole
# run on two cores, three shares 0.48 of it (495 s against 1,035 s; more
# share the cores and gain little). Every suite runs exactly once, in one
# share: the suites are dealt out slowest first, each to the share with the
# fewest seconds so far (by scripts/test-seconds.txt), so the shares end at
# about one time.
#
# `swift test` cannot run twice at once (it locks .build), so the shares run
# the built test bundle directly, which takes a comma-separated list of suites.
# Every line is prefixed with its share ("1|", "2|", …); the failures of all
# are repeated at the end.
set -uo pipefail
cd "$(dirname "$0")/.."

swift build --build-tests || exit $?
bundle="$(swift build --show-bin-path)/crmPackageTests.xctest"

cores=$(nproc 2>/dev/null || echo 1)
shards=${TEST_SHARDS:-$(( cores + 1 > 4 ? 4 : cores + 1 ))}
[[ "$shards" =~ ^[1-9][0-9]*$ ]] || { echo "TEST_SHARDS is \"$shards\"; expected a whole number from 1" >&2; exit 64; }
suites=$("$bundle" --list-tests | grep -E '^[A-Za-z]+Tests\.[A-Za-z0-9_]+/' | cut -d/ -f1 | sort -u)
[ -n "$suites" ] || { echo "the test bundle lists no tests" >&2; exit 70; }

logs=$(mktemp -d "${TMPDIR:-/tmp}/crm-tests.XXXXXX")
trap 'rm -rf "$logs"' EXIT

# "share suite" lines: the slowest suite first, each to the lightest share.
dealt=$(awk '
    FNR == NR { if ($0 !~ /^#/ && NF == 2) seconds[$2] = $1; next }
    { s = $0; sub(/^[^.]*\./, "", s); print (s in seconds ? seconds[s] : 1), $0 }
' scripts/test-seconds.txt - <<<"$suites" | sort -k1,1nr -k2,2 | awk -v k="$shards" '
    { best = 1; for (i = 2; i <= k; i++) if (load[i] < load[best]) best = i
      load[best] += $1; print best, $2 }')

run_share() { # number
    local n=$1 list
    list=$(awk -v n="$n" '$1 == n { print $2 }' <<<"$dealt" | paste -sd, -)
    [ -n "$list" ] || { echo 0 > "$logs/rc$n"; return; }
    { "$bundle" "$list" 2>&1; echo $? > "$logs/rc$n"; } | tee "$logs/out$n" | sed -u "s/^/$n| /"
}

started=$SECONDS
for ((n = 1; n <= shards; n++)); do run_share $n & done
wait

status=0
echo
echo "== $((SECONDS - started)) s for $shards shares at once"
for ((n = 1; n <= shards; n++)); do
    rc=$(cat "$logs/rc$n" 2>/dev/null || echo 1)
    summary=$(grep -E "^[[:space:]]*Executed [0-9]+ tests" "$logs/out$n" | tail -1 | sed 's/^[[:space:]]*//')
    echo "== share $n: ${summary:-no summary (the test process ended early)}, exit $rc"
    grep -E "error: |' failed \(" "$logs/out$n" | sed "s/^/   /"
    [ "$rc" = 0 ] || status=1
done
exit $status
