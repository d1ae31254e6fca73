//! `carealign sample`: synthetic, deterministic, PHI-free data in the input format, with an
//! answer key (`answer_key.csv`) saying what each pcp_response really means.
//!
//! The shape follows real data: heavy-tailed practice sizes and popularity, groups whose
//! clinicians appear at several sites, NPIs in two practices, specialists, non-primary-care
//! codes, non-crossover lines, NPIs missing from the roster, and answers typed the many ways
//! assessors type them. The key is computed from the roster (a "Dr. Patel" answer is marked
//! ambiguous when Patels work in two practices), never from what a matcher does.

mod systems;
pub mod taf_split;
mod words;

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use crate::ingest::fields::{format_day, ymd_to_day};
use words::*;

/// Size and seed of a synthetic data set.
#[derive(Debug, Clone, Copy)]
pub struct SampleSpec {
    pub members: usize,
    pub practices: usize,
    pub care_managers: usize,
    /// Approximate total claim lines (default: about 8 per member).
    pub lines: Option<u64>,
    pub seed: u64,
}

impl SampleSpec {
    pub fn new(members: usize, practices: usize, seed: u64) -> Self {
        SampleSpec { members, practices, care_managers: (members / 125).max(2), lines: None, seed }
    }
}

/// What was written, for the command's summary.
#[derive(Debug, Clone, Copy, Default)]
pub struct SampleSummary {
    pub practices: usize,
    pub clinicians: usize,
    pub roster_rows: usize,
    pub claim_lines: u64,
    pub hcbs_members: usize,
    pub care_managers: usize,
    pub health_systems: usize,
}

/// SplitMix64: small, fast and stable across versions, so a seed always gives the same data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (((self.next() >> 11) as u128 * n as u128) >> 53) as usize
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
    /// Pareto-like heavy tail: 1 + floor(scale * (U^(-1/alpha) - 1)).
    fn heavy(&mut self, alpha: f64, scale: f64, cap: usize) -> usize {
        let u = self.unit().max(1e-12);
        ((1.0 + scale * (u.powf(-1.0 / alpha) - 1.0)) as usize).clamp(1, cap)
    }
}

/// Cumulative weights for picking an index in proportion to its weight.
struct Weighted(Vec<f64>);

impl Weighted {
    fn new(weights: impl Iterator<Item = f64>) -> Self {
        let mut acc = 0.0;
        Weighted(
            weights
                .map(|w| {
                    acc += w;
                    acc
                })
                .collect(),
        )
    }
    fn pick(&self, rng: &mut Rng) -> usize {
        let x = rng.unit() * self.0.last().copied().unwrap_or(0.0);
        self.0.partition_point(|&c| c <= x).min(self.0.len() - 1)
    }
}

fn luhn_npi(base9: u64) -> u64 {
    for check in 0..10 {
        let n = base9 * 10 + check;
        if crate::ingest::fields::npi_luhn_ok(n) {
            return n;
        }
    }
    unreachable!("one check digit always fits")
}

struct GenPractice {
    id: String,
    name: String,
    place: Option<&'static str>,
    kind: usize,
    county: &'static str,
    city: &'static str,
    phone: String,
    clinicians: Vec<usize>,
    billing_npi: u64,
    sites: Vec<&'static str>,
}

struct GenClinician {
    npi: u64,
    first: &'static str,
    last: &'static str,
    taxonomy: &'static str,
    practices: Vec<usize>,
}

fn phone(rng: &mut Rng) -> String {
    format!("555-{:03}-{:04}", rng.below(900) + 100, rng.below(10_000))
}

/// Lower-cases and strips punctuation and legal suffixes, to keep generated names distinct
/// the way a reader would tell them apart.
fn name_key(name: &str) -> String {
    let lower = name.to_lowercase().replace([',', '.'], "");
    lower
        .split_whitespace()
        .filter(|w| !matches!(*w, "llc" | "pc" | "pllc" | "inc" | "pa"))
        .collect::<Vec<_>>()
        .join(" ")
}

struct World {
    practices: Vec<GenPractice>,
    clinicians: Vec<GenClinician>,
    outsiders: Vec<u64>,
}

