//! Analyse stage: what a designed fabric delivers (capacity, on its graph)
//! and what it draws (power).

pub mod capacity;
pub mod optical;
pub mod power;
pub mod racks;
pub mod reach;
pub mod resilience;
