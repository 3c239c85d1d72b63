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

/// Terminal sequences stored in records (an import, an older file) never reach the terminal.
#[test]
fn text_output_strips_terminal_control_sequences() {
    let s = Sandbox::new();
    s.ok(&["client", "add", "--name", "Ana Diaz"]);
    s.book("1", "2026-11-24 10:00");
    s.ok(&["goal", "add", "--client", "1", "--text", "Sleep better"]);
    s.ok(&[
        "boundary", "add", "--client", "1", "--kind", "other", "--note", "x",
    ]);
    s.ok(&[
        "consult",
        "add",
        "--colleague",
        "Dr Lee",
        "--topic",
        "t",
        "--client",
        "1",
    ]);
    let evil = "'\u{1b}]52;c;cGF5bG9hZA==\u{7}\u{1b}]0;title\u{7}\u{1b}[2J'";
    let conn = rusqlite::Connection::open(s.db()).unwrap();
    for sql in [
        "UPDATE clients SET name = 'Ana ' || ?1 || ' Diaz', phone = ?1",
        "UPDATE goals SET text = 'Sleep ' || ?1",
        "UPDATE boundary_incidents SET note = 'Called ' || ?1",
        "UPDATE consultations SET topic = 'About ' || ?1, notes = ?1",
    ] {
        conn.execute(sql, [&evil[1..evil.len() - 1]]).unwrap();
    }
    drop(conn);
    for args in [
        &["client", "show", "1"][..],
        &["client", "list"],
        &["session", "list", "--from", "2026-11-01"],
        &["goal", "list", "--client", "1"],
        &["boundary", "list", "--client", "1"],
        &["consult", "list"],
        &["summary", "1", "--format", "txt"],
    ] {
        let out = s.ok(args);
        assert!(
            !out.contains('\u{1b}'),
            "{args:?} printed an escape: {out:?}"
        );
        assert!(!out.contains('\u{7}'), "{args:?} printed a bell: {out:?}");
        assert!(!out.contains("cGF5bG9hZA"), "{args:?}: {out:?}");
    }
    // JSON keeps the stored text exactly, escaped as JSON does.
    let c = s.json(&["client", "show", "1", "--json"]);
    assert!(c["name"].as_str().unwrap().contains("\u{1b}]52;c;"));
}

#[test]
fn names_line_up_by_display_width() {
    let s = Sandbox::new();
    s.ok(&["client", "add", "--name", "李小龙"]);
    s.ok(&["client", "add", "--name", "Zoe\u{301} Ng"]);
    s.ok(&["client", "add", "--name", "Ann Lee"]);
    let out = s.ok(&["client", "list"]);
    let col = |line: &str| {
        let at = line.find("active").unwrap();
        unicode_width::UnicodeWidthStr::width(&line[..at])
    };
    let lines: Vec<&str> = out.lines().skip(1).collect();
    assert_eq!(lines.len(), 3, "{out}");
    let cols: Vec<usize> = lines.iter().map(|l| col(l)).collect();
    // id (5) + 2 + the widest name, "Ann Lee" (7), + 2.
    assert_eq!(cols, vec![16, 16, 16], "{out}");
}
