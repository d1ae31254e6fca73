//! carealign: rank primary-care practices by the duals they see, match what HCBS recipients
//! said about their primary care to those practices, and align care-manager caseloads.

pub mod config;
pub mod ingest;