fn build_world(spec: &SampleSpec, rng: &mut Rng) -> World {
    let mut used_ids = HashSet::new();
    let mut used_names = HashSet::new();
    let mut used_npis = HashSet::new();
    let mut new_npi = |rng: &mut Rng| loop {
        // Individual NPIs start with 1 or 2.
        let n = luhn_npi(100_000_000 + rng.below(200_000_000) as u64);
        if used_npis.insert(n) {
            return n;
        }
    };
    let mut practices = Vec::with_capacity(spec.practices);
    // Places are drawn with a skew so that some are shared by several practices.
    let place_w = Weighted::new((0..PLACES.len()).map(|i| 1.0 / (1.0 + i as f64).powf(0.5)));
    for i in 0..spec.practices {
        let solo = i % 10 == 9;
        let mut tries = 0;
        let city = rng.pick(CITIES);
        let (name, place, kind) = loop {
            tries += 1;
            let kind = rng.below(KINDS.len());
            let suffix = rng.pick(SUFFIXES);
            let (base, place) = match rng.below(10) {
                0..=5 => {
                    let p = PLACES[place_w.pick(rng)];
                    (format!("{p} {}", KINDS[kind].0), Some(p))
                }
                6..=7 => (format!("{} {}", rng.pick(LAST_NAMES), KINDS[kind].0), None),
                _ => {
                    let p = PLACES[place_w.pick(rng)];
                    (format!("{p} {} of {city}", KINDS[kind].0), Some(p))
                }
            };
            // Very large sets run out of combinations: number the extra ones.
            let base = if tries > 40 { format!("{base} {}", tries - 40) } else { base };
            let name = format!("{base}{suffix}");
            if used_names.insert(name_key(&name)) {
                break (name, place, kind);
            }
        };
        let id = if solo {
            String::new()
        } else {
            loop {
                let id = format!("{:010}", 1_000_000_000 + rng.below(8_999_999_999));
                if used_ids.insert(id.clone()) {
                    break id;
                }
            }
        };
        let n_sites = if rng.chance(0.15) { 2 + rng.below(3) } else { 1 };
        let mut sites: Vec<&'static str> = Vec::new();
        while sites.len() < n_sites {
            let s = rng.pick(SITES);
            if !sites.contains(&s) {
                sites.push(s);
            }
        }
        practices.push(GenPractice {
            id,
            name,
            place,
            kind,
            county: rng.pick(COUNTIES),
            city,
            phone: phone(rng),
            clinicians: Vec::new(),
            billing_npi: new_npi(rng),
            sites,
        });
    }
    let mut clinicians: Vec<GenClinician> = Vec::new();
    for (p, practice) in practices.iter_mut().enumerate() {
        let solo = practice.id.is_empty();
        let size = if solo { 1 } else { rng.heavy(1.2, 2.0, 80) };
        for _ in 0..size {
            let pcp = solo || rng.chance(0.8);
            let c = GenClinician {
                npi: new_npi(rng),
                first: rng.pick(FIRST_NAMES),
                // Skewed surnames: the first ones are much more common.
                last: LAST_NAMES[(rng.unit().powi(2) * LAST_NAMES.len() as f64) as usize],
                taxonomy: if pcp { rng.pick(PCP_TAXONOMIES) } else { rng.pick(SPECIALIST_TAXONOMIES) },
                practices: vec![p],
            };
            practice.clinicians.push(clinicians.len());
            clinicians.push(c);
        }
    }
    // Some clinicians also work in a second group practice.
    let groups: Vec<usize> = (0..practices.len()).filter(|&p| !practices[p].id.is_empty()).collect();
    if groups.len() > 1 {
        for (c, clinician) in clinicians.iter_mut().enumerate() {
            let home = clinician.practices[0];
            if !practices[home].id.is_empty() && rng.chance(0.05) {
                let other = rng.pick(&groups);
                if other != home {
                    clinician.practices.push(other);
                    practices[other].clinicians.push(c);
                }
            }
        }
    }
    // Solo practices are named after their clinician.
    for p in practices.iter_mut().filter(|p| p.id.is_empty()) {
        let c = &clinicians[p.clinicians[0]];
        p.name = format!("{} {}", c.first, c.last);
        p.place = None;
    }
    // NPIs that bill for duals but are missing from the roster.
    let outsiders = (0..(clinicians.len() / 4).max(10)).map(|_| new_npi(rng)).collect();
    World { practices, clinicians, outsiders }
}

