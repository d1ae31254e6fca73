//! practices.csv: which clinician (NPI) works in which practice, in our own format or any of
//! the four CMS DAC header styles.

use rustc_hash::FxHashMap;

use super::fields::{is_missing_taxonomy, parse_npi};
use super::problem::Problems;
use super::scan::Record;
use super::schema::practices_col as col;
use crate::config::Config;

/// A practice (group): the unit the ranking counts by.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Practice {
    pub id: String,
    pub name: String,
    pub county: String,
    pub city: String,
    pub state: String,
    pub zip: String,
    pub phone: String,
    /// Keyed by a clinician's NPI because the roster gave no practice id.
    pub solo: bool,
}

impl Practice {
    /// Where the practice is, for display: the county when known, else "City, ST" (the DAC has
    /// no county).
    pub fn place(&self) -> String {
        if !self.county.is_empty() {
            return self.county.clone();
        }
        match (self.city.is_empty(), self.state.is_empty()) {
            (false, false) => format!("{}, {}", self.city, self.state),
            (false, true) => self.city.clone(),
            (true, false) => self.state.clone(),
            (true, true) => String::new(),
        }
    }
}

/// A clinician of the roster.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Clinician {
    pub npi: u64,
    pub last: String,
    pub first: String,
    pub taxonomy: String,
    pub specialty: String,
    /// PCP per the roster: taxonomy in the PCP list, or (no taxonomy) specialty in the list.
    pub pcp: bool,
}

impl Clinician {
    pub fn display_name(&self) -> String {
        let name = format!("{} {}", self.first, self.last);
        let name = name.trim();
        if name.is_empty() { format!("NPI {}", self.npi) } else { name.to_string() }
    }
}

/// The roster, with practices sorted by id so that a lower index is a lower practice_id.
#[derive(Debug, Clone, Default)]
pub struct Roster {
    pub practices: Vec<Practice>,
    pub clinicians: Vec<Clinician>,
    /// NPI → index in `clinicians`.
    pub npi_index: FxHashMap<u64, u32>,
    /// Per clinician: its practices (indexes, ascending).
    pub clinician_practices: Vec<Vec<u32>>,
    /// Per practice: its clinicians (indexes, ascending).
    pub practice_clinicians: Vec<Vec<u32>>,
    /// Roster rows read, before de-duplication on (npi, practice_id).
    pub rows: u64,
}

impl Roster {
    /// Practices of an NPI (empty when the NPI is not in the roster).
    pub fn practices_of(&self, npi: u64) -> &[u32] {
        self.npi_index.get(&npi).map_or(&[], |&c| &self.clinician_practices[c as usize])
    }

    pub fn clinician(&self, npi: u64) -> Option<&Clinician> {
        self.npi_index.get(&npi).map(|&c| &self.clinicians[c as usize])
    }

    /// Index of a practice by id.
    pub fn practice_index(&self, id: &str) -> Option<u32> {
        self.practices.binary_search_by(|p| p.id.as_str().cmp(id)).ok().map(|i| i as u32)
    }
}

/// Builds the roster row by row.
#[derive(Default)]
pub struct RosterBuilder {
    practices: Vec<Practice>,
    practice_ids: FxHashMap<String, u32>,
    clinicians: Vec<Clinician>,
    npi_index: FxHashMap<u64, u32>,
    memberships: Vec<(u32, u32)>,
    rows: u64,
}

const FILE: &str = "practices.csv";

/// Fills `slot` with `value` when the slot is still empty (first non-blank value wins).
fn fill(slot: &mut String, value: String) {
    if slot.is_empty() && !value.is_empty() {
        *slot = value;
    }
}

/// One roster row's values, read on their own and then moved into the roster by
/// [`RosterBuilder::push`] (moved, not copied: most rows repeat a practice or clinician).
pub struct RosterRow {
    npi: u64,
    last: String,
    first: String,
    taxonomy: String,
    specialty: String,
    pcp: bool,
    practice_id: String,
    practice_name: String,
    county: String,
    city: String,
    state: String,
    zip: String,
    phone: String,
}

