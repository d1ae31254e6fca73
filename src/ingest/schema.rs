//! The input files, their canonical columns and the header aliases SPEC requires.
//!
//! Real extracts name columns many ways (own format, T-MSIS TAF, four DAC styles); headers are
//! matched case-insensitively after trimming, and `[columns]` in carealign.toml adds more.

use std::collections::HashMap;

use super::problem::DataError;

/// One of the input files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FileKind {
    Claims,
    Practices,
    Assessments,
    CareManagers,
    /// TAF as delivered: one row per claim (stands in for claims.csv with [`FileKind::ClaimsLine`]).
    ClaimsHeader,
    /// TAF as delivered: one row per claim line.
    ClaimsLine,
    /// Optional: practices grouped into health systems.
    HealthSystems,
    /// The claims already reduced elsewhere: stands in for claims.csv when that is absent.
    MemberPractice,
}

impl FileKind {
    /// Every file carealign reads (and never writes over).
    pub const ALL: [FileKind; 8] = [
        FileKind::Claims,
        FileKind::Practices,
        FileKind::Assessments,
        FileKind::CareManagers,
        FileKind::ClaimsHeader,
        FileKind::ClaimsLine,
        FileKind::HealthSystems,
        FileKind::MemberPractice,
    ];

    /// Name without extension, as used in `[columns.NAME]`.
    pub fn stem(self) -> &'static str {
        match self {
            FileKind::Claims => "claims",
            FileKind::Practices => "practices",
            FileKind::Assessments => "assessments",
            FileKind::CareManagers => "care_managers",
            FileKind::ClaimsHeader => "claims_header",
            FileKind::ClaimsLine => "claims_line",
            FileKind::HealthSystems => "health_systems",
            FileKind::MemberPractice => "member_practice",
        }
    }

    pub fn file_name(self) -> &'static str {
        match self {
            FileKind::Claims => "claims.csv",
            FileKind::Practices => "practices.csv",
            FileKind::Assessments => "assessments.csv",
            FileKind::CareManagers => "care_managers.csv",
            FileKind::ClaimsHeader => "claims_header.csv",
            FileKind::ClaimsLine => "claims_line.csv",
            FileKind::HealthSystems => "health_systems.csv",
            FileKind::MemberPractice => "member_practice.csv",
        }
    }

    /// The columns of this file, in the order their indexes are returned by [`resolve`].
    pub fn columns(self) -> &'static [Column] {
        match self {
            FileKind::Claims => CLAIMS,
            FileKind::Practices => PRACTICES,
            FileKind::Assessments => ASSESSMENTS,
            FileKind::CareManagers => CARE_MANAGERS,
            FileKind::ClaimsHeader => CLAIMS_HEADER,
            FileKind::ClaimsLine => CLAIMS_LINE,
            FileKind::HealthSystems => HEALTH_SYSTEMS,
            FileKind::MemberPractice => MEMBER_PRACTICE,
        }
    }
}

/// A canonical column and the header names accepted for it.
#[derive(Debug)]
pub struct Column {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub required: bool,
}

