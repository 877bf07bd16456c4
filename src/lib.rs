//! dcplan: plan data-center fabrics, interconnect and bills of materials
//! from a vendor deal's catalog and a buyer's scenario.
//!
//! The library does all the work and never prints; the `dcplan` binary is a
//! thin command-line layer over it. Data flows one way through the stages:
//! `load` (text → validated model) → … → `render` (model → bytes).

pub mod analyse;
pub mod design;
pub mod diag;
pub mod fixes;
pub mod generate;
pub mod limits;
pub mod load;
pub mod model;
pub mod money;
pub mod plan;
pub mod price;
pub mod render;
pub mod schema;
pub mod text;
pub mod topology;
pub mod units;
