//! What dcplan accepts, in one place: inputs are untrusted, and every bound
//! here keeps a file from making dcplan slow, huge or wrong. Each bound is
//! checked where the input is read and reported as an input error (exit 2)
//! at the offending line; the README's "Limits" section lists them.
//!
//! The YAML bounds (nesting, the size after alias expansion) are enforced
//! by the YAML layer (`load::yaml::guard`) before anything is built.
//!
//! The arithmetic bounds follow from these: with at most 10⁷ servers a site
//! of 8 NICs at 1.6 Tb/s, port counts times speeds stay below 2⁴⁷ Gb/s, and
//! a unit price of at most 10⁹ times any quantity the planner can order stays
//! far inside the 28 digits of the decimal type, so no sum or product can
//! wrap. Release builds keep overflow checks on besides (Cargo.toml), so a
//! missed case would stop the run rather than print a wrong figure.

/// Largest input file (catalog, scenario or route), checked before reading it whole.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;
/// YAML nesting: lists and mappings inside each other (serde_yaml's own limit).
pub const MAX_YAML_DEPTH: usize = 128;
/// Values (scalars, lists, mappings) in one document, every alias expanded:
/// what a file of 8 MiB written out plainly rarely reaches, and what
/// aliases may not exceed.
pub const MAX_YAML_NODES: u64 = 2_000_000;
/// Bytes of scalar text in one document, every alias expanded (a file
/// without aliases cannot exceed it).
pub const MAX_YAML_SCALAR_BYTES: u64 = MAX_FILE_BYTES;
/// `[` and `{` in a document that yaml-rust2 (which checks nesting before
/// libyaml reads the text) cannot parse: past it the document is refused,
/// as libyaml's time grows with the square of flow nesting.
pub const MAX_UNCHECKED_FLOW_COLLECTIONS: usize = 10_000;
/// Characters of a name, an id, a key or any other one-line text of a
/// catalog or scenario (the shipped files need at most 150).
pub const MAX_NAME_CHARS: usize = 256;
/// Characters of a free text (`description`, `source`, an estimate's
/// reason; the shipped files need at most 900). Both limits are far below
/// the 32,767 characters of a spreadsheet cell.
pub const MAX_TEXT_CHARS: usize = 4_096;
/// Sites in one scenario.
pub const MAX_SITES: usize = 1_000;
/// Servers at one site.
pub const MAX_SERVERS_PER_SITE: u64 = 10_000_000;
/// Servers in one scenario, all sites together.
pub const MAX_SERVERS_TOTAL: u64 = 100_000_000;
/// Fibre routes in one scenario.
pub const MAX_ROUTES: usize = 5_000;
/// Inter-site demands in one scenario.
pub const MAX_DEMANDS: usize = 1_000;
/// One demand, in Gb/s (100 Pb/s).
pub const MAX_DEMAND_GBPS: u64 = 100_000_000;
/// Items in one catalog section.
pub const MAX_CATALOG_ITEMS: usize = 10_000;
/// A device's switching, slot, fabric or forwarding capacity, in Gb/s
/// (1 Pb/s; the largest systems today are near 100 Tb/s).
pub const MAX_DEVICE_GBPS: u64 = 1_000_000;
/// A unit list price, in the catalog's currency.
pub const MAX_UNIT_PRICE: u64 = 1_000_000_000;

/// Work, not input: fabric candidates one plan's search may cost, shared
/// evenly by its sites (each at least [`MIN_SITE_CANDIDATES`], at most
/// [`MAX_SITE_CANDIDATES`]). The search's bounds keep feasible sites far
/// below (the shipped scenarios need at most about 90,000 a site); a site
/// that reaches its share gets the best design found, marked in its `why`
/// as not proven optimal. Counted per site, so results never depend on the
/// order sites are designed in.
pub const MAX_PLAN_CANDIDATES: u64 = 2_000_000;
/// Most fabric candidates one site may cost.
pub const MAX_SITE_CANDIDATES: u64 = 200_000;
/// Fewest fabric candidates a site may cost, however many sites share the plan's budget.
pub const MIN_SITE_CANDIDATES: u64 = 2_000;

/// The fabric search's budget for each site of a plan of `sites` sites.
pub fn site_candidates(sites: usize) -> u64 {
    (MAX_PLAN_CANDIDATES / sites.max(1) as u64).clamp(MIN_SITE_CANDIDATES, MAX_SITE_CANDIDATES)
}

/// Work, not input: pairs of site paths the searches for two route-disjoint
/// paths (`protection: diverse`) may compare in one plan, each pair of
/// sites searched once (`design::routes`). The search stops where no
/// remaining pair can beat the best, so a 40-site full mesh of routes with
/// 1,000 diverse demands compares about 2,000; what reaches the bound is
/// a mesh whose paths tie everywhere (a site pair joined by some 2,000
/// equally long paths compares up to 2,000,000). A plan beyond it is
/// refused (exit 1) with the bound named, in well under a second.
pub const MAX_PLAN_PATH_PAIRS: u64 = 10_000_000;

/// Output, not input: cable runs one `export --to cabling|netbox|containerlab`
/// may write, all its sites together, checked from the design's counts
/// before any run is placed. Each run is a row of the cable run list (and
/// about three rows of the NetBox files); a site's runs are placed in
/// memory at once (some 250 bytes each), so this also bounds the memory
/// of an export. The hyperscale example has 520,336; a plan beyond it is
/// exported a few sites at a time with `--site`.
pub const MAX_EXPORT_RUNS: u64 = 4_000_000;
