#!/usr/bin/env bash
# Runs `carealign sql --dialect spark` on Spark in local mode (2 cores) over generated claims in
# own and TAF/DAC header styles, and checks that member_practice equals the brute-force
# reference and gives byte-identical rank, match and export outputs to the raw claims
# (tests/sql_engines.rs, spark_sql_gives_the_native_numbers).
# Needs Java 17 (`java -version`); installs pyspark with pip when missing.
# Usage: bench/spark_check.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v java >/dev/null || { echo "spark_check: Java 17 is needed (java not found)" >&2; exit 1; }
python3 -c "import pyspark" 2>/dev/null || python3 -m pip install --quiet pyspark
cargo test --locked --test sql_engines -- --ignored spark_sql_gives_the_native_numbers
