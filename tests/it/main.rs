//! Integration tests: the `dcplan` binary run as a user runs it, on the
//! shipped files and on a corpus of bad inputs. One test binary (faster
//! builds), one module per area.

mod bom;
mod browser;
mod cli;
mod containerlab;
mod corpus;
mod counts;
mod determinism;
mod export;
mod express;
mod extremes;
mod fabric;
mod fabric_zr;
mod failures;
mod failures_planned;
mod golden;
mod graph;
mod hostile_load;
mod hostile_output;
mod interconnect_placement;
mod link;
mod loader_never_panics;
mod markdown;
mod netbox;
mod network;
mod pipeline;
mod search;
mod shipped;
mod snapshots;
mod support;
