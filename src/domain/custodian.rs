//! The handover archive's first page: a plain-language letter for the records custodian (the
//! colleague who looks after the records if the practitioner can no longer practise).

use chrono::NaiveDate;

use super::client::Client;
use super::document::{Block, Document};
use super::practice::PracticeProfile;
use super::retention::RetentionRules;

/// The name of the archive's manifest, and its format word.
pub const MANIFEST: &str = "manifest.json";
pub const FORMAT: &str = "caseload-handover";
pub const VERSION: u32 = 1;
/// The custodian's page, as a web page and as plain text.
pub const PAGE_HTML: &str = "READ-ME-FIRST.html";
pub const PAGE_TXT: &str = "READ-ME-FIRST.txt";
pub const EXPORT: &str = "export.json";
pub const PROFILE: &str = "practice-profile.json";
pub const RECORDS_DIR: &str = "records";

/// What the custodian's page says.
#[derive(Debug, Clone)]
pub struct CustodianFacts<'a> {
    pub custodian: &'a str,
    pub practice: &'a PracticeProfile,
    pub made_on: NaiveDate,
    pub file_name: &'a str,
    pub rules: RetentionRules,
    /// Clients still in care (active or on hold), by name.
    pub active: Vec<&'a Client>,
    pub clients: usize,
    /// Records on legal hold: name and reason.
    pub holds: Vec<(String, String)>,
}

/// The file a client's record goes in: `records/<id>-<name>.html`, the name reduced to
/// letters, digits and dashes.
pub fn record_file(id: i64, name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars() {
        if c.is_alphanumeric() {
            slug.extend(c.to_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() {
        format!("{RECORDS_DIR}/{id}.html")
    } else {
        format!("{RECORDS_DIR}/{id}-{slug}.html")
    }
}

fn or<'a>(s: &'a str, other: &'a str) -> &'a str {
    if s.trim().is_empty() { other } else { s }
}

/// The letter to the custodian.
pub fn page(f: &CustodianFacts<'_>) -> Document {
    let p = f.practice;
    let who = or(&p.practitioner_name, "the practitioner");
    let practice = or(&p.practice_name, "the practice");
    let mut d = Document::new(format!("For {}: the records of {practice}", f.custodian));
    d.push(Block::Heading("What this is".into()));
    d.push(Block::Para(format!(
        "{who} made this archive on {} and named you, {}, as the custodian of the practice's client records: the person who looks after them if {who} dies or can no longer practise. It holds every client record the practice keeps, as it stood that day ({} client{}).",
        f.made_on.format("%-d %B %Y"),
        f.custodian,
        f.clients,
        if f.clients == 1 { "" } else { "s" },
    )));
    d.push(Block::Para(
        "These are confidential health records. Keep the archive and its passphrase apart, open it only on a computer you trust, and share a record only with the client it belongs to or as the law allows.".into(),
    ));
    d.push(Block::Heading("How to open it".into()));
    d.push(Block::List(vec![
        format!(
            "The archive ({}) is encrypted in the age format (age-encryption.org), with a passphrase {who} gave you separately. You do not need caseload to open it.",
            f.file_name
        ),
        format!(
            "With the age tool: age --decrypt -o handover.tar {} (it asks for the passphrase), then unpack it: tar -xf handover.tar",
            f.file_name
        ),
        format!(
            "{PAGE_HTML} (this page) and {PAGE_TXT}: the same letter as a web page and as plain text."
        ),
        format!(
            "{RECORDS_DIR}/: one page per client with their whole record (details, sessions, notes, assessments, goals, discharge and the audit trail). Open them in any web browser; they print cleanly."
        ),
        format!(
            "{EXPORT}: every record in a machine-readable form; another copy of caseload can take it in with: caseload import {EXPORT}"
        ),
        format!(
            "{PROFILE}: the practice's details. {MANIFEST}: the list of files with their checksums (caseload handover --verify checks them)."
        ),
    ]));
    d.push(Block::Heading("Clients still in care".into()));
    if f.active.is_empty() {
        d.push(Block::Para(
            "None: every client's care had ended when the archive was made.".into(),
        ));
    } else {
        d.push(Block::Para(
            "These clients were in care when the archive was made. They will need to hear what has happened, and may need help finding another practitioner. How to reach them, as they asked to be contacted where known:".into(),
        ));
        d.push(Block::List(
            f.active
                .iter()
                .map(|c| {
                    let mut ways = Vec::new();
                    if let Some(m) = c.preferred_contact {
                        ways.push(format!("prefers {}", m.label().to_lowercase()));
                    }
                    for v in [&c.phone, &c.email].into_iter().flatten() {
                        if !v.trim().is_empty() {
                            ways.push(v.clone());
                        }
                    }
                    if ways.is_empty() {
                        ways.push("no contact details recorded; see their record".into());
                    }
                    format!(
                        "{} ({}): {}",
                        c.name,
                        c.status.label().to_lowercase(),
                        ways.join(", ")
                    )
                })
                .collect(),
        ));
    }
    d.push(Block::Heading("How long the records are kept".into()));
    d.push(Block::Para(format!(
        "The practice's rule, as {who} set it: {} Each client's record shows its last contact; check the rule against the professional body and the law where the practice is before disposing of anything.",
        f.rules.describe()
    )));
    if !f.holds.is_empty() {
        d.push(Block::Para(
            "These records are on legal hold and must not be disposed of while the hold lasts:"
                .into(),
        ));
        d.push(Block::List(
            f.holds.iter().map(|(n, r)| format!("{n}: {r}")).collect(),
        ));
    }
    d.push(Block::Heading("The practice".into()));
    let mut fields = vec![
        ("Practice".to_string(), practice.to_string()),
        ("Practitioner".to_string(), who.to_string()),
    ];
    for (k, v) in [
        ("Phone", &p.phone),
        ("Email", &p.email),
        ("Address", &p.address),
    ] {
        if !v.trim().is_empty() {
            fields.push((k.to_string(), v.clone()));
        }
    }
    d.push(Block::Fields(fields));
    d.push(Block::Footer(format!(
        "Made by caseload on {} for {}.",
        f.made_on.format("%-d %B %Y"),
        f.custodian
    )));
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_files_are_safe_names() {
        assert_eq!(
            record_file(3, "Ana María O'Neil"),
            "records/3-ana-maría-o-neil.html"
        );
        assert_eq!(record_file(4, "../../etc"), "records/4-etc.html");
        assert_eq!(record_file(5, "  "), "records/5.html");
    }
}
