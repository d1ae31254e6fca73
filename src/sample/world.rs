//! The synthetic roster: practices (named from place words and kinds), their clinicians, and
//! NPIs outside the roster.

use std::collections::HashSet;

use super::SampleSpec;
use super::rng::{Rng, Weighted};
use super::words::*;

pub(super) fn luhn_npi(base9: u64) -> u64 {
    for check in 0..10 {
        let n = base9 * 10 + check;
        if crate::ingest::fields::npi_luhn_ok(n) {
            return n;
        }
    }
    unreachable!("one check digit always fits")
}

pub(super) struct GenPractice {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) place: Option<&'static str>,
    pub(super) county: &'static str,
    pub(super) city: &'static str,
    pub(super) phone: String,
    pub(super) clinicians: Vec<usize>,
    pub(super) billing_npi: u64,
    pub(super) sites: Vec<&'static str>,
}

pub(super) struct GenClinician {
    pub(super) npi: u64,
    pub(super) first: &'static str,
    pub(super) last: &'static str,
    pub(super) taxonomy: &'static str,
    pub(super) practices: Vec<usize>,
}

pub(super) fn phone(rng: &mut Rng) -> String {
    format!("555-{:03}-{:04}", rng.below(900) + 100, rng.below(10_000))
}

/// Lower-cases and strips punctuation and legal suffixes, to keep generated names distinct
/// the way a reader would tell them apart.
pub(super) fn name_key(name: &str) -> String {
    let lower = name.to_lowercase().replace([',', '.'], "");
    lower
        .split_whitespace()
        .filter(|w| !matches!(*w, "llc" | "pc" | "pllc" | "inc" | "pa"))
        .collect::<Vec<_>>()
        .join(" ")
}

pub(super) struct World {
    pub(super) practices: Vec<GenPractice>,
    pub(super) clinicians: Vec<GenClinician>,
    pub(super) outsiders: Vec<u64>,
}

pub(super) fn build_world(spec: &SampleSpec, rng: &mut Rng) -> World {
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
        let (name, place) = loop {
            tries += 1;
            let kind = rng.below(KINDS.len());
            let suffix = rng.pick(SUFFIXES);
            let (base, place) = match rng.below(10) {
                0..=5 => {
                    let p = PLACES[place_w.pick(rng)];
                    (format!("{p} {}", KINDS[kind]), Some(p))
                }
                6..=7 => (format!("{} {}", rng.pick(LAST_NAMES), KINDS[kind]), None),
                _ => {
                    let p = PLACES[place_w.pick(rng)];
                    (format!("{p} {} of {city}", KINDS[kind]), Some(p))
                }
            };
            // Very large sets run out of combinations: number the extra ones.
            let base = if tries > 40 { format!("{base} {}", tries - 40) } else { base };
            let name = format!("{base}{suffix}");
            if used_names.insert(name_key(&name)) {
                break (name, place);
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
