"""The ranking job in DuckDB SQL, written as an analyst would write it well from SPEC's
definitions ("Benchmarks"): one query that

- reads claims.csv and practices.csv as text, trimming and case-folding every field it tests;
- keeps crossover lines with a primary-care code;
- decides "is the clinician a PCP" from the line's taxonomy, or the roster's when the line
  has none (the roster's specialty stands in for a blank roster taxonomy, as with the DAC);
- places lines in practices once per distinct (rendering, billing) pair, not per line:
  the rendering NPI's practices, narrowed to those that also hold the billing NPI when it has
  several and some do; a rendering NPI missing from the roster falls back to the billing NPI's
  practices. The few thousand pairs' placements are then joined back to the lines;
- counts distinct members (duals_seen) and lines (pc_lines) per practice.

Prints practice_id,duals_seen,pc_lines sorted like carealign's ranking.

Usage: duckdb_rank.py DATA_DIR [THREADS]         the ranking
       duckdb_rank.py --scan DATA_DIR [THREADS]  DuckDB's bare scan + count of claims.csv
"""
import sys

import duckdb

PC_CODES = (
    [str(c) for r in [(99201, 99205), (99211, 99215), (99304, 99310), (99324, 99328), (99334, 99337),
                      (99341, 99345), (99347, 99350)] for c in range(r[0], r[1] + 1)]
    + ["99315", "99316", "99318", "99339", "99340", "99487", "99489", "99490", "99491", "99495",
       "99496", "99497", "99498", "G0402", "G0438", "G0439", "G2211"]
)
PCP_TAX = ["207Q00000X", "207QA0505X", "207QG0300X", "207R00000X", "207RG0300X", "208D00000X",
           "208000000X", "2080A0000X", "363L00000X", "363LA2200X", "363LF0000X", "363LG0600X",
           "363LP0200X", "363LP2300X", "363A00000X", "363AM0700X", "364S00000X", "261QP2300X"]
PCP_SPECIALTIES = ["FAMILY PRACTICE", "INTERNAL MEDICINE", "GENERAL PRACTICE", "GERIATRIC MEDICINE",
                   "PEDIATRIC MEDICINE", "NURSE PRACTITIONER", "PHYSICIAN ASSISTANT",
                   "CLINICAL NURSE SPECIALIST", "PREVENTIVE MEDICINE"]


def sql_list(items):
    return ", ".join(f"'{i}'" for i in items)


def roster_column(con, path, names):
    """The roster's column for one of `names` (case-insensitive), or NULL when it has none:
    the analyst writes the query for the roster at hand (own format or DAC)."""
    cols = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM read_csv('{path}', all_varchar = true)").fetchall()]
    for c in cols:
        if c.strip().lower() in names:
            return f'"{c}"'
    return "NULL"


def rank_sql(con, data_dir):
    roster = f"{data_dir}/practices.csv"
    npi = roster_column(con, roster, {"npi"})
    pid = roster_column(con, roster, {"practice_id", "org_pac_id", "group practice pac id"})
    tax = roster_column(con, roster, {"taxonomy"})
    spec = roster_column(con, roster, {"specialty", "pri_spec", "primary specialty"})
    return f"""
    WITH roster AS (
        SELECT DISTINCT trim({npi}) AS npi,
               coalesce(nullif(trim({pid}), ''), trim({npi})) AS pid,
               upper(trim(coalesce({tax}, ''))) AS tax,
               upper(trim(coalesce({spec}, ''))) AS spec
        FROM read_csv('{roster}', all_varchar = true, header = true)
        WHERE trim(coalesce({npi}, '')) <> ''
    ),
    npi_practice AS (SELECT DISTINCT npi, pid FROM roster),
    roster_pcp AS (
        SELECT npi, bool_or(CASE WHEN tax <> '' THEN tax IN ({sql_list(PCP_TAX)})
                                 ELSE spec IN ({sql_list(PCP_SPECIALTIES)}) END) AS pcp
        FROM roster GROUP BY npi
    ),
    lines AS (
        SELECT trim(member_id) AS m,
               trim(coalesce(rendering_npi, '')) AS r,
               trim(coalesce(billing_npi, '')) AS b,
               upper(trim(coalesce(taxonomy, ''))) AS tax
        FROM read_csv('{data_dir}/claims.csv', all_varchar = true, header = true)
        WHERE upper(trim(crossover)) IN ('Y', 'YES', '1', 'TRUE', 'T')
          AND upper(trim(procedure_code)) IN ({sql_list(PC_CODES)})
    ),
    pcp_lines AS (
        SELECT l.m, l.r, l.b FROM lines l LEFT JOIN roster_pcp rp ON rp.npi = l.r
        WHERE CASE WHEN l.tax <> '' THEN l.tax IN ({sql_list(PCP_TAX)}) ELSE coalesce(rp.pcp, false) END
    ),
    -- Placement, once per distinct (rendering, billing) pair.
    pairs AS (SELECT DISTINCT r, b FROM pcp_lines),
    rendering_practices AS (
        SELECT p.r, p.b, rp.pid, bp.pid IS NOT NULL AS billing_holds,
               count(*) OVER (PARTITION BY p.r, p.b) AS n,
               bool_or(bp.pid IS NOT NULL) OVER (PARTITION BY p.r, p.b) AS any_billing_holds
        FROM pairs p
        JOIN npi_practice rp ON rp.npi = p.r
        LEFT JOIN npi_practice bp ON bp.npi = p.b AND bp.pid = rp.pid
    ),
    placement AS (
        SELECT r, b, pid FROM rendering_practices WHERE n = 1 OR NOT any_billing_holds OR billing_holds
        UNION ALL
        SELECT p.r, p.b, bp.pid FROM pairs p JOIN npi_practice bp ON bp.npi = p.b
        WHERE p.r NOT IN (SELECT npi FROM npi_practice)
    )
    SELECT pl.pid, count(DISTINCT l.m) AS duals_seen, count(*) AS pc_lines
    FROM pcp_lines l JOIN placement pl ON pl.r = l.r AND pl.b = l.b
    GROUP BY pl.pid
    ORDER BY duals_seen DESC, pl.pid
    """


def main(args):
    scan = args and args[0] == "--scan"
    if scan:
        args = args[1:]
    data_dir, threads = args[0], int(args[1]) if len(args) > 1 else 2
    con = duckdb.connect()
    con.execute(f"SET threads TO {threads}")
    out = sys.stdout
    if scan:
        (n,) = con.execute(
            f"SELECT count(*) FROM read_csv('{data_dir}/claims.csv', all_varchar = true, header = true)"
        ).fetchone()
        out.write(f"rows\n{n}\n")
        return
    out.write("practice_id,duals_seen,pc_lines\n")
    for pid, duals, lines in con.execute(rank_sql(con, data_dir)).fetchall():
        out.write(f"{pid},{duals},{lines}\n")


if __name__ == "__main__":
    main(sys.argv[1:])
