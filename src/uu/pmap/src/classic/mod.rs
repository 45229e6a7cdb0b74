//! The default, `-x` and `-d` formats. procps-ng reads `maps` (`smaps` for `-x`) line by
//! line into variables that live for the whole file; [`rows`] turns the scanner's records
//! (`memtools_platform::procmaps::scan`, the maps grammar) into the rows and totals
//! procps-ng 4.0.2 prints, with its naming rules and C quirks; [`text`] and [`json`] print
//! them.

pub mod json;
pub mod rows;
pub mod text;

pub use rows::Plan;
