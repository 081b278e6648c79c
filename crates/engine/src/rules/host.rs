//! Facts about the host derived from the Snapshot's raw platform observations, shared by the
//! platform (GSD6xx), workspace, environment and language-server rules: mounts from
//! `/proc/self/mountinfo` lines, WSL / Flatpak / snap / container detection, `/proc/self/limits`,
//! workspace size, gopls processes.

use crate::context::Context;
use crate::protocol::ProcessInfo;

/// One line of `/proc/self/mountinfo` (proc(5)):
/// `id parent major:minor root mount-point mount-options [optional...] - fstype source super-options`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Mount<'a> {
    pub mount_point: String,
    pub mount_options: Vec<&'a str>,
    pub fstype: &'a str,
    pub source: String,
    pub super_options: &'a str,
    pub line: &'a str,
}

impl Mount<'_> {
    pub fn has_option(&self, opt: &str) -> bool {
        self.mount_options.contains(&opt)
    }

    /// A Windows drive seen from WSL: `drvfs` (WSL 1), `9p` with `aname=drvfs` (WSL 2), or
    /// `virtiofs` with `aname=drvfs`.
    pub fn is_windows_drive(&self) -> bool {
        self.fstype == "drvfs" || self.super_options.contains("aname=drvfs")
    }

    /// A file system served over the network or from user space: every access is a round trip.
    pub fn slow_kind(&self) -> Option<&'static str> {
        if self.is_windows_drive() {
            return Some("a Windows drive mounted into WSL (9P/DrvFs)");
        }
        match self.fstype {
            "nfs" | "nfs4" => Some("an NFS network share"),
            "cifs" | "smb3" | "smbfs" => Some("an SMB/CIFS network share"),
            "9p" => Some("a 9P network file system"),
            "fuse.sshfs" => Some("an SSHFS (FUSE over SSH) mount"),
            "fuse.gcsfuse" | "fuse.s3fs" | "fuse.rclone" => Some("a cloud-storage FUSE mount"),
            "fakeowner" | "grpcfuse" | "osxfs" => {
                Some("a Docker Desktop bind mount from the host OS")
            }
            t if t.starts_with("fuse.") && t != "fuse.portal" => Some("a FUSE (user-space) mount"),
            _ => None,
        }
    }
}

/// Undo the kernel's octal escapes in mountinfo paths (`\040` space, `\011` tab, `\012` newline,
/// `\134` backslash).
fn unescape(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes.get(i) == Some(&b'\\') {
            if let Some(oct) = s.get(i + 1..i + 4) {
                if oct.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
                    if let Ok(v) = u8::from_str_radix(oct, 8) {
                        out.push(v);
                        i += 4;
                        continue;
                    }
                }
            }
        }
        if let Some(b) = bytes.get(i) {
            out.push(*b);
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

pub(crate) fn parse_mountinfo_line(line: &str) -> Option<Mount<'_>> {
    let fields: Vec<&str> = line.split(' ').filter(|f| !f.is_empty()).collect();
    let sep = fields.iter().position(|f| *f == "-")?;
    if sep < 6 {
        return None;
    }
    Some(Mount {
        mount_point: unescape(fields.get(4)?),
        mount_options: fields.get(5)?.split(',').collect(),
        fstype: fields.get(sep + 1)?,
        source: unescape(fields.get(sep + 2).copied().unwrap_or("")),
        super_options: fields.get(sep + 3).copied().unwrap_or(""),
        line,
    })
}

fn is_under(path: &str, mount_point: &str) -> bool {
    if mount_point == "/" {
        return path.starts_with('/');
    }
    path == mount_point
        || path
            .strip_prefix(mount_point)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// The mount holding `path`: the longest mount point that is a prefix of it; of stacked mounts
/// on the same point, the last one (the one on top).
pub(crate) fn mount_for<'a>(cx: &Context<'a>, path: &str) -> Option<Mount<'a>> {
    let lines = cx.snapshot.host.mountinfo.as_ref()?;
    let mut best: Option<Mount<'a>> = None;
    for m in lines.iter().filter_map(|l| parse_mountinfo_line(l)) {
        if !is_under(path, &m.mount_point) {
            continue;
        }
        let better = best
            .as_ref()
            .is_none_or(|b| m.mount_point.len() >= b.mount_point.len());
        if better {
            best = Some(m);
        }
    }
    best
}