/// Writes a data set into `dir` (created if needed).
pub fn generate(dir: &Path, spec: &SampleSpec) -> io::Result<SampleSummary> {
    std::fs::create_dir_all(dir)?;
    let mut rng = Rng(spec.seed ^ 0x5EED_CA8E_A119_0000);
    let world = build_world(spec, &mut rng);
    let mut summary = SampleSummary {
        practices: world.practices.len(),
        clinicians: world.clinicians.len(),
        ..SampleSummary::default()
    };
    summary.roster_rows = write_roster(dir, &world, &mut rng)?;

    // Popularity: Zipf over a shuffled order, so big practices are not just the first ids.
    let mut order: Vec<usize> = (0..world.practices.len()).collect();
    for i in (1..order.len()).rev() {
        order.swap(i, rng.below(i + 1));
    }
    let mut weight = vec![0.0; order.len()];
    for (rank, &p) in order.iter().enumerate() {
        weight[p] = 1.0 / (1.0 + rank as f64).powf(1.15);
    }
    let popularity = Weighted::new(weight.iter().copied());
    let lines_per_member = spec.lines.map_or(8.0, |l| l as f64 / spec.members.max(1) as f64).max(1.0);

    let members: Vec<Member> = (0..spec.members)
        .map(|i| {
            let home = popularity.pick(&mut rng);
            // About a third of members also see a second practice.
            let second = if rng.chance(0.35) { popularity.pick(&mut rng) } else { home };
            Member {
                id: member_id(i),
                home,
                second,
                county: if rng.chance(0.85) { world.practices[home].county } else { rng.pick(COUNTIES) },
            }
        })
        .collect();
    summary.claim_lines = write_claims(dir, &world, &members, lines_per_member, &mut rng)?;

    // HCBS recipients: about a third of members, plus some with no claims yet.
    let extra = spec.members / 20;
    let mut hcbs: Vec<Member> = members.iter().filter(|_| rng.chance(0.33)).cloned().collect();
    for i in 0..extra {
        let home = popularity.pick(&mut rng);
        hcbs.push(Member { id: member_id(spec.members + i), home, second: home, county: world.practices[home].county });
    }
    summary.hcbs_members = hcbs.len();
    let cms = write_care_managers(dir, spec, hcbs.len(), &mut rng)?;
    summary.care_managers = cms.len();
    write_assessments(dir, &world, &hcbs, &cms, &mut rng)?;
    summary.health_systems = systems::write(dir, &world, spec.seed)?;
    Ok(summary)
}

#[derive(Clone)]
struct Member {
    id: String,
    home: usize,
    second: usize,
    county: &'static str,
}

fn member_id(i: usize) -> String {
    // A bijection on 0..10^9 so ids look scattered but never collide.
    format!("M{:09}", (i as u64 * 387_420_489 + 12_345) % 1_000_000_000)
}

fn csv_writer(dir: &Path, name: &str) -> io::Result<csv::Writer<BufWriter<File>>> {
    Ok(csv::Writer::from_writer(BufWriter::new(File::create(dir.join(name))?)))
}

fn write_roster(dir: &Path, world: &World, rng: &mut Rng) -> io::Result<usize> {
    let mut w = csv_writer(dir, "practices.csv")?;
    w.write_record([
        "npi",
        "clinician_last",
        "clinician_first",
        "taxonomy",
        "practice_id",
        "practice_name",
        "county",
        "phone",
    ])?;
    let mut rows = 0;
    for p in &world.practices {
        for &c in &p.clinicians {
            let cl = &world.clinicians[c];
            // Multi-site groups list a clinician once per site, as the DAC does.
            let copies = if p.sites.len() > 1 && rng.chance(0.5) { 2 } else { 1 };
            for _ in 0..copies {
                let npi = cl.npi.to_string();
                w.write_record([npi.as_str(), cl.last, cl.first, cl.taxonomy, &p.id, &p.name, p.county, &p.phone])?;
                rows += 1;
            }
        }
    }
    w.flush()?;
    Ok(rows)
}

