//! `demarche campaign QUERY`: a campaign across embassies and years, per
//! country, with action requests, replies and treaty events.

use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;

use archive::campaign::{Campaign, CampaignRequest, CountryCampaign, Reach};
use archive::events::{ordinal_suffix, Consent};
use archive::Archive;
use clap::Args;

use crate::render::cut;

/// Arguments of `demarche campaign`.
#[derive(Debug, Args)]
pub struct CampaignArgs {
    /// The query selecting the campaign's cables, in the search language
    /// (`'"cluster munitions" OR CCM'`).
    #[arg(value_name = "QUERY", allow_hyphen_values = true)]
    pub query: String,
    /// Join the events of this treaty (as imported with `demarche events
    /// import`): every country with an event is listed, with its place in
    /// the order of ratification.
    #[arg(long, value_name = "TREATY")]
    pub treaty: Option<String>,
    /// Print JSON (the whole campaign).
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    /// Print CSV: one row per country (see --per-month).
    #[arg(long)]
    pub csv: bool,
    /// With --csv: one row per country and month with cables or events.
    #[arg(long, requires = "csv")]
    pub per_month: bool,
}

impl CampaignArgs {
    /// Computes and prints the campaign.
    pub fn run(self, dir: &Path) -> anyhow::Result<ExitCode> {
        let archive = Archive::open(dir)?;
        let c =
            archive.campaign(&CampaignRequest { query: self.query.clone(), treaty: self.treaty.clone() })?;
        let mut out = std::io::stdout().lock();
        if self.json {
            serde_json::to_writer_pretty(&mut out, &c)?;
            writeln!(out)?;
        } else if self.csv {
            if self.per_month {
                write_csv_per_month(&mut out, &c)?;
            } else {
                write_csv(&mut out, &c)?;
            }
        } else {
            write_text(&mut out, &c)?;
        }
        Ok(ExitCode::SUCCESS)
    }
}

/// `1st`, or `2nd-3rd` for a tie.
fn rank(o: &Consent) -> String {
    if o.ordinal == o.ordinal_last {
        ordinal_suffix(o.ordinal)
    } else {
        format!("{}-{}", ordinal_suffix(o.ordinal), ordinal_suffix(o.ordinal_last))
    }
}

