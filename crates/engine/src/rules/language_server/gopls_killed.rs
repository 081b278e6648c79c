use crate::context::Context;
use crate::declare_rule;
use crate::goversion::parse_module_version;
use crate::knowledge::gopls;
use crate::protocol::{Action, Applicability, FileText, Finding, Fix, LogTail};
use crate::rules::common::install_gopls;
use crate::rules::host::format_kib;
use crate::rules::language_server::gopls_heavy::directory_filters_fix;
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// Whether gopls died instead of serving, from three observations:
    /// - the kernel's OOM-killer log (`dmesg`): `Memory cgroup out of memory: Killed process
    ///   13624 (gopls) …` (or `Out of memory: Killed process …` when the whole machine ran out),
    ///   counted only when the `oom-kill:` line before it names the extension host's own memory
    ///   cgroup (`task_memcg=`, from `/proc/self/cgroup`), and only while that cgroup's limit is
    ///   not higher than the `memory: usage …kB, limit …kB` the kernel printed for the kill
    ///   (the gatherer runs `dmesg` only when that cgroup's `oom_kill` counter is above 0 or
    ///   cannot be read: the counter counts kills by any OOM killer, so a zero means there is
    ///   nothing to find);
    /// - the extension host's cgroup: `memory.max` and `oom_kill` of `memory.events` (cgroup v2),
    ///   or `memory.limit_in_bytes` and `oom_kill` of `memory.oom_control` (v1);
    /// - the end of the "gopls (server)" output channel that VS Code writes to disk next to this
    ///   extension's log dir (`…/window1/exthost/output_logging_*/N-gopls (server).log`; in
    ///   code-server `…/exthost1/output_logging_*/…`): the language client's `Server
    ///   process exited with signal SIGKILL.` / `Server process exited with code 2.` and
    ///   `Connection to server got closed. Server will restart.` / `… will not be restarted.`
    ///   (vscode-languageclient; golang/vscode-go#848, #2237), `The gopls server crashed 5 times in
    ///   the last 3 minutes. The server will not be restarted.` (vscode-languageclient's default
    ///   error handler, used by gopls clients other than vscode-go, whose own handler pops up
    ///   "The connection to gopls has been closed" instead), the Go runtime's
    ///   `fatal error: runtime: out of memory` (golang/go#42889)
    ///   and a Go panic (`panic: …` followed by `goroutine N [running]:`). `err: signal: killed`
    ///   from gopls's own `go list` (golang/vscode-go#2475) is shown as evidence.
    ///
    /// ## Why it matters
    /// A killed gopls takes completion, navigation and diagnostics with it. vscode-go restarts it
    /// up to four times and then gives up (`crashCount < 5` in `goLanguageServer.ts`; popup "The
    /// connection to gopls has been closed. The gopls server may have crashed."), and the
    /// maintainers' first question is "Is it possible that the gopls server got killed (e.g.
    /// OOM, ...)?" (golang/vscode-go#2237). A SIGKILL leaves no stack trace in the log: the
    /// kernel log and the cgroup are the only places that say why.
    ///
    /// ## Example
    /// VS Code runs in a cgroup limited to 48 MiB; loading the workspace makes gopls reach the
    /// limit and the kernel logs
    /// `Memory cgroup out of memory: Killed process 13624 (gopls) total-vm:1693228kB, …`, with
    /// `oom_kill 3` in `memory.oom_control`.
    ///
    /// ## Fix
    /// - Out of memory: keep directories you don't work on out of gopls's workspace with
    ///   `"gopls": {"build.directoryFilters": ["-**/node_modules", "-<dir>"]}` (a settings edit), and
    ///   raise the cgroup's limit: `systemctl [--user] set-property <unit> MemoryMax=<2× the limit>`
    ///   for a systemd unit, else `echo <2× the limit> | sudo tee <the limit file>` (until reboot).
    ///   The finding stays until the limit is above the one the kernel printed for the kill.
    /// - A panic in a gopls older than the one the local Go can build:
    ///   `go install golang.org/x/tools/gopls@<version>`.
    /// - If no gopls runs for this window any more: "Go: Restart Language Server".
    pub GOPLS_KILLED {
        code: "GSD804",
        name: "gopls-killed",
        category: LanguageServer,
        severity: Error,
        summary: "gopls was not killed or crashing",
        fix: Sometimes,
        since: "0.1.0",
    }
}

/// cgroup v1 reports "no limit" as a huge number (PAGE_COUNTER_MAX pages); anything this large is
/// no limit in practice.
const UNLIMITED_BYTES: u64 = 1 << 62;
/// CAP_SYS_ADMIN: a process with it (root) writes cgroup files without sudo.
const CAP_SYS_ADMIN: u32 = 21;
/// Log lines quoted as evidence, per file.
const MAX_LOG_LINES: usize = 6;