fn write_claims(dir: &Path, world: &World, members: &[Member], per_member: f64, rng: &mut Rng) -> io::Result<u64> {
    let mut out = BufWriter::with_capacity(1 << 20, File::create(dir.join("claims.csv"))?);
    out.write_all(b"member_id,service_date,rendering_npi,billing_npi,taxonomy,procedure_code,crossover,paid_amount\n")?;
    let start = ymd_to_day(2025, 1, 1).expect("valid");
    let dates: Vec<String> = (0..365).map(|d| format_day(start + d)).collect();
    let all_practices = world.practices.len();
    let mut lines = 0u64;
    let mut line = Vec::with_capacity(128);
    for m in members {
        let n = 1 + (-(rng.unit().max(1e-12)).ln() * (per_member - 1.0)).round() as usize;
        for _ in 0..n {
            // Mostly the member's own practice, sometimes a second one; visits elsewhere
            // are mostly to specialists for other services.
            let (p, pc_share) = match rng.below(20) {
                0..=15 => (m.home, 0.7),
                16..=17 => (m.second, 0.7),
                _ => (rng.below(all_practices), 0.1),
            };
            let prac = &world.practices[p];
            let c = &world.clinicians[rng.pick(&prac.clinicians)];
            let (rendering, billing) = match rng.below(100) {
                // NPI missing from the roster; half still carry a known billing NPI.
                0..=1 => (rng.pick(&world.outsiders), String::new()),
                2..=3 => (rng.pick(&world.outsiders), world.clinicians[rng.pick(&prac.clinicians)].npi.to_string()),
                4..=23 => (c.npi, world.clinicians[rng.pick(&prac.clinicians)].npi.to_string()),
                24..=70 => (c.npi, prac.billing_npi.to_string()),
                _ => (c.npi, String::new()),
            };
            let taxonomy = if rng.chance(0.85) { c.taxonomy } else { "" };
            let code = if rng.chance(pc_share) { rng.pick(PC_CODES) } else { rng.pick(OTHER_CODES) };
            let xover = match rng.below(20) {
                0..=1 => "N",
                2 => "0",
                3 => "1",
                _ => "Y",
            };
            line.clear();
            writeln!(
                line,
                "{},{},{},{},{},{},{},{}.{:02}",
                m.id,
                dates[rng.below(365)],
                rendering,
                billing,
                taxonomy,
                code,
                xover,
                rng.below(300),
                rng.below(100)
            )?;
            out.write_all(&line)?;
            lines += 1;
        }
    }
    out.flush()?;
    Ok(lines)
}

struct GenCm {
    id: String,
    county: &'static str,
    capacity: usize,
}

fn write_care_managers(dir: &Path, spec: &SampleSpec, hcbs: usize, rng: &mut Rng) -> io::Result<Vec<GenCm>> {
    let mut w = csv_writer(dir, "care_managers.csv")?;
    w.write_record(["care_manager_id", "name", "agency", "supervisor", "county", "capacity", "phone", "email"])?;
    let n = spec.care_managers.max(1);
    let supervisors: Vec<String> =
        (0..n.div_ceil(8)).map(|_| format!("{} {}", rng.pick(FIRST_NAMES), rng.pick(LAST_NAMES))).collect();
    let mut cms = Vec::new();
    let mean = hcbs as f64 / n as f64;
    for i in 0..n {
        let (first, last) = (rng.pick(FIRST_NAMES), rng.pick(LAST_NAMES));
        let agency = rng.pick(AGENCIES);
        let capacity = ((mean * (0.9 + 0.6 * rng.unit())).ceil() as usize).max(5);
        let id = format!("CM{:04}", i + 1);
        let county = COUNTIES[i % COUNTIES.len()];
        let email = format!(
            "{}.{}@{}.example.org",
            first.to_lowercase(),
            last.to_lowercase().replace('\'', ""),
            agency.split(' ').next().unwrap_or("agency").to_lowercase()
        );
        w.write_record([
            id.as_str(),
            &format!("{first} {last}"),
            agency,
            &supervisors[i / 8],
            county,
            &capacity.to_string(),
            &phone(rng),
            &email,
        ])?;
        cms.push(GenCm { id, county, capacity });
    }
    w.flush()?;
    Ok(cms)
}

/// The form an answer takes, as the answer key records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    Exact,
    Lower,
    Abbreviated,
    Typo,
    Site,
    /// The name with words around it ("the Riverside FM office", "... in Salem").
    Extra,
    /// Part of the name ("Riverside Family" for Riverside Family Medicine).
    Partial,
    Doctor,
    Npi,
    NonAnswer,
    Ambiguous,
}

