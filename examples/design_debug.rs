fn main() {
    let args: Vec<String> = std::env::args().collect();
    let cat_src = match args.get(2) {
        Some(p) => dcplan::load::read_source(std::path::Path::new(p)).unwrap(),
        None => dcplan::load::Source::embedded_catalog(),
    };
    let cat = dcplan::load::load_catalog(&cat_src).unwrap().value;
    let src = dcplan::load::read_source(std::path::Path::new(&args[1])).unwrap();
    let sc = dcplan::load::load_scenario(&src, &cat).unwrap().value;
    for site in &sc.sites {
        let t = std::time::Instant::now();
        match dcplan::design::fabric::design_site(&cat, &sc, site) {
            Ok(mut d) => {
                let n = d.alternatives.len();
                d.alternatives.truncate(5);
                println!("{}", serde_json::to_string_pretty(&d).unwrap());
                eprintln!("{} alternatives, {:?}", n, t.elapsed());
            }
            Err(e) => println!("ERR {e}"),
        }
    }
}
