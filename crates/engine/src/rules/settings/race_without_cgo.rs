use crate::context::Context;
use crate::declare_rule;
use crate::protocol::Applicability;
use crate::rules::common::settings_fix;
use crate::sink::{FindingExt, Sink};

declare_rule! {
    /// ## What it checks
    /// `-race` in `go.testFlags` / `go.buildFlags` while cgo is off (`CGO_ENABLED=0` in `go env`).
    ///
    /// ## Why it matters
    /// The race detector needs cgo on most platforms: every test run from VS Code fails with
    /// `go: -race requires cgo; enable cgo by setting CGO_ENABLED=1` (the `go` command's message).
    ///
    /// ## Example
    /// ```jsonc
    /// { "go.testFlags": ["-race", "-v"] }
    /// ```
    /// with `CGO_ENABLED=0` in the environment.
    ///
    /// ## Fix
    /// Remove `-race` from the setting (review: you lose race detection), or enable cgo and install a
    /// C compiler.
    pub RACE_WITHOUT_CGO {
        code: "GSD312",
        name: "race-without-cgo",
        category: Settings,
        severity: Warning,
        summary: "-race is only used with cgo",
        fix: Always,
        since: "0.1.0",
    }
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Sink) {
    if cx.go_env_var("CGO_ENABLED") != Some("0") {
        return;
    }
    for key in ["go.testFlags", "go.buildFlags"] {
        let Some((value, layer)) = cx.effective(key) else {
            continue;
        };
        let Some(index) = value
            .as_array()
            .and_then(|a| a.iter().position(|f| f.as_str() == Some("-race")))
        else {
            continue;
        };
        let Some(doc) = layer.doc.as_ref() else {
            continue;
        };
        let f = out.report(
            format!("{key} has -race but cgo is off"),
            format!("`{key}` contains -race, but CGO_ENABLED=0: go commands fail with `go: -race requires cgo; enable cgo by setting CGO_ENABLED=1`."),
        );
        f.at(doc.prop(key).map(|p| doc.name_location(p)));
        f.evidence("go env CGO_ENABLED: 0");
        settings_fix(
            f,
            layer,
            doc.remove_array_element(&[key], index),
            format!("Remove -race from {key}"),
            Applicability::Unsafe,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use serde_json::json;

    fn cgo_off(settings: &str) -> crate::Snapshot {
        let mut s = with_folder_settings(settings);
        s.go.as_mut().unwrap().env.as_mut().unwrap().stdout = "{\"CGO_ENABLED\": \"0\"}".into();
        s
    }

    #[test]
    fn fires_and_fix_removes_race() {
        let s = cgo_off("{\"go.testFlags\": [\"-race\", \"-v\"]}");
        let f = run(&RACE_WITHOUT_CGO, &s);
        assert_eq!(f.len(), 1);
        let fixed = apply_fix(&s, &f[0].fixes[0]);
        assert_eq!(
            parse_jsonc(layer_text(&fixed, FOLDER_SETTINGS)),
            json!({"go.testFlags": ["-v"]})
        );
    }

    #[test]
    fn passes_with_cgo_on() {
        assert!(run(
            &RACE_WITHOUT_CGO,
            &with_folder_settings("{\"go.testFlags\": [\"-race\"]}")
        )
        .is_empty());
    }
}