/// One OOM kill from the kernel log.
#[derive(Debug, Default)]
struct KernelKill {
    pid: u32,
    task: String,
    line: String,
    stamp: Option<f64>,
    memcg: Option<String>,
    constraint: Option<String>,
    /// The memory cgroup's limit at the time, in KiB (`memory: usage …kB, limit …kB`).
    limit_kib: Option<u64>,
}

fn kernel_stamp(line: &str) -> Option<f64> {
    let rest = line.trim_start().strip_prefix('[')?;
    rest.split(']').next()?.trim().parse().ok()
}

fn kib_field(text: &str, key: &str) -> Option<u64> {
    let at = text.find(key)? + key.len();
    let digits: String = text
        .get(at..)?
        .chars()
        .skip_while(|c| *c == ' ')
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// Every OOM kill in the kernel log, with the `oom-kill:` summary and the memcg limit line that
/// the kernel printed before it.
fn kernel_kills(text: &str) -> Vec<KernelKill> {
    let mut out = Vec::new();
    let mut summary: Option<(u32, Option<String>, Option<String>)> = None;
    let mut limit: Option<u64> = None;
    for line in text.lines() {
        if let Some(at) = line.find("memory: usage ") {
            limit = line.get(at..).and_then(|t| kib_field(t, "limit "));
        }
        if let Some(at) = line.find("oom-kill:") {
            let mut pid = None;
            let (mut memcg, mut constraint) = (None, None);
            for kv in line.get(at + "oom-kill:".len()..).unwrap_or("").split(',') {
                match kv.trim().split_once('=') {
                    Some(("pid", v)) => pid = v.parse().ok(),
                    Some(("task_memcg", v)) => memcg = Some(v.to_string()),
                    Some(("constraint", v)) => constraint = Some(v.to_string()),
                    _ => {}
                }
            }
            summary = pid.map(|p| (p, memcg, constraint));
            continue;
        }
        let Some(at) = line.find("Killed process ") else {
            continue;
        };
        let rest = line.get(at + "Killed process ".len()..).unwrap_or("");
        let Some((pid, after)) = rest.split_once(' ') else {
            continue;
        };
        let Ok(pid) = pid.parse::<u32>() else {
            continue;
        };
        let task = after
            .strip_prefix('(')
            .and_then(|t| t.split_once(')'))
            .map(|(name, _)| name.to_string())
            .unwrap_or_default();
        let mut kill = KernelKill {
            pid,
            task,
            line: line.trim().to_string(),
            stamp: kernel_stamp(line),
            limit_kib: limit.take(),
            ..Default::default()
        };
        if let Some((p, memcg, constraint)) = summary.take() {
            if p == pid {
                kill.memcg = memcg;
                kill.constraint = constraint;
            }
        }
        out.push(kill);
    }
    out
}

/// The memory cgroup path of the gathering process: the v1 `memory` hierarchy's line if there is
/// one (hybrid systems), else the v2 `0::` line.
fn own_memcg(cgroup: &str) -> Option<String> {
    let mut v2 = None;
    for line in cgroup.lines() {
        let mut parts = line.splitn(3, ':');
        let (Some(id), Some(controllers), Some(path)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        if controllers.split(',').any(|c| c == "memory") {
            return Some(path.trim().to_string());
        }
        if id == "0" && controllers.is_empty() {
            v2 = Some(path.trim().to_string());
        }
    }
    v2
}

/// What the cgroup's memory files say.
#[derive(Debug, Default)]
struct CgroupMemory<'a> {
    /// (file, bytes); None inside = no limit.
    limit: Option<(&'a FileText, Option<u64>)>,
    oom_kill: Option<(&'a FileText, u64)>,
    peak: Option<u64>,
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

fn cgroup_memory(files: &[FileText]) -> CgroupMemory<'_> {
    let mut out = CgroupMemory::default();
    for f in files {
        let text = f.text.trim();
        match file_name(&f.path) {
            "memory.max" | "memory.limit_in_bytes" => {
                let bytes = if text == "max" {
                    Some(None)
                } else {
                    text.parse::<u64>()
                        .ok()
                        .map(|b| (b < UNLIMITED_BYTES).then_some(b))
                };
                if let Some(b) = bytes {
                    out.limit = Some((f, b));
                }
            }
            "memory.events" | "memory.oom_control" => {
                if let Some(n) = text
                    .lines()
                    .find_map(|l| l.strip_prefix("oom_kill "))
                    .and_then(|n| n.trim().parse().ok())
                {
                    out.oom_kill = Some((f, n));
                }
            }
            "memory.peak" | "memory.max_usage_in_bytes" => out.peak = text.parse().ok(),
            _ => {}
        }
    }
    out
}

/// What a gopls output log says about how gopls ended.
#[derive(Debug, Default)]
struct LogSigns<'a> {
    log: Option<&'a LogTail>,
    /// Quoted lines, in file order.
    lines: Vec<String>,
    signal: Option<String>,
    exit_code: Option<String>,
    out_of_memory: bool,
    panic: Option<String>,
    gave_up: bool,
    closed: usize,
    go_command_killed: bool,
}

impl LogSigns<'_> {
    fn crashed(&self) -> bool {
        self.signal.is_some()
            || self.exit_code.is_some()
            || self.out_of_memory
            || self.panic.is_some()
            || self.gave_up
            || self.closed > 0
    }
}

fn quote(lines: &mut Vec<String>, line: &str) {
    if lines.len() < MAX_LOG_LINES && !lines.iter().any(|l| l == line.trim()) {
        lines.push(line.trim().to_string());
    }
}

/// A line without the language client's `[Error - 9:01:02 AM] ` prefix.
fn strip_client_prefix(line: &str) -> &str {
    let t = line.trim_start();
    match t.strip_prefix('[').and_then(|r| r.split_once("] ")) {
        Some((_, rest)) => rest.trim_start(),
        None => t,
    }
}

fn log_signs(log: &LogTail) -> LogSigns<'_> {
    let mut s = LogSigns {
        log: Some(log),
        ..Default::default()
    };
    let lines: Vec<&str> = log.text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        if let Some(at) = line.find("Server process exited with signal ") {
            let sig = line
                .get(at + "Server process exited with signal ".len()..)
                .unwrap_or("")
                .trim_end_matches('.')
                .trim();
            s.signal = Some(sig.to_string());
            quote(&mut s.lines, line);
        } else if let Some(at) = line.find("Server process exited with code ") {
            let code = line
                .get(at + "Server process exited with code ".len()..)
                .unwrap_or("")
                .trim_end_matches('.')
                .trim();
            s.exit_code = Some(code.to_string());
            quote(&mut s.lines, line);
        } else if line.contains("crashed 5 times in the last 3 minutes")
            || line.contains("Connection to server got closed. Server will not be restarted.")
        {
            s.gave_up = true;
            quote(&mut s.lines, line);
        } else if line.contains("Connection to server got closed. Server will restart.") {
            s.closed += 1;
            quote(&mut s.lines, line);
        } else if line.contains("fatal error: runtime: out of memory")
            || line.contains("runtime: out of memory: cannot allocate")
        {
            s.out_of_memory = true;
            quote(&mut s.lines, line);
        } else if line.contains("err: signal: killed") {
            s.go_command_killed = true;
            quote(&mut s.lines, line);
        } else if let Some(msg) = strip_client_prefix(line).strip_prefix("panic: ") {
            // A Go panic prints `panic: <value>`, a blank line, then `goroutine N [state]:`.
            let trace = lines
                .iter()
                .skip(i + 1)
                .take(4)
                .any(|l| l.starts_with("goroutine ") && l.trim_end().ends_with("]:"));
            if trace && s.panic.is_none() {
                s.panic = Some(msg.trim().to_string());
                quote(&mut s.lines, line);
            }
        }
    }
    if s.closed > 0 {
        s.closed = lines
            .iter()
            .filter(|l| l.contains("Connection to server got closed. Server will restart."))
            .count();
    }
    s
}

