//! A document's plain-text rendering set as a PDF: US Letter, 10 pt Courier (one of the fonts
//! every PDF reader carries, so nothing is embedded), titles and headings in Courier-Bold.
//! The plain text is at most 78 characters wide, which fits the page with 1-inch margins.

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

const PAGE_W: f32 = 612.0;
const PAGE_H: f32 = 792.0;
const MARGIN: f32 = 60.0;
const SIZE: f32 = 10.0;
const LEADING: f32 = 12.5;

/// One printed line: its bytes in WinAnsi and whether it is bold.
struct Line {
    text: Vec<u8>,
    bold: bool,
}

/// Text in the WinAnsi encoding of the standard fonts; what it can't show becomes `?`.
fn win_ansi(s: &str) -> Vec<u8> {
    s.chars()
        .map(|c| match c {
            ' '..='~' => c as u8,
            '\u{a0}'..='\u{ff}' => c as u32 as u8,
            '€' => 0x80,
            '…' => 0x85,
            '‘' => 0x91,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '•' => 0x95,
            '–' => 0x96,
            '—' => 0x97,
            '→' => b'>',
            _ => b'?',
        })
        .collect()
}

/// Reads the plain text: a line underlined with `=` or `-` (a title or heading) is bold and
/// its underline is dropped.
fn lines(text: &str) -> Vec<Line> {
    let src: Vec<&str> = text.lines().collect();
    let mut out = Vec::with_capacity(src.len());
    let mut i = 0;
    while i < src.len() {
        let l = src[i];
        let underline = src.get(i + 1).is_some_and(|n| {
            !l.trim().is_empty()
                && n.chars().count() == l.chars().count()
                && (n.chars().all(|c| c == '=') || n.chars().all(|c| c == '-'))
        });
        out.push(Line {
            text: win_ansi(l),
            bold: underline,
        });
        i += if underline { 2 } else { 1 };
    }
    out
}

/// The PDF file for a document's title and its plain-text rendering.
pub fn render(title: &str, text: &str) -> Vec<u8> {
    let all = lines(text);
    let per_page = ((PAGE_H - 2.0 * MARGIN) / LEADING) as usize;
    let pages: Vec<&[Line]> = if all.is_empty() {
        vec![&[]]
    } else {
        all.chunks(per_page.max(1)).collect()
    };
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let regular = Ref::new(3);
    let bold = Ref::new(4);
    let info = Ref::new(5);
    let first_page = 6;
    let page_ref = |n: usize| Ref::new(first_page + 2 * n as i32);
    let content_ref = |n: usize| Ref::new(first_page + 2 * n as i32 + 1);

    let mut pdf = Pdf::new();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids((0..pages.len()).map(page_ref))
        .count(pages.len() as i32);
    pdf.type1_font(regular)
        .base_font(Name(b"Courier"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.type1_font(bold)
        .base_font(Name(b"Courier-Bold"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.document_info(info)
        .title(TextStr(title))
        .producer(TextStr("caseload"));
    for (n, chunk) in pages.iter().enumerate() {
        let mut page = pdf.page(page_ref(n));
        page.media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H));
        page.parent(tree);
        page.contents(content_ref(n));
        page.resources()
            .fonts()
            .pair(Name(b"R"), regular)
            .pair(Name(b"B"), bold);
        page.finish();
        let mut c = Content::new();
        let mut y = PAGE_H - MARGIN;
        for line in chunk.iter() {
            if !line.text.is_empty() {
                c.begin_text();
                c.set_font(Name(if line.bold { b"B" } else { b"R" }), SIZE);
                c.next_line(MARGIN, y);
                c.show(Str(&line.text));
                c.end_text();
            }
            y -= LEADING;
        }
        if pages.len() > 1 {
            let foot = format!("{} of {}", n + 1, pages.len());
            c.begin_text();
            c.set_font(Name(b"R"), 8.0);
            c.next_line(PAGE_W - MARGIN - 4.8 * foot.len() as f32, MARGIN / 2.0);
            c.show(Str(foot.as_bytes()));
            c.end_text();
        }
        pdf.stream(content_ref(n), &c.finish());
    }
    pdf.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_are_bold_and_text_is_win_ansi() {
        let l = lines("Invoice\n=======\n\nTotal — €5\nPlan\n----\nx");
        assert_eq!(l.len(), 5);
        assert!(l[0].bold);
        assert!(!l[2].bold);
        assert_eq!(l[2].text, b"Total \x97 \x805".to_vec());
        assert!(l[3].bold);
        assert_eq!(win_ansi("日本"), b"??".to_vec());
    }

    #[test]
    fn long_documents_run_over_pages() {
        let text: String = (0..200).map(|i| format!("line {i}\n")).collect();
        let pdf = render("Ledger", &text);
        assert!(pdf.starts_with(b"%PDF-1.7"));
        let s = String::from_utf8_lossy(&pdf);
        assert!(s.contains("/Count 4"), "200 lines at 53 a page are 4 pages");
        assert!(s.contains("/BaseFont /Courier-Bold"));
    }
}