/// Where WSL was seen, and which one.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Wsl {
    /// 1 or 2 when the kernel string says so.
    pub version: Option<u8>,
    pub distro: Option<String>,
    pub evidence: Vec<String>,
}

impl Wsl {
    pub fn label(&self) -> String {
        let v = match self.version {
            Some(n) => format!("WSL {n}"),
            None => "WSL".to_string(),
        };
        match &self.distro {
            Some(d) => format!("{v} ({d})"),
            None => v,
        }
    }
}

/// WSL, from `/proc/version` (`…-microsoft-standard-WSL2`, `…-Microsoft`), `WSL_DISTRO_NAME`, or
/// the WSLInterop binfmt entry.
pub(crate) fn wsl(cx: &Context<'_>) -> Option<Wsl> {
    let host = &cx.snapshot.host;
    if host.os != "linux" {
        return None;
    }
    let mut evidence = Vec::new();
    let mut version = None;
    if let Some(v) = host.proc_version.as_deref() {
        let lower = v.to_ascii_lowercase();
        if lower.contains("microsoft") || lower.contains("wsl") {
            evidence.push(format!("/proc/version: {}", v.trim()));
            version = if lower.contains("microsoft-standard") || lower.contains("wsl2") {
                Some(2)
            } else if v.contains("-Microsoft") {
                Some(1)
            } else {
                None
            };
        }
    }
    let distro = cx
        .env("WSL_DISTRO_NAME")
        .filter(|d| !d.is_empty())
        .map(str::to_string);
    if let Some(d) = &distro {
        evidence.push(format!("WSL_DISTRO_NAME={d}"));
    }
    if host.wsl_interop == Some(true) {
        evidence.push("/proc/sys/fs/binfmt_misc/WSLInterop exists".to_string());
    }
    if cx
        .snapshot
        .vscode
        .as_ref()
        .and_then(|v| v.remote_name.as_deref())
        == Some("wsl")
    {
        evidence.push("VS Code window: remote `wsl` (Remote - WSL)".to_string());
    }
    if evidence.is_empty() {
        return None;
    }
    Some(Wsl {
        version,
        distro,
        evidence,
    })
}

