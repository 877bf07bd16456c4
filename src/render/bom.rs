//! The bill of materials as CSV (any spreadsheet), JSON, Markdown and a real
//! Excel workbook. Prices are decimal strings in text formats and numbers
//! with a currency format in the workbook.

use super::table::{md_text, Table};
use crate::price::bom::{Bom, BomLine};
use crate::units::trim_float;

const COLUMNS: &[&str] = &[
    "site",
    "category",
    "part_number",
    "item",
    "model",
    "quantity",
    "spares",
    "unit_list_price",
    "category_discount_pct",
    "volume_discount_pct",
    "unit_net_price",
    "extended_list_price",
    "extended_net_price",
    "unit_power_typical_w",
    "unit_power_max_w",
    "power_typical_w",
    "power_max_w",
    "rack_units",
    "price_estimate",
    "why",
];

fn row(l: &BomLine) -> Vec<String> {
    vec![
        l.site.clone(),
        l.category.as_str().into(),
        l.part_number.clone(),
        l.item.clone(),
        l.model.clone(),
        l.quantity.to_string(),
        l.spares.to_string(),
        l.unit_list_price.to_string(),
        l.category_discount_pct.normalize().to_string(),
        l.volume_discount_pct.normalize().to_string(),
        l.unit_net_price.to_string(),
        l.extended_list_price.to_string(),
        l.extended_net_price.to_string(),
        trim_float(l.unit_power_typical_w),
        trim_float(l.unit_power_max_w),
        trim_float(l.power_typical_w),
        trim_float(l.power_max_w),
        trim_float(l.rack_units),
        l.price_estimate.to_string(),
        l.why.clone(),
    ]
}

/// The lines as CSV (RFC 4180, one header row), for any spreadsheet; text
/// that a spreadsheet would take for a formula is made inert ([`super::csv`]).
pub fn to_csv(bom: &Bom) -> Vec<u8> {
    super::csv::to_bytes(|w| {
        w.row(COLUMNS)?;
        for l in &bom.lines {
            w.row(row(l))?;
        }
        Ok(())
    })
    .unwrap_or_default()
}

/// The bill of materials as JSON.
pub fn to_json(bom: &Bom) -> String {
    let mut s = serde_json::to_string_pretty(bom).unwrap_or_default();
    s.push('\n');
    s
}

fn totals_table(bom: &Bom) -> Table {
    let mut t = Table::new(&["total", "amount>"]);
    let c = &bom.currency;
    t.row(vec!["list price of the hardware".into(), format!("{} {c}", bom.totals.list)]);
    t.row(vec!["hardware, net (capex)".into(), format!("{} {c}", bom.totals.hardware_net)]);
    t.row(vec![
        format!("support, {}% a year for {} years", bom.support_pct_per_year, bom.support_years),
        format!("{} {c}", bom.totals.support),
    ]);
    t.row(vec!["net total".into(), format!("{} {c}", bom.totals.net)]);
    if let (Some(e), Some(tco)) = (bom.totals.energy, bom.totals.cost_of_ownership) {
        let years = bom.totals.horizon_years;
        t.row(vec![
            format!("support over {years} years at the same rate"),
            format!("{} {c}", bom.totals.support_over_horizon),
        ]);
        t.row(vec![format!("energy over {years} years"), format!("{e} {c}")]);
        t.row(vec![
            format!("cost of ownership over {years} years (capex, support, energy)"),
            format!("{tco} {c}"),
        ]);
    }
    for (site, m) in &bom.totals.by_site {
        t.row(vec![format!("site {site}"), format!("{m} {c}")]);
    }
    for (cat, m) in &bom.totals.by_category {
        t.row(vec![format!("category {cat}"), format!("{m} {c}")]);
    }
    t
}

/// One row per BOM line; `~` marks an estimated list price.
fn lines_table(bom: &Bom) -> Table {
    let mut t = Table::new(&[
        "site",
        "category",
        "part number",
        "model",
        "qty>",
        "unit list>",
        "disc. %>",
        "vol. %>",
        "unit net>",
        "extended net>",
    ]);
    for l in &bom.lines {
        t.row(vec![
            l.site.clone(),
            l.category.as_str().into(),
            l.part_number.clone(),
            l.model.clone(),
            l.quantity.to_string(),
            format!("{}{}", l.unit_list_price, if l.price_estimate { " ~" } else { "" }),
            l.category_discount_pct.normalize().to_string(),
            l.volume_discount_pct.normalize().to_string(),
            l.unit_net_price.to_string(),
            l.extended_net_price.to_string(),
        ]);
    }
    t
}

/// The bill of materials as Markdown (a wiki page or a pull-request comment).
pub fn to_markdown(bom: &Bom) -> String {
    format!(
        "# Bill of materials: {}\n\nCatalog: {}. Prices in {}; `~` marks an estimated list price.\n\n{}\n## Totals\n\n{}",
        md_text(&bom.scenario),
        md_text(&bom.catalog),
        md_text(&bom.currency),
        lines_table(bom).to_markdown(),
        totals_table(bom).to_markdown()
    )
}

/// Every line and the totals, for a terminal.
pub fn to_table(bom: &Bom) -> String {
    format!(
        "Bill of materials for `{}` with `{}` (prices in {}; ~ marks an estimated list price)\n\n{}\n{}",
        bom.scenario,
        bom.catalog,
        bom.currency,
        lines_table(bom).to_text(),
        totals_table(bom).to_text()
    )
}