/// A country's events, `DATE KIND (RANK)`; with the treaty's name when the
/// campaign joins no treaty (the events may then be of several).
fn events_summary(c: &CountryCampaign, name_treaty: bool) -> String {
    c.events
        .iter()
        .map(|e| {
            let mut s = format!("{} {}", e.date, e.kind.name());
            if name_treaty {
                s.push_str(&format!(" of {}", e.treaty));
            }
            if let Some(o) = c.consent.as_ref().filter(|o| o.event_id == e.id) {
                s.push_str(&format!(" ({})", rank(o)));
            }
            s
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn write_text(out: &mut impl std::io::Write, c: &Campaign) -> std::io::Result<()> {
    let with_cables = c.countries.iter().filter(|k| k.cable_count > 0).count();
    writeln!(
        out,
        "campaign {:?}: {} cables match, {} countries with cables, {} action requests{}",
        c.query,
        c.matched,
        with_cables,
        c.action_requests.len(),
        c.treaty
            .as_ref()
            .map_or(String::new(), |t| format!("; treaty {t:?}: {} states consented", c.consent_order.len()))
    )?;
    if c.countries.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(
        out,
        "{:<28} {:>6} {:>4} {:>5} {:>5} {:>4} {:>5}  {:<10}  {:<10}  EVENTS",
        "COUNTRY", "CABLES", "TAG", "ORIG", "ADDR", "REQ", "REPL", "FIRST", "LAST"
    )?;
    for k in &c.countries {
        writeln!(
            out,
            "{:<28} {:>6} {:>4} {:>5} {:>5} {:>4} {:>5}  {:<10}  {:<10}  {}",
            cut(&format!("{} ({})", k.country.name, k.country.code), 28),
            k.cable_count,
            k.reached.tag,
            k.reached.origin,
            k.reached.addressee,
            k.action_requests.len(),
            k.replies.len(),
            k.first.as_deref().unwrap_or("-"),
            k.last.as_deref().unwrap_or("-"),
            events_summary(k, c.treaty.is_none())
        )?;
    }
    writeln!(out, "(TAG, ORIG, ADDR: cables reaching the country by TAGS code, origin station, addressee post; REQ: action requests to its posts; REPL: replies from them)")?;

    writeln!(out)?;
    writeln!(out, "cables by country:")?;
    for k in c.countries.iter().filter(|k| k.cable_count > 0) {
        let months: Vec<String> = c
            .months
            .iter()
            .zip(&k.per_month)
            .filter(|(_, n)| **n > 0)
            .map(|(m, n)| format!("{m}:{n}"))
            .collect();
        writeln!(out, "  {} ({})  per month: {}", k.country.name, k.country.code, months.join(" "))?;
        for cb in &k.cables {
            let mut how: Vec<String> = cb.reached.iter().map(|r| r.name().to_owned()).collect();
            if cb.reached.contains(&Reach::Addressee) || cb.reached.contains(&Reach::Origin) {
                how.push(cb.stations.join("+"));
            }
            let mut notes = Vec::new();
            if cb.action_request {
                notes.push("ACTION REQUEST".to_owned());
            }
            if !cb.reply_to.is_empty() {
                notes.push(format!("reply to {}", cb.reply_to.join(", ")));
            }
            if !cb.matched {
                notes.push("not matching the query".to_owned());
            }
            writeln!(
                out,
                "    {:<20} {:<10}  {:<26} {}{}",
                cb.id,
                cb.date.as_deref().unwrap_or("-"),
                cut(&how.join(" "), 26),
                cut(&cb.subject, 70),
                if notes.is_empty() { String::new() } else { format!("  [{}]", notes.join("; ")) }
            )?;
        }
    }
    if !c.unplaced.is_empty() {
        writeln!(out, "  no country: {}", c.unplaced.join(" "))?;
    }

    if !c.action_requests.is_empty() {
        writeln!(out)?;
        writeln!(out, "action requests:")?;
        for r in &c.action_requests {
            writeln!(out, "  {} {}  {}", r.id, r.date.as_deref().unwrap_or("-"), r.subject)?;
            let posts = |list: &[archive::campaign::Post]| -> String {
                list.iter()
                    .map(|p| match &p.country {
                        Some(k) => format!("{} ({})", p.addressee, k.name),
                        None => p.addressee.clone(),
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            writeln!(out, "    to:      {}", if r.posts.is_empty() { "-".into() } else { posts(&r.posts) })?;
            if !r.info.is_empty() {
                writeln!(out, "    info:    {}", posts(&r.info))?;
            }
            writeln!(out, "    why:")?;
            for s in &r.signals {
                let place = s.paragraph.map_or("subject".to_owned(), |p| format!("para {p}"));
                writeln!(out, "      - {} ({place}): {:?}", s.signal, s.context)?;
            }
            if r.replies.is_empty() {
                writeln!(out, "    replies: none in the archive")?;
            } else {
                writeln!(out, "    replies:")?;
                for p in &r.replies {
                    writeln!(out, "      {} {}  {}", p.id, p.date.as_deref().unwrap_or("-"), p.subject)?;
                }
            }
            if !r.cited_by_others.is_empty() {
                writeln!(out, "    also cited by: {}", r.cited_by_others.join(" "))?;
            }
        }
    }

    if !c.consent_order.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "order of consent to be bound by {} (ties share a rank; * has cables here):",
            c.treaty.as_deref().unwrap_or("the treaty")
        )?;
        for o in &c.consent_order {
            let has_cables =
                c.countries.iter().any(|k| k.country.code == o.country.code && k.cable_count > 0);
            writeln!(
                out,
                "  {:>9}  {:<10}  {:<13} {}{}",
                rank(o),
                o.date.to_string(),
                o.kind.name(),
                o.country.name,
                if has_cables { " *" } else { "" }
            )?;
        }
    }
    Ok(())
}

/// A CSV field, quoted when needed.
fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

fn row(out: &mut impl std::io::Write, fields: &[String]) -> std::io::Result<()> {
    let line: Vec<String> = fields.iter().map(|f| field(f)).collect();
    writeln!(out, "{}", line.join(","))
}

/// One row per country.
fn write_csv(out: &mut impl std::io::Write, c: &Campaign) -> std::io::Result<()> {
    row(
        out,
        &[
            "code",
            "iso",
            "name",
            "cables",
            "by_tag",
            "by_origin",
            "by_addressee",
            "replies",
            "first",
            "last",
            "action_requests",
            "reply_ids",
            "cable_ids",
            "events",
            "consent_kind",
            "consent_date",
            "consent_ordinal",
            "consent_ordinal_last",
        ]
        .map(String::from),
    )?;
    for k in &c.countries {
        let consent = k.consent.as_ref();
        row(
            out,
            &[
                k.country.code.to_owned(),
                k.country.iso.to_owned(),
                k.country.name.to_owned(),
                k.cable_count.to_string(),
                k.reached.tag.to_string(),
                k.reached.origin.to_string(),
                k.reached.addressee.to_string(),
                k.reached.reply.to_string(),
                k.first.clone().unwrap_or_default(),
                k.last.clone().unwrap_or_default(),
                k.action_requests.join(" "),
                k.replies.join(" "),
                k.cables.iter().map(|c| c.id.as_str()).collect::<Vec<_>>().join(" "),
                events_summary(k, c.treaty.is_none()),
                consent.map(|o| o.kind.name().to_owned()).unwrap_or_default(),
                consent.map(|o| o.date.to_string()).unwrap_or_default(),
                consent.map(|o| o.ordinal.to_string()).unwrap_or_default(),
                consent.map(|o| o.ordinal_last.to_string()).unwrap_or_default(),
            ],
        )?;
    }
    Ok(())
}

/// One row per country and month with cables or events.
fn write_csv_per_month(out: &mut impl std::io::Write, c: &Campaign) -> std::io::Result<()> {
    row(
        out,
        &["code", "iso", "name", "month", "cables", "cable_ids", "action_requests", "replies", "events"]
            .map(String::from),
    )?;
    for k in &c.countries {
        for (i, month) in c.months.iter().enumerate() {
            let in_month = |d: &Option<String>| d.as_deref().is_some_and(|d| d.starts_with(month.as_str()));
            let cables: Vec<&archive::campaign::CountryCable> =
                k.cables.iter().filter(|cb| in_month(&cb.date)).collect();
            let events: Vec<String> = k
                .events
                .iter()
                .filter(|e| e.date.month_key() == *month)
                .map(|e| match &c.treaty {
                    Some(_) => format!("{} {}", e.date, e.kind.name()),
                    None => format!("{} {} of {}", e.date, e.kind.name(), e.treaty),
                })
                .collect();
            if k.per_month[i] == 0 && events.is_empty() {
                continue;
            }
            row(
                out,
                &[
                    k.country.code.to_owned(),
                    k.country.iso.to_owned(),
                    k.country.name.to_owned(),
                    month.clone(),
                    k.per_month[i].to_string(),
                    cables.iter().map(|cb| cb.id.as_str()).collect::<Vec<_>>().join(" "),
                    cables
                        .iter()
                        .filter(|cb| cb.action_request)
                        .map(|cb| cb.id.as_str())
                        .collect::<Vec<_>>()
                        .join(" "),
                    cables
                        .iter()
                        .filter(|cb| !cb.reply_to.is_empty())
                        .map(|cb| cb.id.as_str())
                        .collect::<Vec<_>>()
                        .join(" "),
                    events.join("; "),
                ],
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_csv_fields_only_when_needed() {
        assert_eq!(field("Afghanistan"), "Afghanistan");
        assert_eq!(field("Congo, Rep."), "\"Congo, Rep.\"");
        assert_eq!(field("say \"no\""), "\"say \"\"no\"\"\"");
        assert_eq!(
            rank(&Consent {
                country: *cable::country::country_by_code("AF").unwrap(),
                date: archive::events::EventDate::parse("2011-09-08").unwrap(),
                kind: archive::events::EventKind::Ratification,
                event_id: 1,
                ordinal: 61,
                ordinal_last: 62,
            }),
            "61st-62nd"
        );
    }
}