/// A Windows path reached from WSL through the automount (`/mnt/c/...`).
pub(crate) fn is_windows_mount_path(cx: &Context<'_>, path: &str) -> bool {
    if let Some(m) = mount_for(cx, path) {
        return m.is_windows_drive();
    }
    let mut parts = path.split('/');
    matches!(
        (parts.next(), parts.next(), parts.next()),
        (Some(""), Some("mnt"), Some(d)) if d.len() == 1 && d.chars().all(|c| c.is_ascii_alphabetic())
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SandboxKind {
    Flatpak,
    Snap,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Sandbox {
    pub kind: SandboxKind,
    /// `com.visualstudio.code`, `code`, ...
    pub app: String,
    pub evidence: Vec<String>,
}

/// VS Code running as a Flatpak (`/.flatpak-info`, `FLATPAK_ID`, `/app/bin` on PATH) or a snap
/// (`SNAP`, `SNAP_NAME`).
pub(crate) fn sandbox(cx: &Context<'_>) -> Option<Sandbox> {
    let host = &cx.snapshot.host;
    if host.os != "linux" {
        return None;
    }
    let mut evidence = Vec::new();
    let mut app = None;
    if let Some(info) = host.flatpak_info.as_deref() {
        evidence.push("/.flatpak-info exists (Flatpak sandbox)".to_string());
        app = info
            .lines()
            .find_map(|l| l.trim().strip_prefix("name="))
            .map(str::to_string);
    }
    if let Some(id) = cx.env("FLATPAK_ID").filter(|s| !s.is_empty()) {
        evidence.push(format!("FLATPAK_ID={id}"));
        app.get_or_insert_with(|| id.to_string());
    }
    let path = cx.env("PATH").unwrap_or("");
    if !evidence.is_empty() {
        if path.split(':').any(|d| d == "/app/bin") {
            evidence.push(format!("PATH={path}"));
        }
        return Some(Sandbox {
            kind: SandboxKind::Flatpak,
            app: app.unwrap_or_else(|| "unknown".into()),
            evidence,
        });
    }
    let snap = cx.env("SNAP").filter(|s| !s.is_empty())?;
    evidence.push(format!("SNAP={snap}"));
    let name = cx
        .env("SNAP_NAME")
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .unwrap_or_else(|| {
            snap.trim_start_matches("/snap/")
                .split('/')
                .next()
                .unwrap_or("unknown")
                .to_string()
        });
    evidence.push(format!("SNAP_NAME={name}"));
    Some(Sandbox {
        kind: SandboxKind::Snap,
        app: name,
        evidence,
    })
}

/// A limit value from `/proc/self/limits` or `ulimit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Limit {
    Value(u64),
    Unlimited,
}

impl Limit {
    fn parse(s: &str) -> Option<Limit> {
        let s = s.trim();
        if s == "unlimited" || s == "infinity" {
            Some(Limit::Unlimited)
        } else {
            s.parse().ok().map(Limit::Value)
        }
    }

    pub fn label(self) -> String {
        match self {
            Limit::Value(v) => v.to_string(),
            Limit::Unlimited => "unlimited".into(),
        }
    }
}

/// (soft, hard) of one row of `/proc/<pid>/limits`, e.g. `Max open files  1024  524288  files`.
pub(crate) fn proc_limit(text: &str, name: &str) -> Option<(Limit, Limit)> {
    let line = text.lines().find(|l| l.starts_with(name))?;
    let mut cols = line.get(name.len()..)?.split_whitespace();
    Some((Limit::parse(cols.next()?)?, Limit::parse(cols.next()?)?))
}

/// (soft, hard) open-file limit of the gathering process, and where it was read.
pub(crate) fn open_files_limit(cx: &Context<'_>) -> Option<(Limit, Limit, String)> {
    let host = &cx.snapshot.host;
    if let Some(text) = host.proc_limits.as_deref() {
        let (soft, hard) = proc_limit(text, "Max open files")?;
        let line = text
            .lines()
            .find(|l| l.starts_with("Max open files"))
            .unwrap_or("")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        return Some((soft, hard, format!("/proc/self/limits: {line}")));
    }
    let run = host.ulimit_nofile.as_ref().filter(|r| r.succeeded())?;
    let mut lines = run.stdout.lines();
    let soft = Limit::parse(lines.next()?)?;
    let hard = lines.next().and_then(Limit::parse).unwrap_or(soft);
    Some((
        soft,
        hard,
        format!("ulimit -Sn: {}, ulimit -Hn: {}", soft.label(), hard.label()),
    ))
}

/// A whole-number text from /proc (`8192\n`).
pub(crate) fn proc_number(text: Option<&str>) -> Option<u64> {
    text?.trim().parse().ok()
}

/// The inotify watch limit that applies to the gathering process: the lower of
/// `fs.inotify.max_user_watches` and this user namespace's `user.max_inotify_watches`, and
/// whether it is the namespace's.
pub(crate) fn inotify_limit(cx: &Context<'_>) -> Option<(u64, bool)> {
    let h = &cx.snapshot.host;
    let global = proc_number(h.inotify_max_user_watches.as_deref());
    let userns = proc_number(h.userns_max_inotify_watches.as_deref());
    match (global, userns) {
        (Some(g), Some(u)) if u < g => Some((u, true)),
        (Some(g), _) => Some((g, false)),
        (None, Some(u)) => Some((u, true)),
        (None, None) => None,
    }
}

/// The inotify watch limit both GSD604 and GSD407 suggest (what VS Code's docs and most distros'
/// packages of IDEs set).
pub(crate) const SUGGESTED_INOTIFY_WATCHES: u64 = 524_288;

/// How to raise the inotify watch limit: the user namespace's (from outside it: display only), or
/// the machine's now and after a reboot.
pub(crate) fn inotify_limit_fixes(from_userns: bool) -> Vec<crate::protocol::Fix> {
    use crate::protocol::{Action, Applicability, Fix};
    const N: u64 = SUGGESTED_INOTIFY_WATCHES;
    let shell = |title: String, applicability, command: String| Fix {
        title,
        applicability,
        actions: vec![Action::RunShell { command, cwd: None }],
    };
    if from_userns {
        return vec![shell(
            format!("Raise the user-namespace limit from the host or container runtime (sysctl user.max_inotify_watches={N})"),
            Applicability::DisplayOnly,
            format!("sudo sysctl user.max_inotify_watches={N}"),
        )];
    }
    vec![
        shell(
            format!("Raise the limit now: sudo sysctl fs.inotify.max_user_watches={N}"),
            Applicability::Unsafe,
            format!("sudo sysctl fs.inotify.max_user_watches={N}"),
        ),
        shell(
            format!("Keep it after a reboot: the line fs.inotify.max_user_watches={N} in /etc/sysctl.d/60-inotify.conf"),
            Applicability::Unsafe,
            format!("echo fs.inotify.max_user_watches={N} | sudo tee /etc/sysctl.d/60-inotify.conf && sudo sysctl --system"),
        ),
    ]
}

/// The workspace's size as the walk saw it: directories, files, and whether the walk stopped at
/// its cap (then the numbers are lower bounds).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct WorkspaceSize {
    pub dirs: u64,
    pub files: u64,
    pub capped: bool,
    pub dirs_known: bool,
}

pub(crate) fn workspace_size(cx: &Context<'_>) -> WorkspaceSize {
    let mut s = WorkspaceSize::default();
    for f in &cx.snapshot.workspace.folders {
        s.files += u64::from(f.files_visited);
        if let Some(d) = f.dirs_visited {
            s.dirs += u64::from(d);
            s.dirs_known = true;
        }
        s.capped |= f.walk_capped;
    }
    s
}

impl WorkspaceSize {
    /// `12,345 directories and 98,765 files` with "at least" when capped.
    pub fn describe(&self) -> String {
        let at_least = if self.capped { "at least " } else { "" };
        if self.dirs_known {
            format!(
                "{at_least}{} directories and {} files",
                thousands(self.dirs),
                thousands(self.files)
            )
        } else {
            format!("{at_least}{} files", thousands(self.files))
        }
    }
}

pub(crate) fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `5.3 GiB` / `812 MiB`.
pub(crate) fn format_kib(kib: u64) -> String {
    let mib = kib as f64 / 1024.0;
    if mib >= 1024.0 {
        format!("{:.1} GiB", mib / 1024.0)
    } else {
        format!("{mib:.0} MiB")
    }
}

/// The executable path of a process without the kernel's ` (deleted)` suffix, and whether it
/// had one.
pub(crate) fn exe_path(p: &ProcessInfo) -> Option<(&str, bool)> {
    let exe = p.exe.as_deref()?;
    Some(match exe.strip_suffix(" (deleted)") {
        Some(path) => (path, true),
        None => (exe, false),
    })
}

/// Started by the process that gathered the snapshot (the extension host) or one of its
/// descendants.
pub(crate) fn started_by_host(cx: &Context<'_>, p: &ProcessInfo) -> bool {
    match cx.snapshot.host.pid {
        Some(pid) => p.ppid == Some(pid) || p.ancestors.contains(&pid),
        None => false,
    }
}

/// A short label for a process: `gopls (pid 1234)`.
pub(crate) fn process_label(p: &ProcessInfo) -> String {
    let name = exe_path(p)
        .map(|(e, _)| e)
        .or_else(|| p.cmdline.first().map(String::as_str))
        .unwrap_or("gopls");
    format!("{name} (pid {})", p.pid)
}

/// The go.dev/doc/install steps for Linux as one command: the newest Go release the engine
/// knows, for the host's architecture, into /usr/local/go.
pub(crate) fn linux_go_install_command(cx: &Context<'_>) -> String {
    let arch = crate::knowledge::go::goarch_of(&cx.snapshot.host.arch).unwrap_or("amd64");
    let v = crate::knowledge::go::NEWEST_STABLE_MINOR;
    format!("sudo rm -rf /usr/local/go && curl -fsSL https://go.dev/dl/go1.{v}.0.linux-{arch}.tar.gz | sudo tar -C /usr/local -xz")
}

/// `2026-08-21 10:15:03 UTC` from milliseconds since the Unix epoch (no clock involved).
pub(crate) fn format_epoch_ms(ms: f64) -> String {
    if !ms.is_finite() || ms < 0.0 {
        return format!("{ms} ms");
    }
    let secs = (ms / 1000.0).floor() as i64;
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02} UTC",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::snapshot;
    use serde_json::json;

    // Two lines of a real WSL 2 /proc/9/mountinfo (linux-fsdevel, Nathan Chancellor,
    // 2020-11-15, <20201115214125.GA317@Ryzen-9-3900X.localdomain>).
    const ROOT: &str =
        "29 21 8:0 / / rw,relatime - ext4 /dev/sda rw,discard,no_fc,errors=remount-ro,data=ordered";
    const MNT_C: &str = r"90 29 0:40 / /mnt/c rw,noatime - 9p C:\134 rw,dirsync,aname=drvfs;path=C:\;uid=1000;gid=1000;symlinkroot=/mnt/,mmap,access=client,msize=65536,trans=fd,rfd=8,wfd=8";

    #[test]
    fn mountinfo_lines_parse_and_unescape() {
        let m = parse_mountinfo_line(MNT_C).unwrap();
        assert_eq!(m.mount_point, "/mnt/c");
        assert_eq!(m.fstype, "9p");
        assert_eq!(m.source, r"C:\");
        assert!(m.is_windows_drive());
        assert!(m.has_option("noatime"));
        let shared =
            parse_mountinfo_line("30 29 0:15 / /mnt/wsl rw,relatime shared:1 - tmpfs tmpfs rw")
                .unwrap();
        assert_eq!(shared.fstype, "tmpfs");
        let spaced =
            parse_mountinfo_line(r"40 22 0:36 / /mnt/my\040disk rw - nfs4 nas:/x rw").unwrap();
        assert_eq!(spaced.mount_point, "/mnt/my disk");
        assert!(parse_mountinfo_line("garbage - x").is_none());
    }

    #[test]
    fn longest_prefix_and_stacked_mounts() {
        let s = snapshot(json!({"host": {"mountinfo": [ROOT, MNT_C,
            "100 29 0:50 / /tmp rw,relatime - tmpfs tmpfs rw",
            "101 100 0:51 / /tmp rw,nosuid,nodev,noexec,relatime - tmpfs tmpfs rw"]}}));
        let cx = Context::new(&s);
        assert_eq!(
            mount_for(&cx, "/mnt/c/Users/x").unwrap().mount_point,
            "/mnt/c"
        );
        assert_eq!(mount_for(&cx, "/mnt/cc").unwrap().mount_point, "/");
        assert!(mount_for(&cx, "/tmp/go-build")
            .unwrap()
            .has_option("noexec"));
        assert!(is_windows_mount_path(&cx, "/mnt/c/Go/bin/go.exe"));
        assert!(!is_windows_mount_path(&cx, "/home/u/go"));
    }

    #[test]
    fn limits_parse() {
        let text = "Limit                     Soft Limit           Hard Limit           Units     \nMax open files            1024                 524288               files     \nMax locked memory         unlimited            unlimited            bytes     \n";
        assert_eq!(
            proc_limit(text, "Max open files"),
            Some((Limit::Value(1024), Limit::Value(524288)))
        );
        assert_eq!(
            proc_limit(text, "Max locked memory"),
            Some((Limit::Unlimited, Limit::Unlimited))
        );
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(format_kib(5 * 1024 * 1024 + 300 * 1024), "5.3 GiB");
        assert_eq!(format_epoch_ms(0.0), "1970-01-01 00:00:00 UTC");
        assert_eq!(
            format_epoch_ms(1_700_000_000_000.0),
            "2023-11-14 22:13:20 UTC"
        );
    }

    #[test]
    fn wsl_and_sandbox_detection() {
        let s = snapshot(
            json!({"host": {"procVersion": "Linux version 5.4.72-microsoft-standard-WSL2 (oe-user@oe-host) (gcc version 8.2.0 (GCC)) #1 SMP Wed Oct 28 23:40:43 UTC 2020\n"},
            "env": {"WSL_DISTRO_NAME": "Ubuntu"}}),
        );
        let w = wsl(&Context::new(&s)).unwrap();
        assert_eq!(w.label(), "WSL 2 (Ubuntu)");
        assert!(wsl(&Context::new(&snapshot(json!({})))).is_none());
        let s = snapshot(json!({"env": {"SNAP": "/snap/code/123", "SNAP_NAME": "code"}}));
        let sb = sandbox(&Context::new(&s)).unwrap();
        assert_eq!((sb.kind, sb.app.as_str()), (SandboxKind::Snap, "code"));
    }
}
