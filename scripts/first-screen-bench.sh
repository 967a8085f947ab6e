#!/usr/bin/env bash
# The first screen, timed from outside as a person meets it: from the start
# of the process to the first frame drawn, in a private tmux server
# (../shared/tools/keytime, or $KEYTIME), medians of $RUNS runs; and the
# process's CPU time (perf stat, when perf is there), which the other
# programs on a shared machine do not inflate. On an empty database, at
# $CONTACTS contacts (the bench database `crm bench --contacts N` built, or
# one made here), and abook on an abook file of the same contacts (converted
# from crm's vCard export by abook itself) when abook is installed.
#
#   swift build -c release && bash scripts/first-screen-bench.sh
#
# Prints figures; asserts nothing (timings are never tests).
set -euo pipefail
crm=$(realpath "${CRM:-.build/release/crm}")
contacts=${CONTACTS:-100000}
runs=${RUNS:-7}
dir=${TMPDIR:-/tmp}
here=$(cd "$(dirname "$0")/.." && pwd)
keytime=${KEYTIME:-}
for candidate in "$here/../shared/tools/keytime" /work/shared/tools/keytime; do
    [ -z "$keytime" ] && [ -x "$candidate" ] && keytime=$candidate
done
if [ -z "$keytime" ] || ! command -v tmux >/dev/null; then
    echo "first screen: needs keytime (../shared/tools/keytime, or KEYTIME=PATH) and tmux; not measured" >&2
    exit 0
fi
schema=$("$crm" --version | sed -n 's/.*schema version \([0-9]*\).*/\1/p')
big=$dir/crm-bench-$contacts-v$schema.db
if [ ! -s "$big" ]; then
    echo "first screen: building $big ..." >&2
    "$crm" bench --contacts "$contacts" --only keys --runs 1 >/dev/null
fi
empty=$dir/crm-first-screen-empty-$$.db
work=$dir/crm-first-screen-$$
mkdir -p "$work"
trap 'rm -rf "$work" "$empty" "$empty-wal" "$empty-shm"' EXIT
"$crm" user add sara --name "Sara Lindqvist" --role admin --db "$empty" >/dev/null

# Median frame ms of "(start)" over $runs runs, and the median CPU ms.
measure() {
    local cpu=()
    for i in $(seq "$runs"); do
        if command -v perf >/dev/null; then
            "$keytime" --repeat 1 -- perf stat -x, -e task-clock -o "$work/cpu-$i.txt" "$@" -- q >"$work/frame-$i.txt" 2>/dev/null || true
            cpu+=("$(awk -F, '/task-clock/ { printf "%.1f", $1 }' "$work/cpu-$i.txt")")
        else
            "$keytime" --repeat 1 -- "$@" -- q >"$work/frame-$i.txt" 2>/dev/null || true
        fi
    done
    frame=$(cat "$work"/frame-*.txt | awk '/^\(start\)/ { print $2 }' | sort -n | awk '{ a[NR] = $1 } END { print (NR ? a[int((NR + 1) / 2)] : "-") }')
    cpums=$(printf '%s\n' "${cpu[@]:-}" | grep . | sort -n | awk '{ a[NR] = $1 } END { print (NR ? a[int((NR + 1) / 2)] : "-") }')
    rm -f "$work"/frame-*.txt "$work"/cpu-*.txt
}

printf '%-46s %12s %10s\n' "first screen (process start to first frame)" "frame ms" "CPU ms"
measure "$crm" --db "$empty" --user sara
crm_empty=$frame
crm_empty_cpu=$cpums
printf '%-46s %12s %10s\n' "crm, empty database" "$frame" "$cpums"
measure "$crm" --db "$big" --user sara
crm_big=$frame
crm_big_cpu=$cpums
printf '%-46s %12s %10s\n' "crm, $contacts contacts" "$frame" "$cpums"
# Two ratios: of the time to the frame (what a person sees, inflated by
# whatever else the machine runs) and of the CPU time (what crm itself spends).
ratio() { if [[ $1 =~ ^[0-9.]+$ && $2 =~ ^[0-9.]+$ ]]; then printf '%.2fx' "$(echo "$1 / $2" | bc -l)"; else echo "-"; fi; }
echo "first screen at $contacts contacts: $(ratio "$crm_big" "$crm_empty") the empty database's time, $(ratio "$crm_big_cpu" "$crm_empty_cpu") its CPU (target ≤ 1.5x)"
if command -v abook >/dev/null; then
    book=$work/addressbook
    "$crm" export contacts --format vcard --vcard-version 3 --out "$work/contacts.vcf" --db "$big" >/dev/null 2>&1
    abook --convert --informat vcard --infile "$work/contacts.vcf" --outformat abook --outfile "$book" >/dev/null 2>&1
    entries=$(grep -c '^name=' "$book" || true)
    measure abook --config /dev/null --datafile "$book"
    printf '%-46s %12s %10s\n' "abook, the same $entries contacts" "$frame" "$cpums"
    echo "crm at $contacts contacts: $(ratio "$crm_big" "$frame") abook's time, $(ratio "$crm_big_cpu" "$cpums") its CPU (target ≤ 0.25x)"
else
    echo "abook is not installed: not measured beside crm"
fi
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
