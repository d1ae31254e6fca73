"""Runs a `carealign sql --dialect spark` script on Spark in local mode over DIR/claims.csv
and DIR/practices.csv (read as text columns), and writes member_practice to OUT as one CSV.
Usage: python3 bench/sql_spark.py DIR SCRIPT.sql OUT.csv [CORES]
Prints the load and query seconds on stderr. Needs `pip install pyspark` and Java 17.
"""
import csv
import os
import sys
import tempfile
import time

from pyspark.sql import SparkSession

data, script, out = sys.argv[1], sys.argv[2], sys.argv[3]
cores = sys.argv[4] if len(sys.argv) > 4 else "2"
warehouse = tempfile.mkdtemp(prefix="carealign-spark-")
spark = (
    SparkSession.builder.master(f"local[{cores}]")
    .appName("carealign sql")
    .config("spark.sql.warehouse.dir", warehouse)
    .config("spark.ui.enabled", "false")
    .config("spark.ui.showConsoleProgress", "false")
    .config("spark.driver.memory", os.environ.get("SPARK_DRIVER_MEMORY", "4g"))
    .getOrCreate()
)
spark.sparkContext.setLogLevel("ERROR")
t0 = time.time()
for table, name in [("claims", "claims.csv"), ("practices", "practices.csv")]:
    # Materialised first, so the query time below is the query's, not the CSV parser's.
    df = spark.read.csv(f"{data}/{name}", header=True, inferSchema=False)
    df.write.mode("overwrite").saveAsTable(table)
t1 = time.time()
text = "\n".join(line for line in open(script).read().splitlines() if not line.lstrip().startswith("--"))
for statement in text.split(";"):
    if statement.strip():
        spark.sql(statement)
t2 = time.time()
rows = spark.table("member_practice").collect()
with open(out, "w", newline="") as fh:
    w = csv.writer(fh, lineterminator="\n")
    w.writerow(["member_id", "practice_id", "pc_lines", "last_service_date"])
    w.writerows(tuple(r) for r in rows)
t3 = time.time()
print(f"spark: load {t1 - t0:.2f} s, sql {t2 - t1:.2f} s, export {t3 - t2:.2f} s", file=sys.stderr)
spark.stop()
