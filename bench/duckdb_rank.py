"""The ranking job in DuckDB SQL, as an analyst would write it from SPEC's definitions:
join claims to the roster, keep crossover primary-care lines by PCP clinicians, place each
line in its practices (the billing NPI narrows a rendering NPI in several practices; a
rendering NPI missing from the roster falls back to the billing NPI's practices), then count
distinct members per practice. Prints practice_id,duals_seen,pc_lines sorted like carealign.
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


def sql_list(items):
    return ", ".join(f"'{i}'" for i in items)


def main(data_dir, threads):
    con = duckdb.connect()
    con.execute(f"SET threads TO {threads}")
    codes, tax = sql_list(PC_CODES), sql_list(PCP_TAX)
    con.execute(f"""
        CREATE TEMP TABLE roster AS
        SELECT DISTINCT trim(npi) AS npi,
               CASE WHEN trim(coalesce(practice_id, '')) = '' THEN trim(npi) ELSE trim(practice_id) END AS pid,
               upper(trim(coalesce(taxonomy, ''))) AS tax
        FROM read_csv('{data_dir}/practices.csv', all_varchar = true, header = true);
        CREATE TEMP TABLE np AS SELECT DISTINCT npi, pid FROM roster;
        CREATE TEMP TABLE pcp AS SELECT npi, bool_or(tax IN ({tax})) AS pcp FROM roster GROUP BY npi;
        CREATE TEMP TABLE l AS
        SELECT row_number() OVER () AS id, trim(member_id) AS m,
               nullif(trim(rendering_npi), '') AS r, nullif(trim(billing_npi), '') AS b,
               upper(trim(coalesce(taxonomy, ''))) AS tax
        FROM read_csv('{data_dir}/claims.csv', all_varchar = true, header = true)
        WHERE upper(trim(crossover)) IN ('Y', 'YES', '1', 'TRUE', 'T')
          AND upper(trim(procedure_code)) IN ({codes});
        CREATE TEMP TABLE l2 AS
        SELECT l.* FROM l LEFT JOIN pcp ON pcp.npi = l.r
        WHERE (l.tax <> '' AND l.tax IN ({tax})) OR (l.tax = '' AND coalesce(pcp.pcp, false));
        CREATE TEMP TABLE rp AS
        SELECT l2.id, l2.m, np.pid, count(*) OVER (PARTITION BY l2.id) AS n, bp.pid IS NOT NULL AS bm
        FROM l2 JOIN np ON np.npi = l2.r LEFT JOIN np bp ON bp.npi = l2.b AND bp.pid = np.pid;
        CREATE TEMP TABLE rp2 AS SELECT *, bool_or(bm) OVER (PARTITION BY id) AS anybm FROM rp;
        CREATE TEMP TABLE placed AS
        SELECT m, pid FROM rp2 WHERE NOT (n > 1 AND anybm) OR bm
        UNION ALL
        SELECT l2.m, bp.pid FROM l2 JOIN np bp ON bp.npi = l2.b
        WHERE l2.r IS NULL OR l2.r NOT IN (SELECT npi FROM np);
    """)
    rows = con.execute("""
        SELECT pid, count(DISTINCT m) AS duals, count(*) AS lines FROM placed
        GROUP BY pid ORDER BY duals DESC, pid
    """).fetchall()
    out = sys.stdout
    out.write("practice_id,duals_seen,pc_lines\n")
    for pid, duals, lines in rows:
        out.write(f"{pid},{duals},{lines}\n")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 2)
