"""Runs a `carealign sql --dialect duckdb` script on DIR/claims.csv and DIR/practices.csv
loaded as text tables (as a warehouse would hold them), and writes member_practice to OUT.
Usage: python3 bench/sql_duckdb.py DIR SCRIPT.sql OUT.csv [THREADS]
Prints the load and query seconds on stderr.
"""
import sys
import time

import duckdb

data, script, out = sys.argv[1], sys.argv[2], sys.argv[3]
con = duckdb.connect()
con.execute("SET enable_progress_bar = false")
if len(sys.argv) > 4:
    con.execute(f"SET threads TO {int(sys.argv[4])}")
t0 = time.time()
for table, name in [("claims", "claims.csv"), ("practices", "practices.csv")]:
    con.execute(f"CREATE TABLE {table} AS SELECT * FROM read_csv('{data}/{name}', all_varchar = true, header = true)")
t1 = time.time()
con.execute(open(script).read())
t2 = time.time()
con.execute(f"COPY member_practice TO '{out}' (HEADER)")
t3 = time.time()
print(f"duckdb: load {t1 - t0:.2f} s, sql {t2 - t1:.2f} s, export {t3 - t2:.2f} s", file=sys.stderr)
