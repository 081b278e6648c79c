//! `go-setup-doctor check snapshot.json [--format text|json]`: replay a saved Snapshot through
//! the engine natively, exactly as the extension would (same engine, same Report).

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut format = "text";
    let mut file = None;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "check" => {}
            "--format" => {
                i += 1;
                format = if args.get(i).map(String::as_str) == Some("json") {
                    "json"
                } else {
                    "text"
                };
            }
            "--json" => format = "json",
            "-h" | "--help" => {
                println!("usage: go-setup-doctor check <snapshot.json> [--format text|json]");
                return ExitCode::SUCCESS;
            }
            other => file = Some(other.to_string()),
        }
        i += 1;
    }
    let Some(file) = file else {
        eprintln!("usage: go-setup-doctor check <snapshot.json> [--format text|json]");
        return ExitCode::from(2);
    };
    let text = match std::fs::read_to_string(&file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("cannot read {file}: {e}");
            return ExitCode::from(2);
        }
    };
    let snapshot = match gsd_engine::parse_snapshot(&text) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{file}: {e}");
            return ExitCode::from(2);
        }
    };
    let report = gsd_engine::check(&snapshot);
    if format == "json" {
        match serde_json::to_string_pretty(&report) {
            Ok(s) => println!("{s}"),
            Err(e) => {
                eprintln!("cannot serialize report: {e}");
                return ExitCode::from(2);
            }
        }
    } else {
        for f in &report.findings {
            println!("{} [{}] {}", f.code, f.severity.label(), f.title);
            for line in f.message.lines() {
                println!("    {line}");
            }
        }
        let s = report.summary;
        println!(
            "{} errors, {} warnings, {} infos; {} checks passed, {} skipped",
            s.errors, s.warnings, s.infos, s.passed, s.skipped
        );
    }
    if report.summary.errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