impl Form {
    fn as_str(self) -> &'static str {
        match self {
            Form::Exact => "exact",
            Form::Lower => "lower",
            Form::Abbreviated => "abbreviated",
            Form::Typo => "typo",
            Form::Site => "site",
            Form::Extra => "extra",
            Form::Partial => "partial",
            Form::Doctor => "doctor",
            Form::Npi => "npi",
            Form::NonAnswer => "non_answer",
            Form::Ambiguous => "ambiguous",
        }
    }
}

/// Indexes for computing what an answer identifies (sorted practice lists).
struct Lookup {
    by_last: HashMap<&'static str, Vec<usize>>,
    by_full: HashMap<(&'static str, &'static str), Vec<usize>>,
    by_place: HashMap<&'static str, Vec<usize>>,
    /// Practices by each word of their normalized name.
    by_word: HashMap<String, Vec<usize>>,
    /// Per practice: [`Lookup::containing`] its own name.
    namesakes: Vec<Vec<usize>>,
}

impl Lookup {
    fn new(world: &World) -> Self {
        let mut l = Lookup {
            by_last: HashMap::new(),
            by_full: HashMap::new(),
            by_place: HashMap::new(),
            by_word: HashMap::new(),
            namesakes: Vec::new(),
        };
        for c in &world.clinicians {
            for &p in &c.practices {
                l.by_last.entry(c.last).or_default().push(p);
                l.by_full.entry((c.first, c.last)).or_default().push(p);
            }
        }
        for (i, p) in world.practices.iter().enumerate() {
            for w in name_key(&p.name).split(' ') {
                l.by_word.entry(w.to_string()).or_default().push(i);
            }
            if let Some(place) = p.place {
                l.by_place.entry(place).or_default().push(i);
            }
        }
        for v in l
            .by_last
            .values_mut()
            .chain(l.by_full.values_mut())
            .chain(l.by_place.values_mut())
            .chain(l.by_word.values_mut())
        {
            v.sort_unstable();
            v.dedup();
        }
        l.namesakes = world.practices.iter().map(|p| l.containing(&p.name)).collect();
        l
    }

    /// Practices whose normalized name holds every word of `text`. An answer made from a
    /// practice's name identifies it only when this is that practice alone: "Mercy Medical
    /// Associates" may mean "Mercy Medical Associates of Salem" too, and two solo practices
    /// may share a clinician's name.
    fn containing(&self, text: &str) -> Vec<usize> {
        let key = name_key(text);
        let lists: Option<Vec<&Vec<usize>>> = key.split(' ').map(|w| self.by_word.get(w)).collect();
        let Some(mut lists) = lists else { return Vec::new() };
        lists.sort_by_key(|l| l.len());
        let Some((first, rest)) = lists.split_first() else { return Vec::new() };
        first.iter().copied().filter(|p| rest.iter().all(|l| l.binary_search(p).is_ok())).collect()
    }
}

/// Sorted intersection of two sorted lists.
fn intersect(a: &[usize], b: &[usize]) -> Vec<usize> {
    a.iter().copied().filter(|x| b.binary_search(x).is_ok()).collect()
}

fn typo(word: &str, rng: &mut Rng) -> String {
    let mut chars: Vec<char> = word.chars().collect();
    let n = chars.len();
    if n < 5 {
        return word.to_string();
    }
    let i = 1 + rng.below(n - 2);
    match rng.below(4) {
        0 => chars.swap(i, i + 1),
        1 => {
            chars.remove(i);
        }
        2 => chars.insert(i, chars[i]),
        _ => {
            let c = (b'a' + rng.below(26) as u8) as char;
            chars[i] = if chars[i] == c { 'e' } else { c };
        }
    }
    chars.into_iter().collect()
}

fn strip_suffix(name: &str) -> &str {
    for s in SUFFIXES.iter().filter(|s| !s.is_empty()) {
        if let Some(base) = name.strip_suffix(s) {
            return base;
        }
    }
    name
}

