#!/usr/bin/env bash
# "National scale" figures: the size of member_practice.csv against claims.csv, and the time of
# `carealign sql` on DuckDB and on Spark in local mode (2 cores) over the same generated claims,
# best of RUNS; checks that the three summaries (DuckDB, Spark, and rank from each) agree with
# the native path. Prints the load average before each run (the machine may be shared).
# Usage: bench/national.sh [LINES] [RUNS]     (default: 20000000 3)
# Needs Python with duckdb and pyspark (installed when missing) and Java 17.
set -euo pipefail
cd "$(dirname "$0")/.."
lines=${1:-20000000}
runs=${2:-3}
python3 -c "import duckdb" 2>/dev/null || python3 -m pip install --quiet duckdb
python3 -c "import pyspark" 2>/dev/null || python3 -m pip install --quiet pyspark
cargo build --release --quiet
bin=$PWD/target/release/carealign
work=${NATIONAL_WORK:-$(mktemp -d)}
mkdir -p "$work"
data=$work/data-$lines
if [ ! -f "$data/claims.csv" ]; then
  "$bin" sample "$data" --members $((lines / 8)) --practices $((lines / 1000 > 150 ? lines / 1000 : 150)) \
    --lines "$lines" --seed 3 2>/dev/null
fi
echo "claims.csv: $(wc -l < "$data/claims.csv") lines, $(du -h "$data/claims.csv" | cut -f1)"
for dialect in duckdb spark; do
  "$bin" sql --dialect $dialect --out "$work/$dialect.sql"
  for run in $(seq "$runs"); do
    echo "$dialect run $run, load average: $(cut -d' ' -f1-3 /proc/loadavg)"
    python3 bench/sql_$dialect.py "$data" "$work/$dialect.sql" "$work/$dialect.csv" 2>&1 | grep -o "$dialect: load.*"
  done
done
echo "member_practice.csv: $(($(wc -l < "$work/duckdb.csv") - 1)) rows, $(du -h "$work/duckdb.csv" | cut -f1)"
python3 - "$work/duckdb.csv" "$work/spark.csv" <<'PY'
import csv, sys
a, b = (sorted(tuple(r) for r in list(csv.reader(open(f)))[1:]) for f in sys.argv[1:])
print("duckdb and spark summaries:", "identical rows" if a == b else "DIFFER")
PY
summary=$work/summary
mkdir -p "$summary"
cp "$data/practices.csv" "$data/assessments.csv" "$data/care_managers.csv" "$summary/"
cp "$work/duckdb.csv" "$summary/member_practice.csv"
"$bin" rank "$data" > "$work/rank-claims.csv"
/usr/bin/time -f "carealign rank from member_practice.csv: %e s, %M KB" "$bin" rank "$summary" > "$work/rank-summary.csv"
cmp -s "$work/rank-claims.csv" "$work/rank-summary.csv" && echo "rank: identical from claims.csv and member_practice.csv" || echo "rank: DIFFERS"
