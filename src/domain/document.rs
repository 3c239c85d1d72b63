//! A small printable document (the handout, the transition summary) and its three renderings:
//! Markdown, plain text and one self-contained HTML page. All text is escaped for its format.

use crate::word_enum;

word_enum! {
    /// The format a document is written in.
    pub enum DocFormat {
        Md = "md" / "Markdown",
        Html = "html" / "Web page (printable)",
        Txt = "txt" / "Plain text",
    }
}

impl DocFormat {
    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        self.as_str()
    }
}

/// One part of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Heading(String),
    Para(String),
    /// Label and value pairs.
    Fields(Vec<(String, String)>),
    List(Vec<String>),
    /// Questions and their answers.
    Qa(Vec<(String, String)>),
    /// Small print at the end.
    Footer(String),
    /// Rows under a header (invoices, ledgers).
    Table(Table),
}

/// A table: a header, rows of cells, and which columns are amounts (aligned right).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub right: Vec<bool>,
}

impl Table {
    fn is_right(&self, i: usize) -> bool {
        self.right.get(i).copied().unwrap_or(false)
    }

    /// The width of each column in characters (header and cells).
    fn widths(&self) -> Vec<usize> {
        let mut w: Vec<usize> = self.header.iter().map(|h| h.chars().count()).collect();
        for r in &self.rows {
            for (i, c) in r.iter().enumerate() {
                let n = c.chars().count();
                match w.get_mut(i) {
                    Some(x) => *x = (*x).max(n),
                    None => w.push(n),
                }
            }
        }
        w
    }

    fn text_row(&self, cells: &[String], widths: &[usize]) -> String {
        let parts: Vec<String> = widths
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let c = cells.get(i).map(String::as_str).unwrap_or("");
                let pad = " ".repeat(w.saturating_sub(c.chars().count()));
                if self.is_right(i) {
                    format!("{pad}{c}")
                } else {
                    format!("{c}{pad}")
                }
            })
            .collect();
        format!("{}\n", parts.join("  ").trim_end())
    }
}

/// A document: a title and its blocks.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Document {
    pub title: String,
    pub blocks: Vec<Block>,
}