/// One answer and what it truly identifies: (text, form, practice if exactly one, candidates).
fn answer(world: &World, look: &Lookup, p: usize, rng: &mut Rng) -> (String, Form, Option<usize>, Vec<usize>) {
    let prac = &world.practices[p];
    let namesakes = &look.namesakes[p];
    // A name that other practice names contain identifies none of them.
    let one = |form: Form, text: String| {
        if namesakes.len() > 1 {
            (text, Form::Ambiguous, None, namesakes.clone())
        } else {
            (text, form, Some(p), vec![p])
        }
    };
    let base = strip_suffix(&prac.name).to_string();
    let roll = rng.below(100);
    match roll {
        0..=13 => one(Form::Exact, prac.name.clone()),
        14..=21 => one(Form::Lower, base.to_lowercase()),
        22..=33 if !prac.id.is_empty() => {
            let (full, abbrs) = KINDS[prac.kind];
            let mut text = base.replacen(full, rng.pick(abbrs), 1);
            text = text.replace("Saint ", if rng.chance(0.5) { "St. " } else { "St " });
            if rng.chance(0.3) {
                text = text.to_lowercase();
            }
            one(Form::Abbreviated, text)
        }
        34..=45 => {
            let words: Vec<&str> = base.split(' ').collect();
            let long: Vec<usize> = (0..words.len()).filter(|&i| words[i].len() >= 5).collect();
            if long.is_empty() {
                return one(Form::Exact, prac.name.clone());
            }
            let k = rng.pick(&long);
            let mut out: Vec<String> = words.iter().map(|w| w.to_string()).collect();
            out[k] = typo(words[k], rng);
            // Some answers have two slips.
            if rng.chance(0.3) {
                let k2 = rng.pick(&long);
                out[k2] = typo(&out[k2], rng);
            }
            let text = out.join(" ");
            one(Form::Typo, if rng.chance(0.4) { text.to_lowercase() } else { text })
        }
        46..=50 if !prac.id.is_empty() => {
            let site = rng.pick(&prac.sites);
            one(Form::Site, format!("{base} - {site}"))
        }
        51..=55 => {
            let text = match rng.below(5) {
                0 => format!("the {base} office"),
                1 if !base.contains(" of ") => format!("{base} in {}", prac.city),
                2 => format!("goes to {}", base.to_lowercase()),
                3 => format!("{base} (sees the NP)"),
                _ => format!("{base} on Main St"),
            };
            one(Form::Extra, text)
        }
        56..=60 => {
            let words: Vec<&str> = base.split(' ').collect();
            if words.len() < 3 {
                return one(Form::Exact, prac.name.clone());
            }
            // Leave out the town ("... of Salem"), else the last word or the first.
            let part = match base.find(" of ") {
                Some(cut) => base[..cut].to_string(),
                None if rng.chance(0.7) => words[..words.len() - 1].join(" "),
                None => words[1..].join(" "),
            };
            let fits = look.containing(&part);
            if fits == [p] { (part, Form::Partial, Some(p), fits) } else { (part, Form::Ambiguous, None, fits) }
        }
        61..=76 => {
            let c = &world.clinicians[rng.pick(&prac.clinicians)];
            let (text, cands) = match rng.below(3) {
                0 => (format!("Dr. {}", c.last), look.by_last[c.last].clone()),
                1 => (
                    format!("dr {} {}", c.first.to_lowercase(), c.last.to_lowercase()),
                    look.by_full[&(c.first, c.last)].clone(),
                ),
                _ => match prac.place {
                    Some(place) => {
                        (format!("Dr {} at {}", c.last, place), intersect(&look.by_last[c.last], &look.by_place[place]))
                    }
                    None => (format!("Dr. {} {}", c.first, c.last), look.by_full[&(c.first, c.last)].clone()),
                },
            };
            if cands.len() == 1 { (text, Form::Doctor, Some(p), cands) } else { (text, Form::Ambiguous, None, cands) }
        }
        77..=81 => {
            let c = &world.clinicians[rng.pick(&prac.clinicians)];
            let text = if rng.chance(0.5) { c.npi.to_string() } else { format!("NPI {}", c.npi) };
            if c.practices.len() == 1 {
                (text, Form::Npi, Some(p), vec![p])
            } else {
                (text, Form::Ambiguous, None, c.practices.clone())
            }
        }
        82..=90 => (rng.pick(NON_ANSWERS).to_string(), Form::NonAnswer, None, Vec::new()),
        _ => match prac.place {
            Some(place) if look.by_place[place].len() > 1 => {
                let text = if rng.chance(0.5) { format!("{place} clinic") } else { place.to_string() };
                (text, Form::Ambiguous, None, look.by_place[place].clone())
            }
            _ => one(Form::Exact, prac.name.clone()),
        },
    }
}