impl RosterRow {
    /// The row's values, or `None` when its NPI is blank or bad (reported to `problems`).
    pub fn parse(rec: &Record, idx: &[Option<usize>], config: &Config, problems: &mut Problems) -> Option<Self> {
        let line = rec.line;
        let npi = match parse_npi(rec.col(idx[col::NPI])) {
            Ok(Some(n)) => n,
            Ok(None) => {
                problems.error(FILE, line, "npi is blank".into());
                return None;
            }
            Err(e) => {
                problems.error(FILE, line, e.describe("npi", rec.col(idx[col::NPI])));
                return None;
            }
        };
        let mut latin1 = false;
        let mut text = |i: usize| rec.text(idx[i], &mut latin1);
        let last = text(col::LAST);
        let first = text(col::FIRST);
        let mut taxonomy = text(col::TAXONOMY).to_ascii_uppercase();
        if is_missing_taxonomy(taxonomy.as_bytes()) {
            taxonomy.clear();
        }
        let specialty = text(col::SPECIALTY).to_ascii_uppercase();
        let row = RosterRow {
            npi,
            last,
            first,
            pcp: if taxonomy.is_empty() {
                config.pcp_specialties.contains(&specialty)
            } else {
                config.is_pcp_taxonomy(taxonomy.as_bytes())
            },
            taxonomy,
            specialty,
            practice_id: text(col::PRACTICE_ID),
            practice_name: text(col::PRACTICE_NAME),
            county: text(col::COUNTY),
            city: text(col::CITY),
            state: text(col::STATE),
            zip: text(col::ZIP),
            phone: text(col::PHONE),
        };
        if latin1 {
            problems.warning(FILE, line, "text is not UTF-8; read as Latin-1".into());
        }
        Some(row)
    }
}

impl RosterBuilder {
    /// Adds a row read by [`RosterRow::parse`] (`None`: a row that was reported and skipped,
    /// still counted as read).
    pub fn push(&mut self, row: Option<RosterRow>) {
        self.rows += 1;
        let Some(row) = row else { return };
        let npi = row.npi;
        let c = *self.npi_index.entry(npi).or_insert_with(|| {
            self.clinicians.push(Clinician { npi, ..Clinician::default() });
            (self.clinicians.len() - 1) as u32
        });
        let cl = &mut self.clinicians[c as usize];
        fill(&mut cl.last, row.last);
        fill(&mut cl.first, row.first);
        fill(&mut cl.taxonomy, row.taxonomy);
        fill(&mut cl.specialty, row.specialty);
        cl.pcp |= row.pcp;

        let solo = row.practice_id.is_empty();
        let key = if solo { npi.to_string() } else { row.practice_id };
        let p = match self.practice_ids.get(&key) {
            Some(&p) => p,
            None => {
                let p = self.practices.len() as u32;
                self.practices.push(Practice { id: key.clone(), solo, ..Practice::default() });
                self.practice_ids.insert(key, p);
                p
            }
        };
        let pr = &mut self.practices[p as usize];
        if !solo {
            fill(&mut pr.name, row.practice_name);
        }
        fill(&mut pr.county, row.county);
        fill(&mut pr.city, row.city);
        fill(&mut pr.state, row.state);
        fill(&mut pr.zip, row.zip);
        fill(&mut pr.phone, row.phone);
        self.memberships.push((c, p));
    }

    /// Sorts practices by id, de-duplicates (npi, practice) and names solo practices.
    pub fn finish(mut self) -> Roster {
        let mut order: Vec<u32> = (0..self.practices.len() as u32).collect();
        order.sort_by(|&a, &b| self.practices[a as usize].id.cmp(&self.practices[b as usize].id));
        let mut new_index = vec![0u32; order.len()];
        for (new, &old) in order.iter().enumerate() {
            new_index[old as usize] = new as u32;
        }
        let mut practices: Vec<Practice> =
            order.iter().map(|&o| std::mem::take(&mut self.practices[o as usize])).collect();

        let mut memberships: Vec<(u32, u32)> =
            self.memberships.iter().map(|&(c, p)| (c, new_index[p as usize])).collect();
        memberships.sort_unstable();
        memberships.dedup();
        let mut clinician_practices = vec![Vec::new(); self.clinicians.len()];
        let mut practice_clinicians = vec![Vec::new(); practices.len()];
        for &(c, p) in &memberships {
            clinician_practices[c as usize].push(p);
            practice_clinicians[p as usize].push(c);
        }
        for (p, practice) in practices.iter_mut().enumerate() {
            if practice.name.is_empty() {
                practice.name = match (practice.solo, practice_clinicians[p].first()) {
                    (true, Some(&c)) => self.clinicians[c as usize].display_name(),
                    _ => practice.id.clone(),
                };
            }
        }
        Roster {
            practices,
            clinicians: self.clinicians,
            npi_index: self.npi_index,
            clinician_practices,
            practice_clinicians,
            rows: self.rows,
        }
    }
}
