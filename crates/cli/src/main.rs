//! `go-setup-doctor check snapshot.json [--format text|json] [--repeat N]`: replay a saved
//! Snapshot through the engine natively, exactly as the extension would (same engine, same
//! Report). `--repeat N` also times N parse+check rounds and prints the statistics on stderr
//! (used by `npm run bench`).

use std::process::ExitCode;
use std::time::{Duration, Instant};

const USAGE: &str =
    "usage: go-setup-doctor check <snapshot.json> [--format text|json] [--repeat N]";

/// Median, p90 and min of parse+check and of check alone over `n` rounds, on one stderr line.
fn time_rounds(text: &str, n: u32) -> Result<String, String> {
    let mut total: Vec<Duration> = Vec::with_capacity(n as usize);
    let mut check_only: Vec<Duration> = Vec::with_capacity(n as usize);
    for _ in 0..n {
        let t0 = Instant::now();
        let snapshot = gsd_engine::parse_snapshot(text)?;
        let t1 = Instant::now();
        let report = gsd_engine::check(&snapshot);
        let t2 = Instant::now();
        std::hint::black_box(&report);
        total.push(t2 - t0);
        check_only.push(t2 - t1);
    }
    let stats = |v: &mut Vec<Duration>| {
        v.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let at = |q: f64| ms(v[((v.len() - 1) as f64 * q).round() as usize]);
        format!(
            "median {:.4} ms, p90 {:.4} ms, min {:.4} ms",
            at(0.5),
            at(0.9),
            ms(v[0])
        )
    };
    Ok(format!(
        "repeat {n}: parse+check {}; check {}",
        stats(&mut total),
        stats(&mut check_only)
    ))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut format = "text";
    let mut file = None;
    let mut repeat: u32 = 1;
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
            "--repeat" => {
                i += 1;
                match args.get(i).and_then(|v| v.parse::<u32>().ok()) {
                    Some(n) if n > 0 => repeat = n,
                    _ => {
                        eprintln!("--repeat needs a positive number\n{USAGE}");
                        return ExitCode::from(2);
                    }
                }
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            other => file = Some(other.to_string()),
        }
        i += 1;
    }
    let Some(file) = file else {
        eprintln!("{USAGE}");
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
    if repeat > 1 {
        match time_rounds(&text, repeat) {
            Ok(line) => eprintln!("{line}"),
            Err(e) => {
                eprintln!("{file}: {e}");
                return ExitCode::from(2);
            }
        }
    }
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
