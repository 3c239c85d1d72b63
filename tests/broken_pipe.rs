#![allow(clippy::unwrap_used, clippy::panic)]
//! `caseload … | head -1`: a reader that goes away early must not make the binary panic.

mod common;

use std::io::Read;
use std::process::Stdio;

use common::Sandbox;

/// Runs `args` with stdout a pipe whose read end is closed right away (the reader is gone before
/// the first write), or after reading one line when `read_first` is set.
fn run_with_closed_pipe(sb: &Sandbox, args: &[&str], read_first: bool) {
    let mut child = sb
        .cmd()
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = child.stdout.take().unwrap();
    if read_first {
        let mut byte = [0u8; 1];
        // Read a little, as `head -1` would, then go away.
        let _ = out.read(&mut byte).unwrap();
    }
    drop(out);
    let mut stderr = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut err = String::new();
        stderr.read_to_string(&mut err).unwrap();
        err
    });
    let status = common::wait_within(&mut child);
    let err = reader.join().unwrap();
    assert!(!err.contains("panicked"), "{args:?} panicked: {err}");
    assert!(!err.contains("Broken pipe"), "{args:?}: {err}");
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        assert!(
            status.code() == Some(0) || status.signal() == Some(libc_sigpipe()),
            "{args:?} ended with {status:?}: {err}"
        );
    }
    #[cfg(not(unix))]
    assert!(status.code().is_some(), "{args:?}: {status:?}");
}

/// SIGPIPE is 13 on every unix caseload runs on.
#[cfg(unix)]
fn libc_sigpipe() -> i32 {
    13
}

#[test]
fn printing_into_a_closed_pipe_ends_quietly() {
    let sb = Sandbox::new();
    sb.ok(&["demo", "--clients", "40"]);
    for args in [
        &["client", "list"][..],
        &["client", "list", "--json"],
        &["session", "list"],
        &["note", "list", "--client", "1"],
        &["audit"],
        &["check"],
        &["export", "--format", "json"],
        &["assess", "instruments"],
        &["--help"],
    ] {
        run_with_closed_pipe(&sb, args, false);
    }
    // A large output read for a moment, as `caseload export --format json | head -1` does.
    run_with_closed_pipe(&sb, &["export", "--format", "json"], true);
}
