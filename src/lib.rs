//! carealign: rank primary-care practices by the duals they see, match what HCBS recipients
//! said about their primary care to those practices, and align care-manager caseloads.
//!
//! Data flows one way: [`ingest`] → [`analysis`] ([`rank`], [`matching`]) → views and
//! [`export`]s. Nothing outside [`tui`] touches the terminal.

pub mod analysis;
pub mod cli;
pub mod config;
pub mod export;
pub mod ingest;
pub mod matching;
pub mod plan;
pub mod rank;
pub mod sample;
pub mod sql;
pub mod tui;
