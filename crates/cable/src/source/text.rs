//! One cable per text file: line 1 the reference id, line 2 the subject,
//! line 3 the date, line 4 the classification, line 5 the origin, then the
//! text (a telegram: routing header, if any, and body).

use crate::{DateTime, Error, Format, Result};

use super::SourceCable;

/// Whether a line looks like a cable id (`08STATE134777`).
pub fn looks_like_id_line(line: &str) -> bool {
    let b = line.as_bytes();
    b.len() >= 4
        && b.len() <= 64
        && b[0].is_ascii_digit()
        && b[1].is_ascii_digit()
        && b[2].is_ascii_alphabetic()
        && b.last().is_some_and(u8::is_ascii_digit)
        && b.iter().all(|c| c.is_ascii_alphanumeric())
}

/// Reads a one-cable text file.
pub fn read(text: &str) -> Result<SourceCable> {
    let mut lines = text.splitn(6, '\n');
    let mut next = |what: &str| {
        lines
            .next()
            .map(|l| l.trim_end_matches('\r').trim().to_owned())
            .ok_or_else(|| Error::NotACable(format!("text file ends before line {what}")))
    };
    let id = next("1 (reference id)")?;
    if !looks_like_id_line(&id) {
        return Err(Error::NotACable(format!(
            "line 1 is not a cable id: {:?}",
            id.chars().take(60).collect::<String>()
        )));
    }
    let subject = next("2 (subject)")?;
    let date_line = next("3 (date)")?;
    let created = DateTime::parse_any(&date_line).map_err(|_| Error::InvalidDate {
        text: date_line.chars().take(80).collect(),
        expected:
            "on line 3 a date such as 2004-01-20 00:00, 1/20/2004 0:00 or Tue Jan 20 00:00:00 +0100 2004",
    })?;
    let class_line = next("4 (classification)")?;
    let classification = class_line.parse().map_err(|e: Error| Error::NotACable(format!("line 4: {e}")))?;
    let origin = next("5 (origin)")?;
    let rest = lines.next().unwrap_or("");
    // The text is a telegram: its routing header (when there is one) then
    // the body from the banner. Some files hold the header alone, and many
    // only the five metadata lines: still cables, known by their metadata.
    let (header, body) = match super::telegram::find_banner(rest) {
        Some(at) => (rest[..at].trim_end().to_owned(), rest[at..].to_owned()),
        None => super::telegram::split_unbannered(rest).unwrap_or_else(|| (String::new(), rest.to_owned())),
    };
    Ok(SourceCable {
        format: Some(Format::TextFile),
        published_id: Some(id),
        created: Some(created),
        released: None,
        classification: Some(classification),
        origin: Some(origin),
        subject: (!subject.is_empty()).then_some(subject),
        referenced_ids: Vec::new(),
        media: Vec::new(),
        header,
        body,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_five_metadata_lines() {
        let s = read("08STATE134777\nDEMARCHE TO AFGHANISTAN\n2008-12-29 16:04\nCONFIDENTIAL\nSecretary of State\nC O N F I D E N T I A L STATE 134777\n\nTEXT\n").unwrap();
        assert_eq!(s.published_id.as_deref(), Some("08STATE134777"));
        assert_eq!(s.subject.as_deref(), Some("DEMARCHE TO AFGHANISTAN"));
        assert_eq!(s.created.unwrap().to_string(), "2008-12-29T16:04Z");
        assert!(s.body.starts_with("C O N F"));
        assert!(read("08STATE134777\nS\nnot a date\nCONFIDENTIAL\nX\n")
            .unwrap_err()
            .to_string()
            .contains("line 3"));
    }

    #[test]
    fn reads_mirror_dates_and_files_without_text() {
        // Five lines only, with a Ruby-style time: a cable known by its metadata.
        let s = read(
            "04ABUJA123\nNIGERIA: ELECTIONS\nTue Jan 20 00:00:00 +0100 2004\nCONFIDENTIAL\nEmbassy Abuja",
        )
        .unwrap();
        assert_eq!(s.created.unwrap().to_string(), "2004-01-19T23:00Z");
        assert!(s.header.is_empty() && s.body.is_empty());
        // A routing header that ends where the file ends.
        let s = read("04ABUJA123\nS\n1/20/2004 9:15\nUNCLASSIFIED\nEmbassy Abuja\nR 200915Z JAN 04\nFM AMEMBASSY ABUJA\nTO RUEHC/SECSTATE WASHDC 0001\nINFO ECOWAS COLLECTIVE\n").unwrap();
        assert!(s.header.ends_with("INFO ECOWAS COLLECTIVE"), "{:?}", s.header);
        assert!(s.body.is_empty());
        let e = read("04ABUJA123\nS\nsometime in 2004\nUNCLASSIFIED\nX\n").unwrap_err().to_string();
        assert!(e.contains("line 3") && e.contains("sometime in 2004"), "{e}");
    }
}