fn has_cap(status: Option<&str>, cap: u32) -> bool {
    status
        .and_then(|t| t.lines().find_map(|l| l.strip_prefix("CapEff:")))
        .and_then(|h| u64::from_str_radix(h.trim(), 16).ok())
        .is_some_and(|bits| bits & (1 << cap) != 0)
}

/// `96M`, `2G`: the size for systemd and for cgroup files (both take K/M/G suffixes).
fn size_arg(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    let mib = bytes.div_ceil(MIB);
    if mib.is_multiple_of(1024) {
        format!("{}G", mib / 1024)
    } else {
        format!("{mib}M")
    }
}

/// The command that raises the memory limit of the cgroup at `memcg` to `new`.
fn raise_limit_command(
    memcg: &str,
    limit_file: &FileText,
    new: &str,
    privileged: bool,
) -> Option<String> {
    if memcg == "/" || memcg.is_empty() {
        return None; // a container's own limit is set by whoever started it
    }
    let unit = memcg.rsplit('/').next().unwrap_or(memcg);
    let v2 = file_name(&limit_file.path) == "memory.max";
    if v2
        && [".scope", ".service", ".slice"]
            .iter()
            .any(|s| unit.ends_with(s))
    {
        return Some(if memcg.contains("/user@") {
            format!("systemctl --user set-property {unit} MemoryMax={new}")
        } else {
            format!(
                "{}systemctl set-property {unit} MemoryMax={new}",
                if privileged { "" } else { "sudo " }
            )
        });
    }
    Some(format!(
        "echo {new} | {}tee {}",
        if privileged { "" } else { "sudo " },
        limit_file.path
    ))
}

