#![allow(clippy::unwrap_used, clippy::panic)]
//! The command line describes itself completely: every option and argument says what it is,
//! completions and the man page are generated from it, and a bad option value is a usage error.

mod common;

use clap::CommandFactory;
use common::Sandbox;

fn undescribed(cmd: &clap::Command, path: &str, out: &mut Vec<String>) {
    let here = format!("{path} {}", cmd.get_name()).trim().to_string();
    for a in cmd.get_arguments() {
        if a.is_hide_set() || a.get_id() == "help" || a.get_id() == "version" {
            continue;
        }
        let described = a
            .get_help()
            .is_some_and(|h| !h.to_string().trim().is_empty())
            || a.get_long_help()
                .is_some_and(|h| !h.to_string().trim().is_empty());
        if !described {
            out.push(format!("{here}: {}", a.get_id()));
        }
    }
    for sub in cmd.get_subcommands() {
        if sub.get_name() == "help" {
            continue;
        }
        if sub.get_about().is_none() && sub.get_long_about().is_none() {
            out.push(format!("{here} {} (the command itself)", sub.get_name()));
        }
        undescribed(sub, &here, out);
    }
}

#[test]
fn every_option_argument_and_command_has_a_description() {
    let cmd = caseload::cli::Cli::command();
    cmd.clone().debug_assert();
    let mut missing = Vec::new();
    undescribed(&cmd, "", &mut missing);
    assert!(
        missing.is_empty(),
        "{} without a description:\n{}",
        missing.len(),
        missing.join("\n")
    );
}

#[test]
fn completions_are_written_for_every_shell() {
    let s = Sandbox::new();
    let cases = [
        ("bash", "_caseload()"),
        ("zsh", "#compdef caseload"),
        ("fish", "complete -c caseload"),
        ("elvish", "edit:completion:arg-completer[caseload]"),
        ("powershell", "Register-ArgumentCompleter"),
    ];
    for (shell, marker) in cases {
        let out = s.ok(&["completions", shell]);
        assert!(out.contains(marker), "{shell}: {out}");
        // Subcommands and their options are in it.
        assert!(out.contains("calendar"), "{shell}");
        assert!(out.contains("no-cancelled"), "{shell}");
    }
    s.fails(&["completions", "tcsh"], 2);
    // No practice file was needed or made.
    assert!(!s.db().exists());
}

#[test]
fn the_man_page_is_roff_with_every_command() {
    let s = Sandbox::new();
    let page = s.ok(&["man"]);
    assert!(page.starts_with(".ie \\n(.g .ds Aq"), "{}", &page[..80]);
    assert!(page.contains(".TH caseload 1"), "{page}");
    assert!(page.contains(".SH NAME"));
    assert!(page.contains(".SH SUBCOMMANDS"));
    for sub in ["calendar", "export", "completions", "report"] {
        assert!(page.contains(&format!("caseload\\-{sub}")), "{sub}");
    }
    let file = s.path().join("man/caseload.1");
    s.ok(&["man", "-o", file.to_str().unwrap()]);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), page);
}

#[test]
fn a_bad_option_value_is_a_usage_error() {
    let s = Sandbox::new();
    s.ok(&["client", "add", "--name", "Ada Lovelace"]);
    let e = s.fails(&["client", "list", "--status", "bogus"], 2);
    assert!(e.contains("--status"), "{e}");
    s.fails(&["calendar", "--from", "someday"], 2);
    s.fails(
        &["calendar", "--from", "2026-12-01", "--to", "2026-11-01"],
        2,
    );
    s.fails(
        &["session", "add", "--client", "1", "--at", "tomorrow-ish"],
        2,
    );
    s.fails(&["handout", "--client", "1", "--format", "pdfx"], 2);
    // A wrong record is not a usage error.
    s.fails(&["client", "show", "99"], 1);
}
