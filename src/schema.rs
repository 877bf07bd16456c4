//! JSON Schemas of the two input formats, generated from the same structs
//! that parse them, so the schema can never drift from the parser.

use crate::load::raw::{CatalogFile, RouteFile, ScenarioFile};

/// JSON Schema (draft 2020-12) of catalog files.
pub fn catalog() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(CatalogFile)).unwrap_or_default()
}

/// JSON Schema (draft 2020-12) of scenario files.
pub fn scenario() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(ScenarioFile)).unwrap_or_default()
}

/// JSON Schema (draft 2020-12) of route files.
pub fn route() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(RouteFile)).unwrap_or_default()
}

/// A schema as the bytes `dcplan schema` prints and `schema/*.json` holds.
pub fn to_text(schema: &serde_json::Value) -> String {
    let mut text = serde_json::to_string_pretty(schema).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemas_forbid_unknown_fields_and_name_the_kind() {
        let s = catalog();
        assert_eq!(s["additionalProperties"], serde_json::json!(false));
        assert!(s["properties"]["switches"].is_object());
        assert!(s["required"].as_array().unwrap().contains(&serde_json::json!("deal")));
        let s = scenario();
        assert!(s["properties"]["sites"].is_object());
    }
}