fn ago(uptime: Option<&str>, stamp: Option<f64>) -> Option<String> {
    let now: f64 = uptime?.split_whitespace().next()?.parse().ok()?;
    let secs = now - stamp?;
    if secs < 0.0 {
        return None;
    }
    Some(if secs < 120.0 {
        format!("{secs:.0} s ago")
    } else if secs < 2.0 * 3600.0 {
        format!("{:.0} min ago", secs / 60.0)
    } else {
        format!("{:.0} h ago", secs / 3600.0)
    })
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    let s = cx.snapshot;
    let host = &s.host;
    let memcg = host.cgroup.as_deref().and_then(own_memcg);
    let mem = cgroup_memory(host.cgroup_memory.as_deref().unwrap_or(&[]));
    let current_limit_kib = mem.limit.map(|(_, b)| b.map(|b| b / 1024));

    // Kernel OOM kills of gopls in this cgroup, not yet answered by a higher limit.
    let kernel_text = host
        .kernel_log
        .as_ref()
        .filter(|r| r.succeeded())
        .map(|r| r.stdout.as_str())
        .unwrap_or("");
    let all_kills = kernel_kills(kernel_text);
    let ours = |k: &KernelKill| match (&memcg, &k.memcg) {
        (Some(own), Some(theirs)) => own == theirs,
        (None, _) => true,
        (Some(_), None) => false,
    };
    let still_limited = |k: &KernelKill| match (k.limit_kib, current_limit_kib) {
        (Some(then), Some(Some(now))) => now <= then,
        (Some(_), Some(None)) => false, // the limit was removed since
        _ => true,
    };
    let gopls_kills: Vec<&KernelKill> = all_kills
        .iter()
        .filter(|k| k.task == "gopls" && ours(k) && still_limited(k))
        .collect();
    let children_killed: Vec<&KernelKill> = all_kills
        .iter()
        .filter(|k| k.task != "gopls" && ours(k) && still_limited(k) && k.memcg.is_some())
        .collect();

    let logs: Vec<LogSigns<'_>> = s
        .language_server_logs
        .as_deref()
        .unwrap_or(&[])
        .iter()
        .map(log_signs)
        .filter(LogSigns::crashed)
        .collect();
    if gopls_kills.is_empty() && logs.is_empty() {
        return;
    }

    let signal = logs.iter().find_map(|l| l.signal.clone());
    let oom_kills = mem.oom_kill.map(|(_, n)| n).unwrap_or(0);
    let out_of_memory = !gopls_kills.is_empty()
        || logs.iter().any(|l| l.out_of_memory)
        || (signal.as_deref() == Some("SIGKILL") && oom_kills > 0);
    let panic = logs.iter().find_map(|l| l.panic.clone());
    let gave_up = logs.iter().any(|l| l.gave_up);
    // Whether a gopls of this window runs now: only inside VS Code (the headless command is not
    // gopls's parent).
    let running = match (&s.vscode, &s.processes, host.pid) {
        (Some(_), Some(ps), Some(pid)) => Some(ps.iter().any(|p| p.ancestors.contains(&pid))),
        _ => None,
    };

    let last_kill = gopls_kills.last();
    let limit_text = mem
        .limit
        .map(|(f, b)| match b {
            Some(b) => format!("{} ({})", format_kib(b / 1024), file_name(&f.path)),
            None => format!("no limit ({})", file_name(&f.path)),
        })
        .unwrap_or_else(|| "an unknown limit".into());
    let title = if let Some(k) = last_kill {
        format!(
            "gopls was killed by the kernel's OOM killer (pid {})",
            k.pid
        )
    } else if logs.iter().any(|l| l.out_of_memory) {
        "gopls ran out of memory".to_string()
    } else if let Some(p) = &panic {
        format!("gopls crashed: panic: {p}")
    } else if let Some(sig) = &signal {
        format!("gopls was killed by {sig}")
    } else if gave_up {
        "gopls crashed repeatedly and was not restarted".to_string()
    } else if let Some(code) = logs.iter().find_map(|l| l.exit_code.clone()) {
        format!("gopls exited with code {code}")
    } else {
        "gopls exited and was restarted".to_string()
    };
    let mut message = String::new();
    if let Some(k) = last_kill {
        let whole_machine = k.constraint.as_deref() == Some("CONSTRAINT_NONE");
        message.push_str(&format!(
            "The kernel killed gopls (pid {}{}) with SIGKILL because {}",
            k.pid,
            ago(host.uptime.as_deref(), k.stamp)
                .map(|a| format!(", {a}"))
                .unwrap_or_default(),
            if whole_machine {
                "the machine ran out of memory".to_string()
            } else {
                format!(
                    "VS Code's cgroup {} reached its memory limit{}",
                    memcg.as_deref().unwrap_or("?"),
                    k.limit_kib
                        .map(|l| format!(" of {}", format_kib(l)))
                        .unwrap_or_default()
                )
            }
        ));
        if gopls_kills.len() > 1 {
            message.push_str(&format!(" ({} times)", gopls_kills.len()));
        }
        message.push_str(". ");
    } else if let Some(sig) = &signal {
        message.push_str(&format!(
            "The gopls process exited with signal {sig}{}. ",
            if sig == "SIGKILL" && oom_kills > 0 {
                format!(
                    " and VS Code's cgroup counts {oom_kills} OOM kill{}",
                    if oom_kills == 1 { "" } else { "s" }
                )
            } else {
                String::new()
            }
        ));
    } else if logs.iter().any(|l| l.out_of_memory) {
        message.push_str("The Go runtime in gopls could not get more memory (fatal error: runtime: out of memory). ");
    } else if let Some(p) = &panic {
        message.push_str(&format!(
            "gopls stopped with a Go panic (panic: {p}); that is a gopls bug. "
        ));
    } else if let Some(code) = logs.iter().find_map(|l| l.exit_code.clone()) {
        message.push_str(&format!(
            "The gopls process exited with code {code} while serving; the lines before it in the gopls (server) output say why. "
        ));
    } else {
        message.push_str("The connection to gopls was closed: the gopls process ended. ");
    }
    if out_of_memory {
        message.push_str(&format!(
            "gopls holds type information for every package of the workspace in memory; the limit is {limit_text}. "
        ));
    }
    if gave_up {
        message.push_str(
            "After 5 crashes the Go extension stops restarting gopls: no completion, navigation or diagnostics until it is restarted.",
        );
    } else if running == Some(false) {
        message.push_str("No gopls runs for this window now.");
    } else if running == Some(true) {
        message.push_str("A gopls runs again now, and will be killed again under the same load.");
    }
    let f = out.report(title, message.trim_end().to_string());

    for k in &gopls_kills {
        f.evidence(match ago(host.uptime.as_deref(), k.stamp) {
            Some(a) => format!("kernel ({a}): {}", k.line),
            None => format!("kernel: {}", k.line),
        });
        if let Some(l) = k.limit_kib {
            f.evidence(format!(
                "kernel: memory cgroup {} at its limit of {l} kB when pid {} was killed",
                k.memcg.as_deref().unwrap_or("?"),
                k.pid
            ));
        }
    }
    for k in children_killed.iter().take(3) {
        f.evidence(format!(
            "kernel: also killed in the same cgroup: {} (pid {})",
            k.task, k.pid
        ));
    }
    if let Some(own) = &memcg {
        let mut parts = vec![format!("cgroup of the extension host: {own}")];
        if let Some((file, b)) = mem.limit {
            parts.push(format!(
                "{} = {}",
                file.path,
                b.map(|b| format!("{b} ({})", format_kib(b / 1024)))
                    .unwrap_or_else(|| file.text.trim().to_string())
            ));
        }
        if let Some((file, n)) = mem.oom_kill {
            parts.push(format!("{}: oom_kill {n}", file_name(&file.path)));
        }
        if let Some(p) = mem.peak {
            parts.push(format!("peak {}", format_kib(p / 1024)));
        }
        f.evidence(parts.join("; "));
    }
    for l in &logs {
        let Some(log) = l.log else { continue };
        for line in &l.lines {
            f.evidence(format!("{}: {line}", cx.tilde(&log.path)));
        }
        if l.closed > 1 {
            f.evidence(format!(
                "{}: the server was restarted {} times",
                cx.tilde(&log.path),
                l.closed
            ));
        }
    }
    match running {
        Some(false) => {
            f.evidence("no gopls process descends from this window's extension host");
        }
        Some(true) => {}
        None => {}
    }

    if out_of_memory {
        directory_filters_fix(cx, f);
        if let (Some(own), Some((file, Some(bytes)))) = (&memcg, mem.limit) {
            let new = size_arg(bytes.saturating_mul(2));
            let privileged = has_cap(host.proc_status.as_deref(), CAP_SYS_ADMIN);
            if let Some(cmd) = raise_limit_command(own, file, &new, privileged) {
                f.fix(Fix {
                    title: format!(
                        "Raise the memory limit of VS Code's cgroup from {} to {new}",
                        format_kib(bytes / 1024)
                    ),
                    applicability: Applicability::DisplayOnly,
                    actions: vec![Action::RunShell {
                        command: cmd,
                        cwd: None,
                    }],
                });
            }
        }
    }
    if panic.is_some() {
        update_gopls_fix(cx, f);
    }
    if gave_up || running == Some(false) {
        f.fix(Fix {
            title: "Restart the language server (Go: Restart Language Server)".into(),
            applicability: Applicability::Safe,
            actions: vec![Action::RunVsCodeCommand {
                command: "go.languageserver.restart".into(),
                args: vec![],
            }],
        });
    }
}