const fn req(name: &'static str, aliases: &'static [&'static str]) -> Column {
    Column { name, aliases, required: true }
}

const fn opt(name: &'static str, aliases: &'static [&'static str]) -> Column {
    Column { name, aliases, required: false }
}

/// Column positions in [`CLAIMS`].
pub mod claims_col {
    pub const MEMBER: usize = 0;
    pub const DATE: usize = 1;
    pub const RENDERING: usize = 2;
    pub const BILLING: usize = 3;
    pub const TAXONOMY: usize = 4;
    pub const CODE: usize = 5;
    pub const CROSSOVER: usize = 6;
    pub const PAID: usize = 7;
}

const CLAIMS: &[Column] = &[
    req("member_id", &["MSIS_ID", "MSIS_IDENT_NUM"]),
    req("service_date", &["SRVC_BGNNG_DT", "LINE_SRVC_BGN_DT", "SRVC_BGN_DT"]),
    req("rendering_npi", &["SRVCNG_PRVDR_NPI_NUM", "SRVCNG_PRVDR_NPI"]),
    opt("billing_npi", &["BLG_PRVDR_NPI_NUM", "BLG_PRVDR_NPI"]),
    opt("taxonomy", &["SRVCNG_PRVDR_TXNMY_CD"]),
    req("procedure_code", &["PRCDR_CD", "LINE_PRCDR_CD"]),
    req("crossover", &["XOVR_IND", "CROSSOVER_CLM_IND"]),
    opt("paid_amount", &["MDCD_PD_AMT", "LINE_MDCD_PD_AMT"]),
];

/// Column positions in [`PRACTICES`].
pub mod practices_col {
    pub const NPI: usize = 0;
    pub const LAST: usize = 1;
    pub const FIRST: usize = 2;
    pub const TAXONOMY: usize = 3;
    pub const SPECIALTY: usize = 4;
    pub const PRACTICE_ID: usize = 5;
    pub const PRACTICE_NAME: usize = 6;
    pub const COUNTY: usize = 7;
    pub const CITY: usize = 8;
    pub const STATE: usize = 9;
    pub const ZIP: usize = 10;
    pub const PHONE: usize = 11;
}

// Aliases per DAC style: current file, older API, older Physician Compare, and the Provider
// Data Catalog's datastore/API (the current names snake-cased; `npi`, `pri_spec`, `org_pac_id`
// and `state` need no alias).
const PRACTICES: &[Column] = &[
    req("npi", &[]),
    opt("clinician_last", &["Provider Last Name", "lst_nm", "Last Name", "provider_last_name"]),
    opt("clinician_first", &["Provider First Name", "frst_nm", "First Name", "provider_first_name"]),
    opt("taxonomy", &[]),
    opt("specialty", &["pri_spec", "Primary specialty"]),
    req("practice_id", &["org_pac_id", "Group Practice PAC ID"]),
    opt("practice_name", &["Facility Name", "org_nm", "Organization legal name", "facility_name"]),
    opt("county", &[]),
    opt("city", &["City/Town", "cty", "citytown"]),
    opt("state", &["st"]),
    opt("zip", &["ZIP Code", "Zip Code", "zip_code"]),
    opt("phone", &["Telephone Number", "phn_numbr", "Phone Number", "telephone_number"]),
];

/// Column positions in [`CLAIMS_HEADER`].
pub mod claims_header_col {
    pub const LINK_KEY: usize = 0;
    pub const CLAIM_ID: usize = 1;
    pub const MEMBER: usize = 2;
    pub const CROSSOVER: usize = 3;
    pub const BILLING: usize = 4;
    pub const DATE: usize = 5;
}

/// The TAF claim header file: the claim-level fields of claims.csv, keyed by the claim.
/// OT_LINK_KEY is TAF's key for joining header and line; CLM_ID serves when a file lacks it.
const CLAIMS_HEADER: &[Column] = &[
    opt("link_key", &["OT_LINK_KEY"]),
    opt("claim_id", &["CLM_ID"]),
    req("member_id", &["MSIS_ID", "MSIS_IDENT_NUM"]),
    req("crossover", &["XOVR_IND", "CROSSOVER_CLM_IND"]),
    opt("billing_npi", &["BLG_PRVDR_NPI_NUM", "BLG_PRVDR_NPI"]),
    opt("service_date", &["SRVC_BGNNG_DT", "SRVC_BGN_DT"]),
];

/// Column positions in [`CLAIMS_LINE`]: the claims.csv columns first, in [`claims_col`] order,
/// so that a line file's positions can stand for claims.csv's.
pub mod claims_line_col {
    pub const LINK_KEY: usize = 8;
    pub const CLAIM_ID: usize = 9;
}

/// The TAF claim line file: claims.csv's columns, with the claim-level ones optional (they
/// come from the header file when the line lacks them), plus the join key.
const CLAIMS_LINE: &[Column] = &[
    opt("member_id", &["MSIS_ID", "MSIS_IDENT_NUM"]),
    opt("service_date", &["SRVC_BGNNG_DT", "LINE_SRVC_BGN_DT", "SRVC_BGN_DT"]),
    req("rendering_npi", &["SRVCNG_PRVDR_NPI_NUM", "SRVCNG_PRVDR_NPI"]),
    opt("billing_npi", &["BLG_PRVDR_NPI_NUM", "BLG_PRVDR_NPI"]),
    opt("taxonomy", &["SRVCNG_PRVDR_TXNMY_CD"]),
    req("procedure_code", &["PRCDR_CD", "LINE_PRCDR_CD"]),
    opt("crossover", &["XOVR_IND", "CROSSOVER_CLM_IND"]),
    opt("paid_amount", &["MDCD_PD_AMT", "LINE_MDCD_PD_AMT"]),
    opt("link_key", &["OT_LINK_KEY"]),
    opt("claim_id", &["CLM_ID"]),
];

/// Column positions in [`ASSESSMENTS`].
pub mod assessments_col {
    pub const MEMBER: usize = 0;
    pub const DATE: usize = 1;
    pub const TYPE: usize = 2;
    pub const RESPONSE: usize = 3;
    pub const COUNTY: usize = 4;
    pub const WAIVER: usize = 5;
    pub const ACUITY: usize = 6;
    pub const CM: usize = 7;
    pub const PLAN: usize = 8;
}

const ASSESSMENTS: &[Column] = &[
    req("member_id", &["MSIS_ID", "MSIS_IDENT_NUM"]),
    req("assessment_date", &[]),
    opt("assessment_type", &[]),
    req("pcp_response", &[]),
    opt("county", &[]),
    opt("waiver", &[]),
    opt("acuity", &[]),
    opt("care_manager_id", &[]),
    opt("medicare_plan", &[]),
];

/// Column positions in [`CARE_MANAGERS`].
pub mod care_managers_col {
    pub const ID: usize = 0;
    pub const NAME: usize = 1;
    pub const AGENCY: usize = 2;
    pub const SUPERVISOR: usize = 3;
    pub const COUNTY: usize = 4;
    pub const CAPACITY: usize = 5;
    pub const PHONE: usize = 6;
    pub const EMAIL: usize = 7;
}

const CARE_MANAGERS: &[Column] = &[
    req("care_manager_id", &[]),
    req("name", &[]),
    opt("agency", &[]),
    opt("supervisor", &[]),
    opt("county", &[]),
    req("capacity", &[]),
    opt("phone", &[]),
    opt("email", &[]),
];

/// Column positions in [`HEALTH_SYSTEMS`].
pub mod health_systems_col {
    pub const PRACTICE: usize = 0;
    pub const ID: usize = 1;
    pub const NAME: usize = 2;
}

/// The AHRQ Compendium of U.S. Health Systems names its columns health_sys_id and
/// health_sys_name; a practice is named by its DAC group id as well as by practice_id.
const HEALTH_SYSTEMS: &[Column] = &[
    req("practice_id", &["org_pac_id", "Group Practice PAC ID"]),
    req("health_system_id", &["health_sys_id"]),
    opt("health_system_name", &["health_sys_name"]),
];

/// Column positions in [`MEMBER_PRACTICE`].
pub mod member_practice_col {
    pub const MEMBER: usize = 0;
    pub const PRACTICE_ID: usize = 1;
    pub const LINES: usize = 2;
    pub const LAST: usize = 3;
}

/// What `carealign sql` writes (SPEC "member_practice.csv").
const MEMBER_PRACTICE: &[Column] = &[
    req("member_id", &["MSIS_ID", "MSIS_IDENT_NUM"]),
    req("practice_id", &[]),
    req("pc_lines", &[]),
    req("last_service_date", &[]),
];

fn norm(h: &str) -> String {
    h.trim_start_matches('\u{feff}').trim().to_lowercase()
}

/// Finds each canonical column of `kind` in `header`, returning its position (or `None` for an
/// absent optional column). `extra` maps further header names (lower case) to canonical names.
pub fn resolve(
    kind: FileKind,
    header: &[String],
    extra: &HashMap<String, String>,
) -> Result<Vec<Option<usize>>, DataError> {
    let file = kind.file_name();
    let names: Vec<String> = header.iter().map(|h| norm(h)).collect();
    if names.iter().all(|n| n.is_empty()) {
        return Err(DataError::at(file, 1, "the header row is empty"));
    }
    let canonical_of = |n: &str| -> Option<&'static str> {
        let mapped = extra.get(n).map(String::as_str);
        kind.columns().iter().find_map(|c| {
            let hit = c.name == n || mapped == Some(c.name) || c.aliases.iter().any(|a| a.eq_ignore_ascii_case(n));
            hit.then_some(c.name)
        })
    };
    let mut found: Vec<Option<usize>> = vec![None; kind.columns().len()];
    for (pos, n) in names.iter().enumerate() {
        let Some(canon) = canonical_of(n) else { continue };
        let slot = kind.columns().iter().position(|c| c.name == canon).expect("known column");
        match found[slot] {
            None => found[slot] = Some(pos),
            Some(first) if names[first] == *n => {
                return Err(DataError::at(
                    file,
                    1,
                    format!(
                        "the header names column \"{}\" twice (columns {} and {})",
                        header[pos].trim(),
                        first + 1,
                        pos + 1
                    ),
                ));
            }
            // Two different aliases of one column: the first one stands.
            Some(_) => {}
        }
    }
    for (c, slot) in kind.columns().iter().zip(&found) {
        if c.required && slot.is_none() {
            let mut tried = vec![c.name.to_string()];
            tried.extend(c.aliases.iter().map(|a| a.to_string()));
            tried.extend(extra.iter().filter(|(_, v)| *v == c.name).map(|(k, _)| k.clone()));
            let delim_hint = if header.len() == 1 && (header[0].contains(';') || header[0].contains('\t')) {
                " (the header has one column: is the file delimited by something other than commas?)"
            } else {
                ""
            };
            return Err(DataError::at(
                file,
                1,
                format!("required column {} is missing; tried {}{}", c.name, tried.join(", "), delim_hint),
            ));
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(cols: &[&str]) -> Vec<String> {
        cols.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn taf_claims_headers() {
        let header = h(&[
            "MSIS_IDENT_NUM",
            "LINE_SRVC_BGN_DT",
            "SRVCNG_PRVDR_NPI_NUM",
            "BLG_PRVDR_NPI_NUM",
            "SRVCNG_PRVDR_TXNMY_CD",
            "LINE_PRCDR_CD",
            "XOVR_IND",
            "LINE_MDCD_PD_AMT",
            "EXTRA",
        ]);
        let idx = resolve(FileKind::Claims, &header, &HashMap::new()).unwrap();
        assert_eq!(idx, (0..8).map(Some).collect::<Vec<_>>());
    }

    #[test]
    fn dac_styles() {
        for header in [
            h(&[
                "NPI",
                "Provider Last Name",
                "Provider First Name",
                "pri_spec",
                "Facility Name",
                "org_pac_id",
                "City/Town",
                "State",
                "ZIP Code",
                "Telephone Number",
            ]),
            h(&["npi", "lst_nm", "frst_nm", "pri_spec", "org_nm", "org_pac_id", "cty", "st", "zip", "phn_numbr"]),
            h(&[
                "npi",
                "provider_last_name",
                "provider_first_name",
                "pri_spec",
                "facility_name",
                "org_pac_id",
                "citytown",
                "state",
                "zip_code",
                "telephone_number",
            ]),
            h(&[
                "NPI",
                "Last Name",
                "First Name",
                "Primary specialty",
                "Organization legal name",
                "Group Practice PAC ID",
                "City",
                "State",
                "Zip Code",
                "Phone Number",
            ]),
        ] {
            let idx = resolve(FileKind::Practices, &header, &HashMap::new()).unwrap();
            use practices_col::*;
            assert_eq!(idx[NPI], Some(0));
            assert_eq!(idx[LAST], Some(1));
            assert_eq!(idx[FIRST], Some(2));
            assert_eq!(idx[SPECIALTY], Some(3));
            assert_eq!(idx[PRACTICE_NAME], Some(4));
            assert_eq!(idx[PRACTICE_ID], Some(5));
            assert_eq!(idx[CITY], Some(6));
            assert_eq!(idx[STATE], Some(7));
            assert_eq!(idx[ZIP], Some(8));
            assert_eq!(idx[PHONE], Some(9));
            assert_eq!(idx[COUNTY], None);
        }
    }

    #[test]
    fn case_trim_bom_and_extra() {
        let header = h(&["\u{feff} Member_ID ", "SVC DT", "rendering_npi", "procedure_code", "crossover"]);
        let extra = HashMap::from([("svc dt".to_string(), "service_date".to_string())]);
        let idx = resolve(FileKind::Claims, &header, &extra).unwrap();
        assert_eq!(idx[0], Some(0));
        assert_eq!(idx[1], Some(1));
    }

    #[test]
    fn missing_and_duplicate() {
        let e = resolve(
            FileKind::Claims,
            &h(&["member_id", "rendering_npi", "procedure_code", "crossover"]),
            &HashMap::new(),
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "claims.csv:1: required column service_date is missing; tried service_date, SRVC_BGNNG_DT, LINE_SRVC_BGN_DT, SRVC_BGN_DT"
        );
        let e = resolve(FileKind::CareManagers, &h(&["care_manager_id", "name", "capacity", "name"]), &HashMap::new())
            .unwrap_err();
        assert!(e.to_string().contains("twice"), "{e}");
        let e = resolve(FileKind::CareManagers, &h(&["care_manager_id;name;capacity"]), &HashMap::new()).unwrap_err();
        assert!(e.to_string().contains("delimited"), "{e}");
    }
}
