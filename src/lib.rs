//! carealign: rank primary-care practices by the duals they see, match what HCBS recipients
//! said about their primary care to those practices, and align care-manager caseloads.
//!
//! Data flows one way: [`ingest`] → [`analysis`] ([`rank`], [`matching`]) → views and
//! [`export`]s. Nothing outside [`tui`] touches the terminal.

pub mod analysis;
pub mod cli;
pub mod export;
pub mod fmt;
pub mod ingest;
pub mod io;
pub mod matching;
pub mod plan;
pub mod progress;
pub mod rank;
pub mod sample;
pub mod sql;
pub mod systems;
pub mod timing;
pub mod tui;

/// Coverage by county is one of the outputs (coverage.csv) and the Counties screen's rows.
pub use export::coverage;
/// carealign.toml: read with the data (it says how to read it), used by every later stage.
pub use ingest::config;
