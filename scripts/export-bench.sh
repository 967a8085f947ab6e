#!/usr/bin/env bash
# Time and peak memory of `crm export` on demo databases of 10,000 and
# 100,000 contacts (about ten interactions each), measured with
# /usr/bin/time -v: the export pages through the tables 500 rows at a time,
# so its peak memory should not grow with the number of rows.
#
#   swift build -c release && bash scripts/export-bench.sh
#   SIZES="10000 100000 200000" bash scripts/export-bench.sh
#
# Prints figures; asserts nothing (timings are never tests).
set -euo pipefail
crm=${CRM:-.build/release/crm}
dir=${TMPDIR:-/tmp}/crm-export-bench
mkdir -p "$dir"
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install -y time)" >&2; exit 69; }
# Wall time depends on what else the machine runs; CPU time (user + system) less so.
printf '%-9s %-13s %-6s %9s %9s %11s %12s\n' contacts kind format "wall s" "CPU s" "peak RSS" "file size"
for n in ${SIZES:-10000 100000}; do
    db=$dir/demo-$n.db
    [ -s "$db" ] || "$crm" demo --db "$db" --contacts "$n" --seed 1 >/dev/null 2>&1
    for spec in "contacts csv" "contacts vcard" "contacts json" "interactions csv" "all json"; do
        set -- $spec
        out=$dir/out-$n-$1.$2
        rm -f "$out"
        /usr/bin/time -v -o "$dir/time.txt" "$crm" export "$1" --format "$2" --out "$out" --db "$db" 2>/dev/null
        secs=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$dir/time.txt")
        cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { print s }' "$dir/time.txt")
        kib=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$dir/time.txt")
        printf '%-9s %-13s %-6s %9.2f %9.2f %7.1f MiB %12s\n' "$n" "$1" "$2" "$secs" "$cpu" "$(echo "$kib / 1024" | bc -l)" "$(stat -c %s "$out")"
        rm -f "$out"
    done
done
