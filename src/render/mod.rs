//! Render stage: pure functions from model or diagnostics to text. Nothing
//! here reads or writes files; the CLI decides where the bytes go.

pub mod bom;
pub mod catalog;
pub mod deals;
pub mod diagnostics;
pub mod export;
pub mod failures;
pub mod graph;
pub mod html;
pub mod interconnect;
pub mod link;
pub mod plan;
pub mod table;
