//! The domain model: what a catalog supplies and what a scenario asks for.
//!
//! Item types (a switch, an optic, a site) are shared by the file format and
//! the validated model: they mirror the YAML exactly (`deny_unknown_fields`).
//! The document types that hold them come in two forms: the raw file
//! (`load::raw`), where every item may have failed to parse on its own, and
//! the validated [`Catalog`] and [`Scenario`], built only by `load::validate`.

pub mod catalog;
pub mod common;
pub mod grid;
pub mod scenario;

pub use catalog::*;
pub use common::*;
pub use grid::*;
pub use scenario::*;
