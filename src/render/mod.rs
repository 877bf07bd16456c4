//! Render stage: pure functions from model or diagnostics to text. Nothing
//! here opens a file: a renderer returns its text, or writes it to the
//! `Write` it is given (the large exports, so that they are never whole in
//! memory); the CLI decides where the bytes go.

pub mod bom;
pub mod catalog;
pub mod csv;
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
