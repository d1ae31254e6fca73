#!/usr/bin/env bash
# carealign vs DuckDB on the same generated data, same run (SPEC "Benchmarks").
#
# For each size: `carealign rank` (the whole job, matching every HCBS answer included),
# `carealign check` (read + aggregate, no matching), DuckDB running SPEC's whole rule
# (bench/duckdb_rank.py) and DuckDB's bare scan + count of claims.csv. Each is run 3 times;
# the best wall time is reported with its user+sys time and the largest peak RSS of the 3
# (/usr/bin/time -v). Then the ratios, time per line, and a check that carealign and DuckDB
# give identical (practice_id, duals_seen, pc_lines) for every practice with a dual.
#
# Usage: bench/compare.sh [SIZE...]          SIZE: 5m or 19m (default: both)
# Data goes to $CAREALIGN_BENCH_DATA (default /tmp/carealign-bench), generated when missing
# and kept for the next run (about 0.35 GB at 5m, 1.4 GB at 19m).
set -euo pipefail
cd "$(dirname "$0")/.."
data=${CAREALIGN_BENCH_DATA:-/tmp/carealign-bench}
python3 -c "import duckdb" 2>/dev/null || python3 -m pip install --quiet duckdb
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time; }
cargo build --release --quiet
bin=$PWD/target/release/carealign
threads=$(nproc)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# SIZE → sample arguments. The shapes follow a state extract: ~10 claim lines per member,
# a third of members with an HCBS answer, 8,000 / 20,000 practices.
spec() {
    case $1 in
        5m) echo "--lines 4800000 --members 463000 --practices 8000" ;;
        19m) echo "--lines 18900000 --members 1850000 --practices 20000" ;;
        *) echo "unknown size $1 (5m or 19m)" >&2; exit 2 ;;
    esac
}

# best_of_3 NAME COMMAND...: runs 3 times, keeps the stdout of the fastest in $work/NAME.out
# and prints "wall user+sys peak_MB" (best wall, its CPU time, largest peak RSS).
best_of_3() {
    local name=$1; shift
    local best="" best_cpu="" peak=0
    for _ in 1 2 3; do
        /usr/bin/time -v "$@" > "$work/run.out" 2> "$work/time.log"
        local wall cpu rss
        wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$work/time.log")
        cpu=$(awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 } END { printf "%.2f", u + s }' "$work/time.log")
        rss=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$work/time.log")
        [ "$rss" -gt "$peak" ] && peak=$rss
        if [ -z "$best" ] || awk -v a="$wall" -v b="$best" 'BEGIN { exit !(a < b) }'; then
            best=$wall best_cpu=$cpu
            cp "$work/run.out" "$work/$name.out"
        fi
    done
    echo "$best $best_cpu $peak"
}

echo "# bench/compare.sh, $(date -u +%Y-%m-%d), $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
echo "# load before: $(uptime | sed 's/.*load average/load average/')"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(5m 19m)
for size in "${sizes[@]}"; do
    dir=$data/$size
    if [ ! -f "$dir/claims.csv" ]; then
        rm -rf "$dir"
        # shellcheck disable=SC2046
        "$bin" sample "$dir" $(spec "$size") --seed 3 > /dev/null
    fi
    lines=$(($(wc -l < "$dir/claims.csv") - 1))
    mb=$(($(stat -c %s "$dir/claims.csv") / 1000000))
    answers=$(($(wc -l < "$dir/assessments.csv") - 1))
    practices=$(($(wc -l < "$dir/practices.csv") - 1))
    read -r rank_s rank_cpu rank_mb < <(best_of_3 rank "$bin" rank "$dir")
    read -r check_s check_cpu check_mb < <(best_of_3 check "$bin" check "$dir")
    read -r dd_s dd_cpu dd_mb < <(best_of_3 duckdb python3 bench/duckdb_rank.py "$dir" "$threads")
    read -r scan_s scan_cpu scan_mb < <(best_of_3 scan python3 bench/duckdb_rank.py --scan "$dir" "$threads")
    same=$(python3 - "$work/rank.out" "$work/duckdb.out" <<'PY'
import csv, sys
ca = {(r["practice_id"], r["duals_seen"], r["pc_lines"]) for r in csv.DictReader(open(sys.argv[1])) if r["duals_seen"] != "0"}
dd = {(r["practice_id"], r["duals_seen"], r["pc_lines"]) for r in csv.DictReader(open(sys.argv[2]))}
print(f"identical counts ({len(dd)} practices with duals)" if ca == dd else f"COUNTS DIFFER ({len(ca ^ dd)} rows)")
PY
)
    ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
    per_line() { awk -v s="$1" -v n="$lines" 'BEGIN { printf "%.0f", s * 1e9 / n }'; }
    echo
    echo "## $size: $lines claim lines ($mb MB), $answers assessment rows, $practices roster rows"
    echo "| what | wall s (best of 3) | user+sys s | peak MB | ns/line | vs DuckDB rule: time / memory |"
    echo "|---|---|---|---|---|---|"
    echo "| carealign rank (incl. matching) | $rank_s | $rank_cpu | $rank_mb | $(per_line "$rank_s") | $(ratio "$rank_s" "$dd_s")× / $(ratio "$rank_mb" "$dd_mb")× |"
    echo "| carealign check (no matching) | $check_s | $check_cpu | $check_mb | $(per_line "$check_s") | $(ratio "$check_s" "$dd_s")× / $(ratio "$check_mb" "$dd_mb")× |"
    echo "| DuckDB, SPEC's whole rule | $dd_s | $dd_cpu | $dd_mb | $(per_line "$dd_s") | 1 / 1 |"
    echo "| DuckDB bare scan + count | $scan_s | $scan_cpu | $scan_mb | $(per_line "$scan_s") | check / scan: $(ratio "$check_s" "$scan_s")× |"
    echo "$same"
done
echo
echo "# load after: $(uptime | sed 's/.*load average/load average/')"
