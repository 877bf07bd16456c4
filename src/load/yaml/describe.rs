//! serde's and libyaml's messages turned into diagnostics a user can act on:
//! a code, what was found, what was expected, a hint.

use super::join_path;
use crate::diag::{closest, Code, Diagnostic};

pub(super) fn syntax_code(message: &str) -> Option<Code> {
    if message.contains("recursion limit exceeded")
        || message.contains("repetition limit exceeded")
        || message.contains(super::guard::SIZE_MESSAGE)
    {
        Some(Code::YamlLimit)
    } else if message.contains("more than one document") {
        Some(Code::MultipleDocuments)
    } else if message.contains("while scanning")
        || message.contains("while parsing")
        || message.contains("did not find expected")
        || message.contains("found character that cannot start")
        || message.contains("mapping values are not allowed")
        || message.contains("found unexpected end of stream")
        || message.contains("unknown anchor")
        || message.contains("control characters are not allowed")
        || message.contains("invalid leading UTF-8")
        || message.contains("invalid trailing UTF-8")
    {
        Some(Code::YamlSyntax)
    } else {
        None
    }
}

/// Turns one serde message into a diagnostic with code, found, expected and hint.
pub fn describe_serde_error(path: &str, message: &str) -> Diagnostic {
    if let Some(rest) = message.split(crate::money::FLOAT_PRICE).nth(1) {
        return float_price(path, rest.trim().trim_matches('`'));
    }
    if let Some(rest) = message.strip_prefix("unknown field `") {
        return unknown_field(path, rest);
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let (field, _) = split_backticked(rest);
        return Diagnostic::error(Code::MissingField, path, format!("missing field `{field}`"))
            .expected(format!("a `{field}` field here"))
            .hint(format!("add `{field}:` to this entry"));
    }
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        let (found, expected) = split_backticked(rest);
        let options = backticked_list(expected);
        let mut diag = Diagnostic::error(Code::InvalidValue, path, format!("`{found}` is not allowed here"))
            .found(&found)
            .expected(format!("one of {}", quote_list(&options)));
        if let Some(best) = closest(&found, options.iter().map(String::as_str)) {
            diag = diag.hint(format!("did you mean `{best}`?"));
        }
        return diag;
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        return invalid_type(path, rest);
    }
    if message.contains("u128") || message.contains("i128") {
        return Diagnostic::error(Code::OutOfRange, path, "a number too large to read")
            .expected("a number of at most 20 digits")
            .hint("check for a missing decimal point or extra digits");
    }
    if let Some(rest) = message.strip_prefix("invalid value: ") {
        return invalid_value(path, rest);
    }
    if let Some(rest) = message.strip_prefix("invalid length ") {
        return Diagnostic::error(Code::InvalidValue, path, format!("wrong number of entries: {rest}"));
    }
    other(path, message)
}

fn float_price(path: &str, number: &str) -> Diagnostic {
    Diagnostic::error(Code::InvalidType, path, "a price written as a floating-point number")
        .found(number)
        .expected("a decimal amount as text, such as \"1234.50\", or a whole number")
        .hint(format!(
            "quote it (`\"{number}\"`): a floating-point number holds most amounts only approximately"
        ))
}

fn unknown_field(path: &str, rest: &str) -> Diagnostic {
    let (field, expected) = split_backticked(rest);
    let options = backticked_list(expected);
    // serde_path_to_error already ends the path with the unknown key.
    let field_path = if path == field || path.ends_with(&format!(".{field}")) {
        path.to_string()
    } else {
        join_path(path, &field)
    };
    let mut diag = Diagnostic::error(Code::UnknownField, field_path, format!("unknown field `{field}`"))
        .at_key()
        .found(&field)
        .expected(if options.is_empty() {
            "no fields here".to_string()
        } else {
            format!("one of {}", quote_list(&options))
        });
    if let Some(unit_hint) = unit_field_hint(&field, &options) {
        diag.code = Code::WrongUnit;
        diag = diag.hint(unit_hint);
    } else if let Some(best) = closest(&field, options.iter().map(String::as_str)) {
        diag = diag.hint(format!("did you mean `{best}`?"));
    }
    diag
}

fn invalid_type(path: &str, rest: &str) -> Diagnostic {
    let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, "another type"));
    let expected = humane_type(expected);
    let mut diag = Diagnostic::error(Code::InvalidType, path, format!("expected {expected}, found {found}"))
        .found(found)
        .expected(expected.to_string());
    if let Some(number) = number_with_unit(found) {
        diag.code = Code::WrongUnit;
        diag = diag.hint(format!(
            "write the number alone (`{number}`): the unit is in the field name{}",
            path.rsplit('.').next().map(|f| format!(" `{f}`")).unwrap_or_default()
        ));
    }
    diag
}

fn invalid_value(path: &str, rest: &str) -> Diagnostic {
    let (found, raw_expected) = rest.split_once(", expected ").unwrap_or((rest, "another value"));
    let expected = humane_type(raw_expected);
    let limit = match raw_expected {
        "u8" => Some(u64::from(u8::MAX)),
        "u16" => Some(u64::from(u16::MAX)),
        "u32" => Some(u64::from(u32::MAX)),
        _ => None,
    };
    let integer = found.trim_start_matches("integer ").trim_matches('`');
    if let (Some(limit), true) = (limit, found.starts_with("integer `") && !found.starts_with("integer `-")) {
        return Diagnostic::error(Code::OutOfRange, path, format!("{integer} is too large for this field"))
            .found(integer)
            .expected(format!("at most {limit}"));
    }
    if found.starts_with("integer `-") {
        return Diagnostic::error(
            Code::NotPositive,
            path,
            "a negative number where a count or a rate is expected",
        )
        .found(integer)
        .expected(expected);
    }
    Diagnostic::error(Code::InvalidValue, path, format!("expected {expected}, found {found}"))
        .found(found)
        .expected(expected.to_string())
}

