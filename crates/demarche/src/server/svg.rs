//! Pictures as SVG, inlined in pages: the per-month histogram of a search
//! (drawn with plotters) and the reference graph around a cable (drawn
//! by hand, so that each cable is a link).
//!
//! Both are made of presentation attributes only (no `style`), so the
//! Content-Security-Policy needs no exception; every text is escaped.

use maud::{html, Markup, PreEscaped};
use plotters::prelude::*;

use archive::query::FacetCount;

/// The months from the first to the last of `counts` (`YYYY-MM` values),
/// with zero for months without cables, in order.
pub fn every_month(counts: &[FacetCount]) -> Vec<(i32, u32, u64)> {
    let parse = |v: &str| -> Option<(i32, u32)> {
        let (y, m) = v.split_once('-')?;
        let (y, m) = (y.parse().ok()?, m.parse().ok()?);
        (1..=12).contains(&m).then_some((y, m))
    };
    let mut known: Vec<((i32, u32), u64)> =
        counts.iter().filter_map(|c| parse(&c.value).map(|ym| (ym, c.count))).collect();
    known.sort();
    let (Some(&(first, _)), Some(&(last, _))) = (known.first(), known.last()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let (mut y, mut m) = first;
    let mut at = 0;
    while (y, m) <= last && out.len() < 12 * 200 {
        let mut n = 0;
        while at < known.len() && known[at].0 == (y, m) {
            n += known[at].1;
            at += 1;
        }
        out.push((y, m, n));
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
    out
}

/// A bar chart of cables per month (an empty string when there are none).
pub fn histogram(counts: &[FacetCount]) -> String {
    let mut months = every_month(counts);
    if months.is_empty() {
        return String::new();
    }
    // At least a year wide, so that one month is not one wall-to-wall bar.
    while months.len() < 12 {
        let &(y, m, _) = months.last().unwrap_or(&(0, 1, 0));
        months.push(if m == 12 { (y + 1, 1, 0) } else { (y, m + 1, 0) });
    }
    let mut svg = String::new();
    let drawn = draw_histogram(&months, &mut svg);
    match drawn {
        Ok(()) => svg,
        Err(e) => {
            eprintln!("warning: histogram not drawn: {e}");
            String::new()
        }
    }
}

fn draw_histogram(months: &[(i32, u32, u64)], out: &mut String) -> Result<(), Box<dyn std::error::Error>> {
    let max = months.iter().map(|m| m.2).max().unwrap_or(1).max(1);
    let n = months.len() as u32;
    {
        let root = SVGBackend::with_string(out, (720, 180)).into_drawing_area();
        let mut chart = ChartBuilder::on(&root)
            .margin(8)
            .x_label_area_size(24)
            .y_label_area_size(40)
            .build_cartesian_2d(0u32..n, 0u64..max + max / 10 + 1)?;
        let first_year = months[0].0;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(12)
            .x_label_formatter(&|i: &u32| {
                months.get(*i as usize).map_or(String::new(), |&(y, m, _)| {
                    if months.len() > 36 {
                        format!("{y}")
                    } else if m == 1 || (*i == 0 && y == first_year) {
                        format!("{y}-{m:02}")
                    } else {
                        format!("{m:02}")
                    }
                })
            })
            .y_labels(4)
            .label_style(("sans-serif", 11))
            .draw()?;
        chart.draw_series(months.iter().enumerate().filter(|(_, m)| m.2 > 0).map(|(i, m)| {
            let i = i as u32;
            Rectangle::new([(i, 0), (i + 1, m.2)], RGBColor(0x1a, 0x4f, 0x8b).filled())
        }))?;
        root.present()?;
    }
    Ok(())
}

/// One cable in the reference graph picture.
pub struct GraphNode<'a> {
    /// Canonical id.
    pub id: &'a str,
    /// Whether the archive holds it (linked) or only knows it is cited.
    pub present: bool,
}

/// The cable in the middle, the cables it cites on the right, the cables
/// citing it on the left; each held cable is a link to its page. At most
/// `MAX_SIDE` on each side are drawn (the lists on the page have them all).
pub fn reference_graph(center: &str, cites: &[GraphNode<'_>], cited_by: &[GraphNode<'_>]) -> Markup {
    const MAX_SIDE: usize = 12;
    const ROW: i64 = 22;
    const WIDTH: i64 = 640;
    let rows = cites.len().min(MAX_SIDE).max(cited_by.len().min(MAX_SIDE)).max(1) as i64;
    let height = rows * ROW + 40;
    let mid_y = height / 2;
    let (left_x, mid_x, right_x) = (10, WIDTH / 2, WIDTH - 10);
    let side = |nodes: &[GraphNode<'_>], x: i64, anchor: &'static str, edge_x: i64| -> Markup {
        let shown = nodes.len().min(MAX_SIDE) as i64;
        let top = mid_y - (shown - 1) * ROW / 2;
        html! {
            @for (i, n) in nodes.iter().take(MAX_SIDE).enumerate() {
                @let y = top + i as i64 * ROW;
                line x1=(edge_x) y1=(y - 4) x2=(if anchor == "start" { mid_x - 60 } else { mid_x + 60 }) y2=(mid_y - 4) stroke="#999" {}
                @if n.present {
                    a href=(format!("/cable/{}", n.id)) {
                        text x=(x) y=(y) text-anchor=(anchor) font-family="sans-serif" font-size="12" fill="#1a4f8b" { (n.id) }
                    }
                } @else {
                    text x=(x) y=(y) text-anchor=(anchor) font-family="sans-serif" font-size="12" fill="#999" { (n.id) title { "not in the archive" } }
                }
            }
            @if nodes.len() > MAX_SIDE {
                text x=(x) y=(top + shown * ROW) text-anchor=(anchor) font-family="sans-serif" font-size="11" fill="#666" { "and " (nodes.len() - MAX_SIDE) " more" }
            }
        }
    };
    html! {
        svg xmlns="http://www.w3.org/2000/svg" width=(WIDTH) height=(height) viewBox=(format!("0 0 {WIDTH} {height}")) role="img" aria-label=(format!("References around {center}")) {
            text x=(left_x) y="14" font-family="sans-serif" font-size="11" fill="#666" { "cited by" }
            text x=(right_x) y="14" text-anchor="end" font-family="sans-serif" font-size="11" fill="#666" { "cites" }
            (side(cited_by, left_x, "start", left_x + 110))
            (side(cites, right_x, "end", right_x - 110))
            rect x=(mid_x - 60) y=(mid_y - 18) width="120" height="24" rx="4" fill="#fe6" stroke="#999" {}
            text x=(mid_x) y=(mid_y - 2) text-anchor="middle" font-family="sans-serif" font-size="12" font-weight="bold" { (center) }
        }
    }
}

/// The campaign timeline: one row per country (the first 30), one column
/// per month of [`archive::campaign::Campaign::months`]; a dot per month
/// with cables (area by count), a diamond per treaty event.
pub fn campaign_timeline(c: &archive::campaign::Campaign) -> Markup {
    const ROWS: usize = 30;
    const LABEL: f64 = 170.0;
    const ROW: f64 = 18.0;
    let months = c.months.len().max(1);
    let col = (620.0 / months as f64).clamp(3.0, 24.0);
    let width = LABEL + col * months as f64 + 10.0;
    let rows: Vec<_> = c.countries.iter().take(ROWS).collect();
    let height = 30.0 + ROW * rows.len() as f64;
    let max = rows.iter().flat_map(|k| k.per_month.iter().copied()).max().unwrap_or(1).max(1) as f64;
    let x = |i: usize| LABEL + col * (i as f64 + 0.5);
    let month_index = |m: &str| c.months.iter().position(|x| x.as_str() == m);
    html! {
        svg xmlns="http://www.w3.org/2000/svg" width=(width) height=(height) viewBox=(format!("0 0 {width} {height}")) role="img" aria-label=(format!("Timeline of the campaign {}", c.query)) {
            @for (i, m) in c.months.iter().enumerate() {
                @if m.ends_with("-01") || i == 0 {
                    line x1=(x(i)) y1="16" x2=(x(i)) y2=(height) stroke="#eee" {}
                    text x=(x(i)) y="12" font-family="sans-serif" font-size="10" fill="#666" text-anchor="middle" { (m.get(..4).unwrap_or(m)) }
                }
            }
            @for (r, k) in rows.iter().enumerate() {
                @let y = 30.0 + ROW * r as f64;
                text x=(LABEL - 6.0) y=(y + 4.0) text-anchor="end" font-family="sans-serif" font-size="11" { (k.country.name) }
                line x1=(LABEL) y1=(y) x2=(width - 10.0) y2=(y) stroke="#f3f3f3" {}
                @for (i, &n) in k.per_month.iter().enumerate() {
                    @if n > 0 {
                        circle cx=(x(i)) cy=(y) r=(format!("{:.1}", 2.0 + 6.0 * (n as f64 / max).sqrt())) fill="#1a4f8b" fill-opacity="0.8" {
                            title { (k.country.name) ", " (c.months.get(i).map_or("", |m| m.as_str())) ": " (n) @if n == 1 { " cable" } @else { " cables" } }
                        }
                    }
                }
                @for e in &k.events {
                    @if let Some(i) = month_index(&e.date.month_key()) {
                        path d=(format!("M{:.1} {:.1} l5 5 l-5 5 l-5 -5 z", x(i), y - 5.0)) fill="#c0392b" {
                            title { (k.country.name) ", " (e.date.to_string()) ": " (e.event) }
                        }
                    }
                }
            }
        }
    }
}

/// The heat map of coverage: one row per station (the `stations` with the
/// most cables held), one column per year; a cell's colour is the share of
/// the station's traffic held that year (on a log scale: 0.1% to 100%), and
/// each cell links to the station's page.
pub fn coverage_heat_map(c: &analysis::coverage::Coverage, stations: usize) -> Markup {
    use std::collections::BTreeMap;
    const LABEL: f64 = 120.0;
    const ROW: f64 = 14.0;
    let mut held: BTreeMap<&str, u64> = BTreeMap::new();
    for r in &c.rows {
        *held.entry(r.station.as_str()).or_default() += r.held;
    }
    let mut top: Vec<(&str, u64)> = held.into_iter().collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    top.truncate(stations);
    let (Some(first), Some(last)) =
        (c.rows.iter().map(|r| r.year).min(), c.rows.iter().map(|r| r.year).max())
    else {
        return html! {};
    };
    let years = usize::from(last - first) + 1;
    let col = (640.0 / years as f64).clamp(8.0, 28.0);
    let width = LABEL + col * years as f64 + 10.0;
    let height = 24.0 + ROW * top.len() as f64;
    let cells: BTreeMap<(&str, u16), &analysis::coverage::StationYear> =
        c.rows.iter().map(|r| ((r.station.as_str(), r.year), r)).collect();
    // Share to colour: 0.1% pale, 100% dark blue, log scale.
    let shade = |share: f64| -> String {
        let t = ((share.max(1e-3).log10() + 3.0) / 3.0).clamp(0.0, 1.0);
        let mix = |from: f64, to: f64| (from + (to - from) * t).round() as u8;
        format!("#{:02x}{:02x}{:02x}", mix(230.0, 26.0), mix(240.0, 79.0), mix(250.0, 139.0))
    };
    html! {
        svg xmlns="http://www.w3.org/2000/svg" width=(format!("{width:.0}")) height=(format!("{height:.0}")) viewBox=(format!("0 0 {width:.0} {height:.0}")) role="img" aria-label="Share of each station's traffic held, per year" {
            @for y in 0..years {
                @let year = first + y as u16;
                @if year.is_multiple_of(5) || y == 0 {
                    text x=(format!("{:.1}", LABEL + col * (y as f64 + 0.5))) y="12" font-family="sans-serif" font-size="10" fill="#666" text-anchor="middle" { (year) }
                }
            }
            @for (i, (station, _)) in top.iter().enumerate() {
                @let y0 = 18.0 + ROW * i as f64;
                text x=(LABEL - 6.0) y=(format!("{:.1}", y0 + ROW - 3.0)) text-anchor="end" font-family="sans-serif" font-size="11" { (station) }
                @for y in 0..years {
                    @let year = first + y as u16;
                    @if let Some(r) = cells.get(&(*station, year)) {
                        a href=(format!("/coverage/{station}#{year}")) {
                            rect x=(format!("{:.1}", LABEL + col * y as f64)) y=(format!("{y0:.1}")) width=(format!("{:.1}", col - 1.0)) height=(format!("{:.1}", ROW - 1.0)) fill=(shade(r.share)) {
                                title { (station) " " (year) ": " (r.held) " held of an estimated " (r.estimated) " (" (format!("{:.1}%", r.share * 100.0)) ")" }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Inlines an SVG string made here (trusted markup, escaped by its maker).
pub fn inline(svg: String) -> Markup {
    PreEscaped(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fc(v: &str, n: u64) -> FacetCount {
        FacetCount { value: v.into(), count: n }
    }

    #[test]
    fn months_are_filled_in_across_years() {
        let m = every_month(&[fc("2009-02", 3), fc("2008-11", 1), fc("bogus", 9)]);
        assert_eq!(m, vec![(2008, 11, 1), (2008, 12, 0), (2009, 1, 0), (2009, 2, 3)]);
        assert!(every_month(&[]).is_empty());
    }

    #[test]
    fn the_histogram_is_an_svg_with_one_bar_per_month_with_cables() {
        let svg = histogram(&[fc("2008-11", 1), fc("2009-02", 3)]);
        assert!(svg.starts_with("<svg"), "{svg}");
        assert!(!svg.contains("style="), "presentation attributes only, for the CSP");
        assert!(svg.contains("2008-11"), "labelled");
        assert_eq!(histogram(&[]), "");
    }

    #[test]
    fn graph_links_present_cables_and_escapes_ids() {
        let g = reference_graph(
            "08STATE134777",
            &[GraphNode { id: "08STATE125608", present: true }, GraphNode { id: "<x>", present: false }],
            &[GraphNode { id: "09KABUL1", present: true }],
        )
        .into_string();
        assert!(g.contains(r#"href="/cable/08STATE125608""#));
        assert!(g.contains(r#"href="/cable/09KABUL1""#));
        assert!(!g.contains("<x>") && g.contains("&lt;x&gt;"));
    }
}