impl Document {
    pub fn new(title: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            blocks: Vec::new(),
        }
    }

    pub fn push(&mut self, b: Block) -> &mut Self {
        self.blocks.push(b);
        self
    }

    /// The document as a PDF file (see [`super::pdf`]).
    pub fn pdf(&self) -> Vec<u8> {
        super::pdf::render(&self.title, &self.text())
    }

    pub fn render(&self, format: DocFormat) -> String {
        match format {
            DocFormat::Md => self.markdown(),
            DocFormat::Txt => self.text(),
            DocFormat::Html => self.html(),
        }
    }

    fn markdown(&self) -> String {
        let mut out = format!("# {}\n", md(&self.title));
        for b in &self.blocks {
            out.push('\n');
            match b {
                Block::Heading(h) => out.push_str(&format!("## {}\n", md(h))),
                Block::Para(p) => out.push_str(&format!("{}\n", md_paras(p, ""))),
                Block::Fields(f) => {
                    for (k, v) in f {
                        out.push_str(&format!("- **{}:** {}\n", md(k), md_paras(v, "  ")));
                    }
                }
                Block::List(items) => {
                    for i in items {
                        out.push_str(&format!("- {}\n", md(i)));
                    }
                }
                Block::Qa(items) => {
                    for (n, (q, a)) in items.iter().enumerate() {
                        if n > 0 {
                            out.push('\n');
                        }
                        out.push_str(&format!("### {}\n\n{}\n", md(q), md_paras(a, "")));
                    }
                }
                Block::Footer(f) => out.push_str(&format!("---\n\n*{}*\n", md(f))),
                Block::Table(t) => {
                    let cells: Vec<String> = t.header.iter().map(|h| md(h)).collect();
                    out.push_str(&format!("| {} |\n", cells.join(" | ")));
                    let rule: Vec<&str> = (0..t.header.len())
                        .map(|i| if t.is_right(i) { "---:" } else { "---" })
                        .collect();
                    out.push_str(&format!("|{}|\n", rule.join("|")));
                    for r in &t.rows {
                        let cells: Vec<String> = r.iter().map(|c| md(c)).collect();
                        out.push_str(&format!("| {} |\n", cells.join(" | ")));
                    }
                }
            }
        }
        out
    }

    fn text(&self) -> String {
        let mut out = format!(
            "{}\n{}\n",
            self.title,
            "=".repeat(self.title.chars().count())
        );
        for b in &self.blocks {
            out.push('\n');
            match b {
                Block::Heading(h) => {
                    out.push_str(&format!("{h}\n{}\n", "-".repeat(h.chars().count())))
                }
                Block::Para(p) => out.push_str(&wrap(&text_paras(p), WIDTH, "")),
                Block::Fields(f) => {
                    let w = f.iter().map(|(k, _)| k.chars().count()).max().unwrap_or(0);
                    for (k, v) in f {
                        let pad = " ".repeat(w - k.chars().count());
                        let lead = format!("{k}:{pad}  ");
                        let indent = " ".repeat(lead.chars().count());
                        let body = wrap(
                            &text_paras(v),
                            WIDTH.saturating_sub(indent.len()).max(20),
                            &indent,
                        );
                        out.push_str(&lead);
                        out.push_str(body.trim_start());
                    }
                }
                Block::List(items) => {
                    for i in items {
                        let body = wrap(i, WIDTH - 2, "  ");
                        out.push_str("- ");
                        out.push_str(body.trim_start());
                    }
                }
                Block::Qa(items) => {
                    for (n, (q, a)) in items.iter().enumerate() {
                        if n > 0 {
                            out.push('\n');
                        }
                        out.push_str(&wrap(q, WIDTH, ""));
                        out.push_str(&wrap(&text_paras(a), WIDTH - 4, "    "));
                    }
                }
                Block::Footer(f) => {
                    out.push_str(&format!("{}\n", "-".repeat(WIDTH)));
                    out.push_str(&wrap(f, WIDTH, ""));
                }
                Block::Table(t) => {
                    let w = t.widths();
                    out.push_str(&t.text_row(&t.header, &w));
                    let total: usize = w.iter().sum::<usize>() + 2 * w.len().saturating_sub(1);
                    out.push_str(&format!("{}\n", "-".repeat(total)));
                    for r in &t.rows {
                        out.push_str(&t.text_row(r, &w));
                    }
                }
            }
        }
        out
    }

    fn html(&self) -> String {
        let mut body = format!("<h1>{}</h1>\n", esc(&self.title));
        for b in &self.blocks {
            match b {
                Block::Heading(h) => body.push_str(&format!("<h2>{}</h2>\n", esc(h))),
                Block::Para(p) => {
                    for para in paras(p) {
                        body.push_str(&format!("<p>{}</p>\n", esc(para)));
                    }
                }
                Block::Fields(f) => {
                    body.push_str("<dl>\n");
                    for (k, v) in f {
                        body.push_str(&format!("<dt>{}</dt><dd>{}</dd>\n", esc(k), html_paras(v)));
                    }
                    body.push_str("</dl>\n");
                }
                Block::List(items) => {
                    body.push_str("<ul>\n");
                    for i in items {
                        body.push_str(&format!("<li>{}</li>\n", esc(i)));
                    }
                    body.push_str("</ul>\n");
                }
                Block::Qa(items) => {
                    body.push_str("<div class=\"qa\">\n");
                    for (q, a) in items {
                        body.push_str(&format!(
                            "<section><h3>{}</h3>{}</section>\n",
                            esc(q),
                            match paras(a).as_slice() {
                                [_, _, ..] => html_paras(a),
                                _ => format!("<p>{}</p>", esc(a)),
                            }
                        ));
                    }
                    body.push_str("</div>\n");
                }
                Block::Footer(f) => body.push_str(&format!("<footer>{}</footer>\n", esc(f))),
                Block::Table(t) => {
                    let cell = |i: usize, tag: &str, c: &str| {
                        let class = if t.is_right(i) { " class=\"num\"" } else { "" };
                        format!("<{tag}{class}>{}</{tag}>", esc(c))
                    };
                    body.push_str("<table>\n<thead><tr>");
                    for (i, h) in t.header.iter().enumerate() {
                        body.push_str(&cell(i, "th", h));
                    }
                    body.push_str("</tr></thead>\n<tbody>\n");
                    for r in &t.rows {
                        body.push_str("<tr>");
                        for (i, c) in r.iter().enumerate() {
                            body.push_str(&cell(i, "td", c));
                        }
                        body.push_str("</tr>\n");
                    }
                    body.push_str("</tbody>\n</table>\n");
                }
            }
        }
        format!(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\" />\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n\
             <title>{}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n<main>\n{body}</main>\n</body>\n</html>\n",
            esc(&self.title)
        )
    }
}

