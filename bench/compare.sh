#!/usr/bin/env bash
# carealign rank vs DuckDB SQL on the same generated CSV files, side by side:
# wall time, peak memory (/usr/bin/time -v), and a check that both give the same counts.
# Usage: bench/compare.sh [LINES...]   (default: 2000000 20000000)
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -c "import duckdb" 2>/dev/null || python3 -m pip install --quiet duckdb
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time; }
cargo build --release --quiet
bin=target/release/carealign
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

measure() { # label, command...: prints "seconds peak_MB"
  local log="$work/time.log"
  /usr/bin/time -v "$@" > "$work/out.csv" 2> "$log"
  local wall peak
  wall=$(grep "Elapsed (wall clock)" "$log" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  peak=$(grep "Maximum resident set size" "$log" | awk '{printf "%.0f", $NF/1024}')
  echo "$wall $peak"
}

printf "%-12s %-26s %10s %10s %9s\n" "lines" "what" "seconds" "peak MB" "ratio"
for lines in "${@:-2000000 20000000}"; do
  for n in $lines; do
    dir="$work/data-$n"
    "$bin" sample "$dir" --members $((n / 8)) --practices $((n / 1000 > 150 ? n / 1000 : 150)) --lines "$n" --seed 3 2>/dev/null
    read -r ca_s ca_mb < <(measure "$bin" rank "$dir")
    cp "$work/out.csv" "$work/ca.csv"
    read -r ck_s ck_mb < <(measure "$bin" check "$dir")
    read -r dd_s dd_mb < <(measure python3 bench/duckdb_rank.py "$dir" "$(nproc)")
    cp "$work/out.csv" "$work/dd.csv"
    # Same counts: practices with at least one dual, by (practice_id, duals_seen, pc_lines).
    same=$(python3 - "$work/ca.csv" "$work/dd.csv" <<'PY'
import csv, sys
ca = {(r["practice_id"], r["duals_seen"], r["pc_lines"]) for r in csv.DictReader(open(sys.argv[1])) if r["duals_seen"] != "0"}
dd = {(r["practice_id"], r["duals_seen"], r["pc_lines"]) for r in csv.DictReader(open(sys.argv[2]))}
print(f"same counts ({len(dd)} practices)" if ca == dd else f"COUNTS DIFFER ({len(ca ^ dd)} rows)")
PY
)
    ratio=$(awk -v a="$ca_s" -v b="$dd_s" 'BEGIN { printf "%.2f", a / b }')
    printf "%-12s %-26s %10s %10s %9s\n" "$n" "carealign rank (+matching)" "$ca_s" "$ca_mb" "$ratio"
    printf "%-12s %-26s %10s %10s %9s\n" "$n" "carealign check (ingest)" "$ck_s" "$ck_mb" "$(awk -v a="$ck_s" -v b="$dd_s" 'BEGIN { printf "%.2f", a / b }')"
    printf "%-12s %-26s %10s %10s %9s\n" "$n" "duckdb SQL" "$dd_s" "$dd_mb" "1.00"
    echo "$n lines: $same"
    rm -rf "$dir"
  done
done