fn write_assessments(dir: &Path, world: &World, hcbs: &[Member], cms: &[GenCm], rng: &mut Rng) -> io::Result<()> {
    let look = Lookup::new(world);
    let mut w = csv_writer(dir, "assessments.csv")?;
    w.write_record([
        "member_id",
        "assessment_date",
        "assessment_type",
        "pcp_response",
        "county",
        "waiver",
        "acuity",
        "care_manager_id",
        "medicare_plan",
    ])?;
    let mut key = csv_writer(dir, "answer_key.csv")?;
    key.write_record(["member_id", "form", "practice_id", "candidates"])?;
    let id_of = |p: usize| {
        let pr = &world.practices[p];
        if pr.id.is_empty() { world.clinicians[pr.clinicians[0]].npi.to_string() } else { pr.id.clone() }
    };
    let mut by_county: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, cm) in cms.iter().enumerate() {
        by_county.entry(cm.county).or_default().push(i);
    }
    let start = ymd_to_day(2024, 1, 1).expect("valid");
    let mut load = vec![0usize; cms.len()];
    for m in hcbs {
        // Most name the practice their claims show; some name another (a conflict to review).
        let truth = if rng.chance(0.85) { m.home } else { rng.below(world.practices.len()) };
        let (text, form, practice, cands) = answer(world, &look, truth, rng);
        // Current care managers: mostly one in the member's county with room (caseloads run
        // close to capacity), some anywhere, some members without one yet.
        let roll = rng.below(100);
        let cm_index = if roll < 85 {
            let pick =
                by_county.get(m.county).map(|list| rng.pick(list)).filter(|&c| load[c] < cms[c].capacity * 19 / 20);
            pick.or_else(|| (0..cms.len()).min_by_key(|&c| (load[c] * 1000 / cms[c].capacity.max(1), c)))
        } else if roll < 92 {
            Some(rng.below(cms.len()))
        } else {
            None
        };
        if let Some(c) = cm_index {
            load[c] += 1;
        }
        let cm = cm_index.map_or("", |c| cms[c].id.as_str());
        let acuity = match rng.below(20) {
            0..=3 => "high",
            4..=11 => "medium",
            12..=18 => "low",
            _ => "",
        };
        let waiver = rng.pick(WAIVERS);
        let plan = rng.pick(MEDICARE_PLANS);
        let date = start + 200 + rng.below(500) as i32;
        // An older assessment with another answer, which the latest must override.
        if rng.chance(0.1) {
            let old = rng.pick(NON_ANSWERS);
            w.write_record([
                m.id.as_str(),
                &format_day(date - 365),
                "initial",
                old,
                m.county,
                waiver,
                acuity,
                cm,
                plan,
            ])?;
        }
        let kind = if rng.chance(0.3) { "initial" } else { "annual" };
        w.write_record([m.id.as_str(), &format_day(date), kind, &text, m.county, waiver, acuity, cm, plan])?;
        // A surname shared by thousands of practices would make the key huge: list up to 20.
        let cand_ids: Vec<String> = cands.iter().take(20).map(|&c| id_of(c)).collect();
        key.write_record([
            m.id.as_str(),
            form.as_str(),
            &practice.map(id_of).unwrap_or_default(),
            &cand_ids.join(";"),
        ])?;
    }
    w.flush()?;
    key.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_complete() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        let spec = SampleSpec::new(400, 30, 7);
        let sa = generate(a.path(), &spec).unwrap();
        generate(b.path(), &spec).unwrap();
        for f in ["claims.csv", "practices.csv", "assessments.csv", "care_managers.csv", "answer_key.csv"] {
            let x = std::fs::read(a.path().join(f)).unwrap();
            assert_eq!(x, std::fs::read(b.path().join(f)).unwrap(), "{f}");
            assert!(x.len() > 50, "{f}");
        }
        assert_eq!(sa.practices, 30);
        assert!(sa.claim_lines > 400);
        let key = std::fs::read_to_string(a.path().join("answer_key.csv")).unwrap();
        for form in ["exact", "abbreviated", "typo", "doctor", "non_answer"] {
            assert!(key.contains(&format!(",{form},")), "{form}");
        }
    }

    #[test]
    fn typos_change_the_word() {
        let mut rng = Rng(3);
        for _ in 0..100 {
            let t = typo("Riverside", &mut rng);
            assert_ne!(t, "Riverside");
        }
    }
}