const WIDTH: usize = 78;

const STYLE: &str = "body { font-family: Georgia, 'Times New Roman', serif; color: #222; background: #fff; margin: 0; }
main { max-width: 42rem; margin: 2rem auto; padding: 0 1.5rem; line-height: 1.5; }
h1 { font-size: 1.6rem; border-bottom: 2px solid #456; padding-bottom: .3rem; }
h2 { font-size: 1.2rem; color: #345; margin-top: 1.6rem; }
h3 { font-size: 1rem; margin: 1rem 0 .2rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
dt { font-weight: bold; }
dd { margin: 0; }
dd p { margin: 0 0 .5rem; }
dd p:last-child { margin-bottom: 0; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; font-size: .95rem; }
th, td { text-align: left; padding: .2rem .5rem; border-bottom: 1px solid #ccc; }
th { border-bottom: 2px solid #456; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
footer { margin-top: 2rem; border-top: 1px solid #999; padding-top: .5rem; font-size: .85rem; color: #555; }
@media print {
  body { font-size: 11pt; }
  main { max-width: none; margin: 0; padding: 0; }
  h2, h3 { break-after: avoid; }
  section, dl, tr { break-inside: avoid; }
  @page { margin: 2cm; }
}
";

/// A value's paragraphs: each line that is not blank (a note's section typed over several
/// lines or paragraphs).
pub fn paras(s: &str) -> Vec<&str> {
    s.lines()
        .map(str::trim_end)
        .filter(|l| !l.trim().is_empty())
        .collect()
}

/// A value for HTML: as it is when it is one paragraph, else each in its own `<p>`.
fn html_paras(s: &str) -> String {
    match paras(s).as_slice() {
        [_, _, ..] => paras(s)
            .iter()
            .map(|p| format!("<p>{}</p>", esc(p)))
            .collect(),
        _ => esc(s),
    }
}

/// A value for Markdown: paragraphs apart by a blank line, later ones indented by `indent`
/// (so they stay inside a list item).
fn md_paras(s: &str, indent: &str) -> String {
    match paras(s).as_slice() {
        [_, _, ..] => paras(s)
            .iter()
            .map(|p| md(p))
            .collect::<Vec<_>>()
            .join(&format!("\n\n{indent}")),
        _ => md(s),
    }
}

/// A value for plain text: paragraphs apart by a blank line.
fn text_paras(s: &str) -> String {
    match paras(s).as_slice() {
        [_, _, ..] => paras(s).join("\n\n"),
        _ => s.to_string(),
    }
}

/// Escapes text for HTML.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Escapes the characters Markdown would read as formatting.
pub fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' | '|'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Wraps text at `width` characters, each line starting with `indent`; paragraphs kept.
pub fn wrap(s: &str, width: usize, indent: &str) -> String {
    let mut out = String::new();
    for para in s.split('\n') {
        let mut line = String::new();
        for word in para.split_whitespace() {
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
                out.push_str(indent);
                out.push_str(&line);
                out.push('\n');
                line.clear();
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        if !line.is_empty() {
            out.push_str(indent);
            out.push_str(&line);
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escapes_everything() {
        let mut d = Document::new("A <b> & \"c\"");
        d.push(Block::Para("<script>alert('x')</script>".into()));
        let h = d.render(DocFormat::Html);
        assert!(!h.contains("<script>"));
        assert!(h.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
        assert!(h.contains("@media print"));
        assert!(!h.contains("http"), "no external assets");
    }

    #[test]
    fn tables_render_in_every_format() {
        let mut d = Document::new("Invoice");
        d.push(Block::Table(Table {
            header: vec!["Date".into(), "Amount".into()],
            rows: vec![
                vec!["2026-03-02".into(), "150.00".into()],
                vec!["<x>".into(), "5.00".into()],
            ],
            right: vec![false, true],
        }));
        let md = d.render(DocFormat::Md);
        assert!(
            md.contains(
                "| Date | Amount |\n|---|---:|\n| 2026-03-02 | 150.00 |\n| \\<x\\> | 5.00 |"
            ),
            "{md}"
        );
        let txt = d.render(DocFormat::Txt);
        assert!(
            txt.contains(
                "Date        Amount\n------------------\n2026-03-02  150.00\n<x>           5.00\n"
            ),
            "{txt}"
        );
        let html = d.render(DocFormat::Html);
        assert!(html.contains("<td class=\"num\">150.00</td>"));
        assert!(html.contains("<td>&lt;x&gt;</td>"));
        let pdf = d.pdf();
        assert!(pdf.starts_with(b"%PDF-"));
        assert!(pdf.ends_with(b"%%EOF") || pdf.ends_with(b"%%EOF\n"));
    }

    #[test]
    fn a_value_of_several_paragraphs_keeps_them_apart_in_every_format() {
        let mut d = Document::new("Record");
        d.push(Block::Fields(vec![
            ("Note".into(), "Session of Mon 2 Mar".into()),
            (
                "Plan".into(),
                "Keep the diary <daily>.\n\nPractise the breathing.\nReview in May.\n".into(),
            ),
        ]));
        d.push(Block::Para("One.\n\nTwo.".into()));
        let html = d.render(DocFormat::Html);
        assert!(
            html.contains(
                "<dt>Plan</dt><dd><p>Keep the diary &lt;daily&gt;.</p><p>Practise the breathing.</p><p>Review in May.</p></dd>"
            ),
            "{html}"
        );
        assert!(html.contains("<dt>Note</dt><dd>Session of Mon 2 Mar</dd>"));
        assert!(html.contains("<p>One.</p>\n<p>Two.</p>\n"), "{html}");
        let md = d.render(DocFormat::Md);
        assert!(
            md.contains(
                "- **Plan:** Keep the diary \\<daily\\>.\n\n  Practise the breathing.\n\n  Review in May.\n"
            ),
            "{md}"
        );
        let txt = d.render(DocFormat::Txt);
        assert!(
            txt.contains(
                "Plan:  Keep the diary <daily>.\n\n       Practise the breathing.\n\n       Review in May.\n"
            ),
            "{txt}"
        );
        assert!(txt.contains("One.\n\nTwo.\n"), "{txt}");
        assert!(
            !txt.lines().any(|l| l.ends_with(' ')),
            "no line ends in spaces"
        );
    }

    #[test]
    fn text_wraps_and_markdown_escapes() {
        let w = wrap(&"word ".repeat(40), 20, "  ");
        assert!(w.lines().all(|l| l.chars().count() <= 22));
        assert_eq!(md("a *b* _c_"), "a \\*b\\* \\_c\\_");
    }
}
