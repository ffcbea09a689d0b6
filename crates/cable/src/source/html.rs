//! WikiLeaks cable pages (cablegate.wikileaks.org, 2010-2011): metadata in a
//! table, the routing header and the body in `<pre>` blocks.

use crate::{Classification, DateTime, Error, Format, Result};

use super::SourceCable;

/// Reads a WikiLeaks cable page.
///
/// The classification is taken from the link text of the metadata table (its
/// `title` attribute is sometimes wrong). WikiLeaks' own markup inside the
/// text (paragraph anchors `¶`, TAGS links) is removed; entities are decoded.
pub fn read(page: &str) -> Result<SourceCable> {
    let table_at = find_ci(page, "<table class='cable'>")
        .or_else(|| find_ci(page, "<table class=\"cable\">"))
        .ok_or_else(|| Error::NotACable("HTML page without a WikiLeaks cable table".into()))?;
    let table_end = page[table_at..].find("</table>").map_or(page.len(), |p| table_at + p);
    let table = &page[table_at..table_end];
    let cells: Vec<&str> = cells(table);
    if cells.len() < 5 {
        return Err(Error::NotACable(format!("cable table has {} cells, expected 5", cells.len())));
    }
    let cell_text = |i: usize| decode_entities(&strip_tags(cells[i])).trim().to_owned();
    let published_id = cell_text(0);
    if published_id.is_empty() {
        return Err(Error::NotACable("cable table gives no reference id".into()));
    }
    let created = parse_page_date(&cell_text(1), "Created")?;
    let released = parse_page_date(&cell_text(2), "Released")?;
    let class_text = cell_text(3);
    let classification: Classification = class_text.parse()?;
    let origin = cell_text(4);
    let media = cells
        .iter()
        .skip(5)
        .find(|c| c.contains("Appears in these articles"))
        .map(|c| links(c))
        .unwrap_or_default();

    let pres = pre_blocks(&page[table_end..]);
    let (header, body) = match pres.as_slice() {
        [] => return Err(Error::NotACable(format!("{published_id}: page has no <pre> text block"))),
        [body] => (String::new(), body_text(body)),
        [.., header, body] => (body_text(header), body_text(body)),
    };
    Ok(SourceCable {
        format: Some(Format::WikileaksHtml),
        published_id: Some(published_id),
        created,
        released,
        classification: Some(classification),
        origin: Some(origin),
        subject: None,
        referenced_ids: Vec::new(),
        media,
        header,
        body,
    })
}

fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    hay.find(needle)
}

fn parse_page_date(text: &str, what: &str) -> Result<Option<DateTime>> {
    if text.is_empty() {
        return Ok(None);
    }
    text.parse::<DateTime>().map(Some).map_err(|e| Error::NotACable(format!("{what} date: {e}")))
}

/// The contents of each `<td>` of a table.
fn cells(table: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = table;
    while let Some(p) = rest.find("<td") {
        let Some(open_end) = rest[p..].find('>') else { break };
        let start = p + open_end + 1;
        let end = rest[start..].find("</td>").map_or(rest.len(), |e| start + e);
        out.push(&rest[start..end]);
        rest = &rest[end..];
    }
    out
}

/// Link texts of the `<a>` elements in a fragment.
fn links(fragment: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = fragment;
    while let Some(p) = rest.find("<a ") {
        let Some(open_end) = rest[p..].find('>') else { break };
        let start = p + open_end + 1;
        let Some(end) = rest[start..].find("</a>") else { break };
        let text = decode_entities(&rest[start..start + end]).trim().to_owned();
        if !text.is_empty() {
            out.push(text);
        }
        rest = &rest[start + end..];
    }
    out
}

/// The raw contents of every `<pre>` block, in order.
fn pre_blocks(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(p) = rest.find("<pre") {
        let Some(open_end) = rest[p..].find('>') else { break };
        let start = p + open_end + 1;
        let end = rest[start..].find("</pre>").map_or(rest.len(), |e| start + e);
        out.push(&rest[start..end]);
        rest = &rest[end..];
    }
    out
}

/// Text of a `<pre>` block: WikiLeaks' paragraph anchors (`<a id='par1'
/// href='#par1'>¶</a>`) dropped, other tags removed with their text kept,
/// entities decoded.
fn body_text(pre: &str) -> String {
    let mut out = String::with_capacity(pre.len());
    let mut rest = pre;
    while let Some(p) = rest.find('<') {
        out.push_str(&rest[..p]);
        let after = &rest[p..];
        if after.starts_with("<a id='par") || after.starts_with("<a id=\"par") {
            // The whole anchor, pilcrow included, is WikiLeaks' navigation.
            match after.find("</a>") {
                Some(e) => rest = &after[e + 4..],
                None => rest = "",
            }
            continue;
        }
        match after.find('>') {
            Some(e) => rest = &after[e + 1..],
            None => {
                out.push_str(after);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    decode_entities(&out)
}

fn strip_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Decodes the entities WikiLeaks pages use: numeric (`&#x000A;`, `&#39;`)
/// and the five XML ones. Unknown entities are kept as written.
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(p) = rest.find('&') {
        out.push_str(&rest[..p]);
        let after = &rest[p..];
        let semi = after.as_bytes().iter().take(12).position(|&b| b == b';');
        let decoded = semi.and_then(|e| {
            let ent = &after[1..e];
            let c = match ent {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                _ => {
                    let num = ent.strip_prefix('#')?;
                    let code = match num.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => num.parse().ok()?,
                    };
                    char::from_u32(code)
                }
            };
            c.map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &after[e + 1..];
            }
            None => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entities() {
        assert_eq!(decode_entities("a&#x000A;b &amp; &#39;c&#39; &bogus; &"), "a\nb & 'c' &bogus; &");
    }

    #[test]
    fn pre_text_drops_wikileaks_anchors() {
        let pre =
            "TAGS: <a href='/tag/PREL_0.html'>PREL</a>&#x000A;<a id='par1' href='#par1'>¶</a>1. (C) Text";
        assert_eq!(body_text(pre), "TAGS: PREL\n1. (C) Text");
    }

    #[test]
    fn rejects_pages_without_a_cable() {
        assert!(read("<html><body>hello</body></html>").is_err());
    }
}