/// A short terminal summary.
pub fn to_text(bom: &Bom) -> String {
    format!(
        "Bill of materials for `{}` with `{}`: {} lines\n{}",
        bom.scenario,
        bom.catalog,
        bom.lines.len(),
        totals_table(bom).to_text()
    )
}

/// A text as a criterion of SUMIF that matches that text and nothing else:
/// `=` first, so that a name such as `>5` or `<>a` is not read as a
/// comparison; quotes doubled; `*`, `?` and `~` escaped with `~` so that
/// they match themselves.
fn criterion(text: &str) -> String {
    let mut out = String::from("=");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\"\""),
            '*' | '?' | '~' => {
                out.push('~');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// The bill of materials as an Excel workbook: a `Lines` sheet (header
/// frozen, numbers as numbers, prices in a currency format) and a `Totals`
/// sheet whose figures are formulas over the lines, so the workbook checks
/// itself.
pub fn to_xlsx(bom: &Bom) -> Result<Vec<u8>, String> {
    use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Formula, Workbook};
    let mut wb = Workbook::new();
    // A fixed creation date: the same inputs give the same bytes.
    let epoch = ExcelDateTime::from_ymd(2000, 1, 1).map_err(|e| e.to_string())?;
    wb.set_properties(
        &DocProperties::new()
            .set_creation_datetime(&epoch)
            .set_title(format!("Bill of materials: {}", bom.scenario)),
    );
    let money = Format::new().set_num_format(format!("#,##0.00 \"{}\"", bom.currency));
    let header = Format::new().set_bold();
    let number = |s: &str| -> f64 { s.parse().unwrap_or(0.0) };
    let lines = wb.add_worksheet();
    lines.set_name("Lines").map_err(|e| e.to_string())?;
    for (c, name) in COLUMNS.iter().enumerate() {
        lines.write_string_with_format(0, c as u16, *name, &header).map_err(|e| e.to_string())?;
    }
    let money_cols = [7usize, 10, 11, 12];
    let numeric_cols = [5usize, 6, 8, 9, 13, 14, 15, 16, 17];
    for (r, l) in bom.lines.iter().enumerate() {
        let r = (r + 1) as u32;
        for (c, v) in row(l).iter().enumerate() {
            let c16 = c as u16;
            let res = if money_cols.contains(&c) {
                lines.write_number_with_format(r, c16, number(v), &money)
            } else if numeric_cols.contains(&c) {
                lines.write_number(r, c16, number(v))
            } else if c == 18 {
                lines.write_boolean(r, c16, l.price_estimate)
            } else {
                lines.write_string(r, c16, v)
            };
            res.map_err(|e| e.to_string())?;
        }
    }
    lines.set_freeze_panes(1, 0).map_err(|e| e.to_string())?;
    lines.autofilter(0, 0, bom.lines.len() as u32, (COLUMNS.len() - 1) as u16).map_err(|e| e.to_string())?;
    for (c, w) in [(0u16, 18.0), (2, 24.0), (3, 26.0), (4, 40.0), (19, 60.0)] {
        lines.set_column_width(c, w).map_err(|e| e.to_string())?;
    }
    let n = bom.lines.len() + 1;
    let totals = wb.add_worksheet();
    totals.set_name("Totals").map_err(|e| e.to_string())?;
    totals.write_string_with_format(0, 0, "total", &header).map_err(|e| e.to_string())?;
    totals.write_string_with_format(0, 1, "amount", &header).map_err(|e| e.to_string())?;
    let mut r = 1u32;
    let mut put = |label: &str, value: f64, formula: String| -> Result<(), String> {
        totals.write_string(r, 0, label).map_err(|e| e.to_string())?;
        totals
            .write_formula_with_format(r, 1, Formula::new(formula).set_result(format!("{value:.2}")), &money)
            .map_err(|e| e.to_string())?;
        r += 1;
        Ok(())
    };
    put(
        "hardware, net (capex)",
        number(&bom.totals.hardware_net.to_string()),
        format!("=SUMIF(Lines!B2:B{n},\"<>support\",Lines!M2:M{n})"),
    )?;
    put(
        "support",
        number(&bom.totals.support.to_string()),
        format!("=SUMIF(Lines!B2:B{n},\"support\",Lines!M2:M{n})"),
    )?;
    put("net total", number(&bom.totals.net.to_string()), format!("=SUM(Lines!M2:M{n})"))?;
    for (site, m) in &bom.totals.by_site {
        put(
            &format!("site {site}"),
            number(&m.to_string()),
            format!("=SUMIF(Lines!A2:A{n},\"{}\",Lines!M2:M{n})", criterion(site)),
        )?;
    }
    for (cat, m) in &bom.totals.by_category {
        put(
            &format!("category {cat}"),
            number(&m.to_string()),
            format!("=SUMIF(Lines!B2:B{n},\"{}\",Lines!M2:M{n})", criterion(cat)),
        )?;
    }
    totals.set_column_width(0, 40.0).map_err(|e| e.to_string())?;
    totals.set_column_width(1, 22.0).map_err(|e| e.to_string())?;
    wb.save_to_buffer().map_err(|e| e.to_string())
}