/// A message with no field to name: syntax, limits, documents.
fn other(path: &str, message: &str) -> Diagnostic {
    let code = syntax_code(message).unwrap_or(Code::InvalidValue);
    let mut diag = Diagnostic::error(code, path, message.to_string());
    if code == Code::YamlSyntax && message.contains("flow") {
        diag = diag.hint("a `[` or `{` is not closed, or a comma is missing between items");
    } else if code == Code::YamlSyntax {
        diag = diag.hint("check the indentation and that every `key:` is followed by a space");
    }
    match code {
        Code::YamlLimit => {
            diag = diag.hint(
                "dcplan refuses deeply nested YAML and runaway alias expansion; write the data out plainly",
            )
        }
        Code::MultipleDocuments => {
            diag = diag.hint("put each catalog or scenario in its own file (remove the extra `---`)")
        }
        _ => {}
    }
    diag
}

/// serde names Rust types ("u64", "struct Site"); users read YAML.
fn humane_type(expected: &str) -> String {
    match expected {
        "u8" | "u16" | "u32" | "u64" | "usize" => "a whole number, 0 or more".to_string(),
        "i8" | "i16" | "i32" | "i64" | "isize" => "a whole number".to_string(),
        "f32" | "f64" => "a number".to_string(),
        "a sequence" => "a list".to_string(),
        "a map" => "a mapping of fields".to_string(),
        "a boolean" => "`true` or `false`".to_string(),
        // serde_yaml's name for a value of a fixed set (`form_factor`).
        "a Value::Tagged enum" => "one of the values this field allows".to_string(),
        other => match other.strip_prefix("struct ") {
            Some(name) => format!("a mapping of fields ({name})"),
            None => other.to_string(),
        },
    }
}

fn split_backticked(rest: &str) -> (String, &str) {
    match rest.split_once('`') {
        Some((word, tail)) => (word.to_string(), tail),
        None => (rest.to_string(), ""),
    }
}

fn backticked_list(text: &str) -> Vec<String> {
    text.split('`').enumerate().filter(|(i, _)| i % 2 == 1).map(|(_, s)| s.to_string()).collect()
}

fn quote_list(items: &[String]) -> String {
    items.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
}

/// Field-name suffixes that carry a unit, and what the unit is.
const UNIT_SUFFIXES: &[(&str, &str)] = &[
    ("_gbps", "Gb/s"),
    ("_mbps", "Mb/s"),
    ("_tbps", "Tb/s"),
    ("_w", "watts"),
    ("_kw", "kilowatts"),
    ("_km", "kilometres"),
    ("_m", "metres"),
    ("_db", "dB"),
    ("_dbm", "dBm"),
    ("_ghz", "GHz"),
    ("_gbd", "GBd"),
    ("_pct", "percent"),
];

fn unit_of(field: &str) -> Option<(&str, &'static str)> {
    UNIT_SUFFIXES
        .iter()
        .filter(|(suffix, _)| field.ends_with(suffix))
        .max_by_key(|(suffix, _)| suffix.len())
        .map(|(suffix, unit)| (&field[..field.len() - suffix.len()], *unit))
}

/// `length_m` where the format has `length_km`: say so plainly.
fn unit_field_hint(field: &str, options: &[String]) -> Option<String> {
    let (stem, unit) = unit_of(field)?;
    let stem_of = |o: &str| unit_of(o).map(|(s, u)| (s.to_string(), u));
    let (right, right_unit) = options.iter().find_map(|o| match stem_of(o) {
        Some((s, u)) if s == stem && u != unit => Some((o.clone(), u)),
        _ => None,
    })?;
    Some(format!(
        "this field is `{right}`, in {right_unit}, not {unit}: convert the value and rename the field"
    ))
}

/// `string "80 km"` → `80` when the text is a number followed by a unit.
fn number_with_unit(found: &str) -> Option<String> {
    let text = found.strip_prefix("string ")?.trim_matches('"');
    let number: String = text.chars().take_while(|c| c.is_ascii_digit() || *c == '.' || *c == '-').collect();
    let unit = text[number.len()..].trim();
    if number.is_empty() || unit.is_empty() || number.parse::<f64>().is_err() {
        return None;
    }
    unit.chars().all(|c| c.is_alphabetic() || c == '/' || c == '%').then_some(number)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Code;

    #[test]
    fn unknown_field_with_other_unit_is_called_a_unit_mistake() {
        let d = describe_serde_error(
            "fibre_routes[0]",
            "unknown field `length_m`, expected one of `id`, `length_km`, `fibre`",
        );
        assert_eq!(d.code, Code::WrongUnit);
        assert_eq!(d.path.as_deref(), Some("fibre_routes[0].length_m"));
        assert!(d.hint.unwrap().contains("`length_km`, in kilometres"));
    }

    #[test]
    fn unknown_field_gets_did_you_mean() {
        let d = describe_serde_error("", "unknown field `servrs`, expected one of `name`, `servers`");
        assert_eq!(d.code, Code::UnknownField);
        assert_eq!(d.hint.as_deref(), Some("did you mean `servers`?"));
    }

    #[test]
    fn number_with_unit_is_a_unit_mistake() {
        let d = describe_serde_error("length_km", "invalid type: string \"80 km\", expected f64");
        assert_eq!(d.code, Code::WrongUnit);
        assert!(d.hint.unwrap().contains("`80`"));
    }
}