/// `go install golang.org/x/tools/gopls@<version>` when the installed gopls is older than the
/// newest one the local Go can build.
fn update_gopls_fix(cx: &Context<'_>, f: &mut Finding) {
    let (Some(version), Some(go), Some(_)) =
        (cx.gopls_version(), cx.go_version(), cx.go_candidate())
    else {
        return;
    };
    let target = gopls::install_version_for(go.minor());
    if parse_module_version(target).is_none_or(|t| t <= version) {
        return;
    }
    f.evidence(format!(
        "gopls v{version}; {} can build gopls {target}",
        go.display()
    ));
    if let Some(fix) = install_gopls(
        cx,
        target,
        format!("Update gopls from v{version} to {target}"),
    ) {
        f.fix(fix);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use serde_json::json;

    /// Recorded on this project's Linux machine (kernel 6.18, cgroup v1 memory controller): a
    /// real gopls v0.16.1 (`gopls check` with GOGC=off) in a memory cgroup limited to 48 MiB.
    const KERNEL: &str = "[10767.756458] memory: usage 49152kB, limit 49152kB, failcnt 11810352
[10767.756704] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/gsd-oomtry-6463,task_memcg=/gsd-oomtry-6463,task=go,pid=13677,uid=0
[10767.756737] Memory cgroup out of memory: Killed process 13677 (go) total-vm:1238656kB, anon-rss:27392kB, file-rss:10856kB, shmem-rss:0kB, UID:0 pgtables:204kB oom_score_adj:0
[10767.818642] memory: usage 49152kB, limit 49152kB, failcnt 11811198
[10767.818952] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/gsd-oomtry-6463,task_memcg=/gsd-oomtry-6463,task=gopls,pid=13624,uid=0
[10767.818986] Memory cgroup out of memory: Killed process 13624 (gopls) total-vm:1693228kB, anon-rss:5120kB, file-rss:14664kB, shmem-rss:0kB, UID:0 pgtables:192kB oom_score_adj:0
";
    const LIMIT_FILE: &str = "/sys/fs/cgroup/memory/gsd-oomtry-6463/memory.limit_in_bytes";

    fn killed(limit: &str) -> serde_json::Value {
        json!({"host": {
            "cgroup": "9:name=systemd:/\n4:memory:/gsd-oomtry-6463\n0::/\n",
            "cgroupMemory": [
                {"path": LIMIT_FILE, "text": format!("{limit}\n")},
                {"path": "/sys/fs/cgroup/memory/gsd-oomtry-6463/memory.oom_control",
                 "text": "oom_kill_disable 0\nunder_oom 0\noom_kill 3\n"},
                {"path": "/sys/fs/cgroup/memory/gsd-oomtry-6463/memory.max_usage_in_bytes", "text": "50335744\n"}
            ],
            "kernelLog": run_ok(&["dmesg"], KERNEL),
            "uptime": "10891.51 5651.46\n",
            "procStatus": "CapEff:\t00000000a80425fb\nSeccomp:\t2\n",
            "pid": 4242
        }, "processes": [], "vscode": {"version": "1.95.0", "trusted": true, "extensions": []}})
    }

    #[test]
    fn fires_for_a_real_kernel_oom_kill_in_the_own_cgroup_and_offers_settings_and_limit() {
        let mut s =
            with_folder_settings("{\n  // team settings\n  \"go.lintTool\": \"staticcheck\"\n}\n");
        let overlay = snapshot(killed("50331648"));
        s.host = overlay.host;
        s.processes = overlay.processes;
        s.vscode = overlay.vscode;
        let f = run(&GOPLS_KILLED, &s);
        assert_eq!(f.len(), 1, "{f:#?}");
        let f = &f[0];
        assert_eq!(
            f.title,
            "gopls was killed by the kernel's OOM killer (pid 13624)"
        );
        assert!(f.message.contains("pid 13624, 2 min ago"), "{}", f.message);
        assert!(
            f.message
                .contains("cgroup /gsd-oomtry-6463 reached its memory limit of 48 MiB"),
            "{}",
            f.message
        );
        assert!(
            f.evidence
                .iter()
                .any(|e| e.contains("Memory cgroup out of memory: Killed process 13624 (gopls)")),
            "{:#?}",
            f.evidence
        );
        assert!(f
            .evidence
            .iter()
            .any(|e| e.contains("also killed in the same cgroup: go (pid 13677)")));
        assert!(f
            .evidence
            .iter()
            .any(|e| e.contains("memory.oom_control: oom_kill 3")));
        // 1: directoryFilters into the folder settings, comments kept.
        let fixed = apply_fix(&s, &f.fixes[0]);
        let text = layer_text(&fixed, FOLDER_SETTINGS);
        assert!(text.contains("// team settings"));
        assert_eq!(
            parse_jsonc(text)["gopls"]["build.directoryFilters"],
            json!(["-**/node_modules"])
        );
        // 2: the limit, doubled, with sudo (no CAP_SYS_ADMIN in CapEff).
        assert!(
            matches!(&f.fixes[1].actions[0], Action::RunShell { command, .. }
            if command == &format!("echo 96M | sudo tee {LIMIT_FILE}")),
            "{:?}",
            f.fixes[1]
        );
        // 3: gopls is not running: restart.
        assert!(
            matches!(&f.fixes[2].actions[0], Action::RunVsCodeCommand { command, .. } if command == "go.languageserver.restart")
        );
        // Applying the settings fix again offers no second edit.
        let again = run(&GOPLS_KILLED, &fixed);
        assert!(!again[0]
            .fixes
            .iter()
            .any(|x| matches!(x.actions[0], Action::EditFile { .. })));
    }

    #[test]
    fn fires_headless_without_the_vs_code_restart() {
        let mut v = killed("50331648");
        v.as_object_mut().unwrap().remove("vscode");
        let f = run(&GOPLS_KILLED, &snapshot(v));
        assert_eq!(f.len(), 1);
        assert!(!f[0]
            .fixes
            .iter()
            .any(|x| matches!(&x.actions[0], Action::RunVsCodeCommand { .. })));
        assert!(
            !f[0].message.contains("for this window"),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn passes_once_the_limit_is_raised_above_the_one_of_the_kill() {
        // What the limit fix does: 96M = 100663296 bytes.
        assert!(run(&GOPLS_KILLED, &snapshot(killed("100663296"))).is_empty());
        // Limit removed (v1 reports its maximum).
        assert!(run(&GOPLS_KILLED, &snapshot(killed("9223372036854771712"))).is_empty());
    }

    #[test]
    fn passes_when_the_kill_was_in_another_cgroup_or_nothing_was_killed() {
        let mut v = killed("50331648");
        v["host"]["cgroup"] = json!("4:memory:/gsd-healthy-1\n0::/\n");
        assert!(run(&GOPLS_KILLED, &snapshot(v)).is_empty());
        assert!(run(&GOPLS_KILLED, &snapshot(json!({}))).is_empty());
        // dmesg refused: nothing to go on.
        let mut v = killed("50331648");
        v["host"]["kernelLog"] = run_failed(
            &["dmesg"],
            "dmesg: read kernel buffer failed: Operation not permitted\n",
            1,
        );
        assert!(run(&GOPLS_KILLED, &snapshot(v)).is_empty());
    }

    #[test]
    fn fires_as_root_with_a_tee_command_without_sudo_and_systemctl_for_a_v2_scope() {
        let mut v = killed("50331648");
        v["host"]["procStatus"] = json!("CapEff:\t000001ffffffffff\nSeccomp:\t0\n");
        let f = run(&GOPLS_KILLED, &snapshot(v));
        assert!(
            matches!(&f[0].fixes[1].actions[0], Action::RunShell { command, .. }
            if command == &format!("echo 96M | tee {LIMIT_FILE}")),
            "{:?}",
            f[0].fixes
        );
        let scope = "/user.slice/user-1000.slice/user@1000.service/app.slice/app-code-4242.scope";
        let file = FileText {
            path: format!("/sys/fs/cgroup{scope}/memory.max"),
            text: "4294967296\n".into(),
        };
        assert_eq!(
            raise_limit_command(scope, &file, "8G", false).as_deref(),
            Some("systemctl --user set-property app-code-4242.scope MemoryMax=8G")
        );
        assert_eq!(raise_limit_command("/", &file, "8G", false), None);
    }

    /// The language client's lines (vscode-languageclient `node/main.ts`, as quoted in
    /// llvm/llvm-project and golang/vscode-go#848, #2237 issue threads) and a Go runtime OOM
    /// (golang/go#42889).
    fn with_log(text: &str) -> crate::protocol::Snapshot {
        snapshot(json!({
            "host": {"pid": 4242},
            "processes": [],
            "vscode": {"version": "1.95.0", "trusted": true, "extensions": []},
            "languageServerLogs": [{
                "path": "/home/gopher/.config/Code/logs/20261126T101500/window1/exthost/output_logging_20261126T101502/2-gopls (server).log",
                "text": text, "size": text.len()
            }]
        }))
    }

    #[test]
    fn fires_for_the_crash_loop_in_the_gopls_output_log() {
        let s = with_log("[Info  - 4:38:38 PM] Connection to server got closed. Server will restart.\n[Error - 10:28:18 PM] Server process exited with signal SIGKILL.\n[Info  - 4:38:38 PM] Connection to server got closed. Server will restart.\n[Error - 4:38:38 PM] Connection to server got closed. Server will not be restarted.\n");
        let f = run(&GOPLS_KILLED, &s);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].title, "gopls was killed by SIGKILL");
        assert!(
            f[0].message.contains("stops restarting gopls"),
            "{}",
            f[0].message
        );
        assert!(f[0].evidence.iter().any(|e| e.ends_with("2-gopls (server).log: [Error - 10:28:18 PM] Server process exited with signal SIGKILL.")), "{:#?}", f[0].evidence);
        assert!(f[0]
            .evidence
            .iter()
            .any(|e| e.contains("restarted 2 times")));
        let restart = f[0].fixes.last().unwrap();
        assert!(
            matches!(&restart.actions[0], Action::RunVsCodeCommand { command, .. } if command == "go.languageserver.restart")
        );
    }

    #[test]
    fn fires_from_the_recorded_crash_loop_fixture() {
        let s = crate::parse_snapshot(include_str!(
            "../../../../../tests/fixtures/snapshots/vscode-gopls-crash-loop.json"
        ))
        .unwrap();
        let f = run(&GOPLS_KILLED, &s);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].title, "gopls crashed repeatedly and was not restarted");
        assert!(f[0].evidence.iter().any(|e| e.ends_with(
            "2-gopls (server).log: [Error - 4:38:38 PM] Connection to server got closed. Server will not be restarted."
        )));
        assert!(f[0]
            .evidence
            .iter()
            .any(|e| e.ends_with("the server was restarted 4 times")));
        let restart = &f[0].fixes[0];
        assert!(
            matches!(&restart.actions[0], Action::RunVsCodeCommand { command, .. } if command == "go.languageserver.restart")
        );
        // After the restart the next snapshot has a gopls under the extension host and a new
        // log without crashes.
        let mut after = apply_fix(&s, restart);
        after.processes = Some(vec![crate::protocol::ProcessInfo {
            pid: 7607,
            ppid: Some(7560),
            ancestors: vec![7560, 1],
            cmdline: vec!["/home/gopher/go/bin/gopls".into(), "-mode=stdio".into()],
            ..Default::default()
        }]);
        after.language_server_logs = Some(vec![LogTail {
            path: "/home/gopher/.config/Code/logs/20261126T101500/window1/exthost/output_logging_20261126T104500/2-gopls (server).log".into(),
            text: "[Info  - 10:45:03 AM] 2026/11/26 10:45:03 go/packages.Load #1\n".into(),
            size: 64,
            mtime_ms: None,
        }]);
        assert!(run(&GOPLS_KILLED, &after).is_empty());
    }

    #[test]
    fn fires_for_a_go_panic_with_an_update_for_an_old_gopls() {
        let mut s = with_log("[Error - 9:01:02 AM] panic: runtime error: invalid memory address or nil pointer dereference\n[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x8a2f1c]\n\ngoroutine 1123 [running]:\ngolang.org/x/tools/gopls/internal/cache.(*snapshot).load(...)\n[Error - 9:01:02 AM] Server process exited with code 2.\n");
        s.tools[0].version.as_mut().unwrap().stdout = "{\"Version\": \"v0.16.1\"}".into();
        let f = run(&GOPLS_KILLED, &s);
        assert_eq!(f[0].title, "gopls crashed: panic: runtime error: invalid memory address or nil pointer dereference");
        let update = f[0]
            .fixes
            .iter()
            .find(|x| x.title.starts_with("Update gopls"))
            .unwrap();
        assert!(
            matches!(&update.actions[0], Action::RunShell { command, .. } if command.ends_with("install golang.org/x/tools/gopls@v0.20.0")),
            "{update:?}"
        );
    }

    #[test]
    fn fires_for_an_exit_code_in_the_log() {
        let f = run(
            &GOPLS_KILLED,
            &with_log("[Error - 9:01:02 AM] Server process exited with code 1.\n"),
        );
        assert_eq!(f[0].title, "gopls exited with code 1");
        assert!(f[0]
            .evidence
            .iter()
            .any(|e| e.ends_with("Server process exited with code 1.")));
    }

    #[test]
    fn fires_for_runtime_out_of_memory_in_the_log() {
        let f = run(&GOPLS_KILLED, &with_log("fatal error: runtime: out of memory\n\nruntime stack:\nruntime.throw({0xf094c0, 0x16})\n"));
        assert_eq!(f[0].title, "gopls ran out of memory");
    }

    #[test]
    fn passes_for_a_quiet_log_and_bad_input() {
        assert!(run(
            &GOPLS_KILLED,
            &with_log(
                "[Info  - 10:15:02 AM] 2026/11/26 10:15:02 go/packages.Load #1\n\tpackages=12\n"
            )
        )
        .is_empty());
        // `panic:` in a message without a trace is not a crash; truncated kernel lines do not crash.
        assert!(run(
            &GOPLS_KILLED,
            &with_log("[Error] analysis: panic: recovered in fillstruct\n")
        )
        .is_empty());
        assert!(kernel_kills(
            "Killed process \nKilled process x (gopls\noom-kill:pid=\n[  ] memory: usage limit \n"
        )
        .is_empty());
        assert_eq!(own_memcg("garbage\n::\n"), None);
    }
}
