//! Golden files: the reports of the shipped scenarios on the shipped
//! catalogs. A change in a figure shows up as a reviewed diff
//! (`cargo insta review`, or `INSTA_UPDATE=always cargo test` then `git diff`).

use crate::support::*;

fn plan(scenario: &str, format: &str, catalog: Option<&str>) -> String {
    let path = format!("scenarios/{scenario}.yaml");
    let mut args = vec!["plan", path.as_str(), "--format", format];
    if let Some(c) = catalog {
        args.extend(["--catalog", c]);
    }
    let out = dcplan(&args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    stdout(&out)
}

macro_rules! golden {
    ($name:ident, $scenario:literal) => {
        #[test]
        fn $name() {
            insta::assert_snapshot!(concat!(stringify!($name), "_table"), plan($scenario, "table", None));
            insta::assert_snapshot!(concat!(stringify!($name), "_json"), plan($scenario, "json", None));
        }
    };
}

golden!(plan_example, "example");
golden!(plan_beijing_metro, "beijing-metro");
golden!(plan_hyperscale, "hyperscale");

#[test]
fn plan_example_markdown_and_merchant_catalog() {
    insta::assert_snapshot!("plan_example_markdown", plan("example", "markdown", None));
    insta::assert_snapshot!(
        "plan_example_merchant_table",
        plan("example", "table", Some("catalogs/merchant-whitebox.yaml"))
    );
}

#[test]
fn compare_hyperscale() {
    let out = dcplan(&["compare", "scenarios/hyperscale.yaml"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    insta::assert_snapshot!("compare_hyperscale_table", stdout(&out));
    let out = dcplan(&[
        "compare",
        "scenarios/beijing-metro.yaml",
        "--catalog",
        "catalogs/merchant-whitebox.yaml",
        "--format",
        "markdown",
    ]);
    insta::assert_snapshot!("compare_metro_merchant_markdown", stdout(&out));
}

#[test]
fn link_calculator_golden() {
    let out =
        dcplan(&["link", "--route", "tests/data/route-horinger-south.yaml", "--optic", "qsfpdd-openzr-plus"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    insta::assert_snapshot!("link_horinger_south_zrplus", stdout(&out));
}

#[test]
fn bom_golden() {
    for scenario in ["example", "beijing-metro"] {
        let path = format!("scenarios/{scenario}.yaml");
        let out = dcplan(&["bom", &path, "--out", "-"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        insta::assert_snapshot!(format!("bom_{scenario}_csv"), stdout(&out));
        let dir = std::env::temp_dir().join(format!("dcplan-golden-{}-{scenario}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("bom.json");
        let run = dcplan(&["bom", &path, "--out", file.to_str().unwrap()]);
        assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
        insta::assert_snapshot!(format!("bom_{scenario}_json"), std::fs::read_to_string(&file).unwrap());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
