//! Campaigns: a diplomatic effort seen across embassies and years, joined
//! with what each country then did about a treaty.
//!
//! A campaign starts from a search query (`"cluster munitions" OR CCM`).
//! Every matching cable is placed under the countries it concerns:
//!
//! - [`Reach::Tag`]: the country codes of its TAGS (`AF`, `UK`; regions such
//!   as `XA` and organisations are skipped);
//! - [`Reach::Origin`]: the country of the station it comes from (`09LONDON2598`
//!   -> United Kingdom; missions such as `USNATO` belong to no country);
//! - [`Reach::Addressee`]: for cables of the State Department (station
//!   `STATE`, "SECSTATE WASHDC"), the countries of the posts among its TO
//!   and INFO addressees (`AMEMBASSY KABUL` -> Afghanistan).
//!
//! The United States is never reached by origin or addressee (every State
//! cable comes from it and many are copied to Washington agencies), only by
//! a `US` tag. Countries listed under several TAGS codes count once under
//! the preferred code ([`cable::country::preferred`]).
//!
//! # Action requests
//!
//! A State Department cable is an *action request* when its text asks posts
//! to act: it says so ("This is an action request", an "ACTION REQUEST"
//! heading), the Department requests or instructs posts ("The Department
//! requests that Post approach...", "Posts are requested to...", "Request
//! Embassy Berlin approach..."), it asks to deliver points ("please
//! deliver", "deliver the following talking points", "draw on the points"),
//! to "approach (appropriate) host government officials" or to "report
//! results", or its subject names a DEMARCHE. Each cable lists the
//! [`ActionSignal`]s that made it one, with the paragraph and the words, so
//! a reader can judge. Cables from posts are never action requests here, even
//! when they contain one (posts ask Washington for things too): the
//! campaign is about posts being asked to approach governments.
//!
//! The posts a request went to are its TO addressees outside the United
//! States; its *replies* are the cables whose REF cites it and that come
//! from one of its addressees' stations (TO or INFO), found through the
//! reference graph whether or not they match the query. Other cables citing
//! it are listed apart.
//!
//! # Events
//!
//! With a treaty, the campaign joins the treaty's [events](crate::events):
//! every country with an event is listed (with or without cables), with its
//! events and its place in the [order of consent](crate::events::consent_order).
//! Without a treaty, the countries reached by cables are shown with all
//! their stored events.
//!
//! # Cost
//!
//! The matching ids come from one pass over the index's id column; each
//! matching cable is then read once from the store, decoded without its raw
//! text (and without its paragraphs unless it is a State cable), about 0.2
//! ms a cable; each action request's citing cables come from the reference
//! graph's index. On the 1,295-cable corpus: `"cluster munitions" OR CCM` (5
//! cables) 2 ms, `tag:PARM` (114) 21 ms, `iran AND nuclear` (221) 55 ms,
//! every cable 250 ms (`cargo bench -p archive`). The cost grows with the
//! number of matching cables, not with the size of the archive: at Cablegate
//! scale (250,000 cables) a campaign of 5,000 cables takes about a second.
//! Broader queries are refused beyond [`MAX_CABLES`].

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use cable::country::{self, Country};
use cable::{Cable, Paragraph, RefId};
use regex::Regex;
use serde::Serialize;

use crate::events::{consent_order, Consent, Event};
use crate::{Archive, Error, Result};

/// The most cables a campaign reads; a broader query is refused with a hint to narrow it.
pub const MAX_CABLES: usize = 25_000;

/// A campaign to compute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignRequest {
    /// The search query selecting the campaign's cables (see [`crate::query::syntax`]).
    pub query: String,
    /// The treaty whose events to join (as imported, without regard to case).
    pub treaty: Option<String>,
}

impl CampaignRequest {
    /// A campaign for a query, without a treaty.
    pub fn new(query: impl Into<String>) -> CampaignRequest {
        CampaignRequest { query: query.into(), treaty: None }
    }
}

/// How a cable reached a country.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Reach {
    /// A country code of its TAGS.
    Tag,
    /// The country of the station it comes from.
    Origin,
    /// The country of a post among the TO or INFO addressees of a State Department cable.
    Addressee,
}

impl Reach {
    /// `tag`, `origin`, `addressee`.
    pub fn name(self) -> &'static str {
        match self {
            Reach::Tag => "tag",
            Reach::Origin => "origin",
            Reach::Addressee => "addressee",
        }
    }
}

/// A cable under a country.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CountryCable {
    /// Canonical id.
    pub id: String,
    /// Created, `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Origin (`Embassy Kabul`).
    pub origin: String,
    /// Subject.
    pub subject: String,
    /// How it reached the country (empty for a reply that does not match the query,
    /// which is there as a reply from the country's post).
    pub reached: Vec<Reach>,
    /// The stations through which (its origin's, or the addressees'), canonical.
    pub stations: Vec<String>,
    /// Whether it matches the query (a reply found through the reference graph may not).
    pub matched: bool,
    /// Whether it is an action request.
    pub action_request: bool,
    /// The action requests it replies to.
    pub reply_to: Vec<String>,
}

/// How many of a country's cables reached it each way (a cable may count under several).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReachCounts {
    /// By a TAGS country code.
    pub tag: usize,
    /// By the origin station's country.
    pub origin: usize,
    /// By an addressee post's country.
    pub addressee: usize,
    /// Replies from the country's posts to the campaign's action requests.
    pub reply: usize,
}

/// One country of a campaign.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CountryCampaign {
    /// The country.
    pub country: Country,
    /// Its cables (matching ones and replies).
    pub cable_count: usize,
    /// How they reached it.
    pub reached: ReachCounts,
    /// Date of the first cable, `YYYY-MM-DD`.
    pub first: Option<String>,
    /// Date of the last cable.
    pub last: Option<String>,
    /// Cables per month, aligned with [`Campaign::months`].
    pub per_month: Vec<usize>,
    /// The cables, by date.
    pub cables: Vec<CountryCable>,
    /// Action requests sent to posts in the country (TO addressees).
    pub action_requests: Vec<String>,
    /// Replies from its posts to the campaign's action requests.
    pub replies: Vec<String>,
    /// Its events (of the treaty, when one is given), by date.
    pub events: Vec<Event>,
    /// Its consent to be bound by the treaty and place in the order, when a
    /// treaty is given and the country consented.
    pub consent: Option<Consent>,
}

/// Why a cable was taken for an action request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActionSignal {
    /// What the signal is (`says it is an action request`, `the Department requests posts`).
    pub signal: &'static str,
    /// Whether it is enough alone (see [`is_action_request`]).
    pub strong: bool,
    /// The paragraph it is in (0: text before the first numbered one); `None` for the subject.
    pub paragraph: Option<u32>,
    /// The words that matched, as written (white space collapsed).
    pub matched: String,
    /// The matched words with some text around them.
    pub context: String,
}

/// An addressee of an action request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Post {
    /// The addressee as the header names it (`AMEMBASSY KABUL`).
    pub addressee: String,
    /// `to` (action) or `info`.
    pub role: &'static str,
    /// Its station, canonical, when it is a known station (`KABUL`, `USNATO`).
    pub station: Option<String>,
    /// The station's country (`None` for missions and collectives).
    pub country: Option<Country>,
}

/// A reply to an action request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reply {
    /// Canonical id.
    pub id: String,
    /// Created, `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Subject.
    pub subject: String,
    /// The station it comes from.
    pub station: String,
    /// Its country.
    pub country: Option<Country>,
    /// Whether it matches the query.
    pub matched: bool,
}

/// A cable asking posts to act.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActionRequest {
    /// Canonical id.
    pub id: String,
    /// Created, `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Subject.
    pub subject: String,
    /// Why it is taken for an action request.
    pub signals: Vec<ActionSignal>,
    /// The posts it went to: TO addressees outside the United States.
    pub posts: Vec<Post>,
    /// INFO addressees outside the United States.
    pub info: Vec<Post>,
    /// Cables from its addressees' stations citing it, by date.
    pub replies: Vec<Reply>,
    /// Other cables citing it (follow-ups, other posts), sorted.
    pub cited_by_others: Vec<String>,
}

/// A campaign: the cables of a query, per country, with action requests,
/// replies and treaty events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Campaign {
    /// The query.
    pub query: String,
    /// The treaty joined, as given.
    pub treaty: Option<String>,
    /// Number of cables matching the query.
    pub matched: usize,
    /// Every month from the earliest to the latest cable or event shown,
    /// `YYYY-MM`: the axis of [`CountryCampaign::per_month`].
    pub months: Vec<String>,
    /// The countries: those with cables first (most cables first), then
    /// those with only events (by order of consent, then name).
    pub countries: Vec<CountryCampaign>,
    /// The action requests among the matching cables, by date.
    pub action_requests: Vec<ActionRequest>,
    /// The treaty's order of consent (empty without a treaty).
    pub consent_order: Vec<Consent>,
    /// Matching cables that reached no country, sorted.
    pub unplaced: Vec<String>,
}

struct Signal {
    label: &'static str,
    /// Enough alone; the others count when there are two of them.
    strong: bool,
    regex: Regex,
}

fn signal(label: &'static str, strong: bool, pattern: &str) -> Signal {
    Signal { label, strong, regex: Regex::new(pattern).expect("signal pattern compiles") }
}

/// Signals looked for in the body (and subject) of State Department cables.
static BODY_SIGNALS: LazyLock<Vec<Signal>> = LazyLock::new(|| {
    const POSTS: &str = r"(?:posts?|embass(?:y|ies)|missions?|consulates?|addressees?|addressee posts|action addressees|all posts|chiefs? of mission|ambassadors?|charges?|usun|usnato|useu|usosce|usoecd|unvie|usmission)";
    vec![
        signal("says it is an action request", true, r"(?i)\baction[ -]requests?\b"),
        signal(
            "the Department requests posts",
            true,
            &format!(
                r"(?i)\bdepartment (?:requests|asks|instructs|directs)(?: that)?(?: the)?(?: (?:all|each|every|relevant|action|addressee))* {POSTS}\b"
            ),
        ),
        signal(
            "posts are requested to act",
            true,
            &format!(
                r"(?i)\b{POSTS}(?: \w+){{0,3}} (?:is|are|should be) (?:hereby )?(?:requested|instructed|asked|directed)\b"
            ),
        ),
        signal(
            "requests a post to approach",
            true,
            &format!(
                r"(?i)\brequests? (?:that )?{POSTS}\b[^.]{{0,60}}?\b(?:approach|deliver|demarche|raise|convey|inform|share|contact|urge|seek)\b"
            ),
        ),
        signal(
            "asks to deliver",
            true,
            r"(?i)\bplease (?:deliver|demarche|approach|convey|raise|pass|share)\b",
        ),
        signal(
            "asks to approach the host government",
            false,
            r"(?i)\bapproach (?:(?:the|appropriate|senior|relevant|host|working[- ]level) )*(?:host[- ](?:government|nation|country)|government|interlocutors|officials|counterparts|authorities|ministry|mfa)\b",
        ),
        signal(
            "asks to deliver points or a demarche",
            false,
            r"(?i)\b(?:deliver|draw on|draw upon|make|convey|conduct|carry out) (?:(?:the|these|following|this|a|our|its) )*(?:talking points|points|demarche|non-?paper)\b",
        ),
        signal(
            "asks to report the response",
            false,
            r"(?i)\breport (?:the )?(?:results|responses?|reactions?|host government(?:'s|,s|’s)? (?:response|reaction))\b",
        ),
    ]
});

static SUBJECT_DEMARCHE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\bdemarche\b").expect("compiles"));

/// White space collapsed to single spaces.
fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `text[start..end]` with up to `around` characters either side, cut at spaces.
fn context(text: &str, start: usize, end: usize, around: usize) -> String {
    let mut from = start;
    let mut n = 0;
    while from > 0 && n < around {
        from -= 1;
        while !text.is_char_boundary(from) {
            from -= 1;
        }
        n += 1;
    }
    if from > 0 && !text[..from].ends_with(' ') {
        from = text[from..start].find(' ').map_or(from, |i| from + i + 1);
    }
    let mut to = end;
    n = 0;
    while to < text.len() && n < around {
        to += 1;
        while !text.is_char_boundary(to) {
            to += 1;
        }
        n += 1;
    }
    if to < text.len() && !text[to..].starts_with(' ') {
        to = text[end..to].rfind(' ').map_or(to, |i| end + i);
    }
    format!(
        "{}{}{}",
        if from > 0 { "…" } else { "" },
        &text[from..to],
        if to < text.len() { "…" } else { "" }
    )
}

/// The action-request signals of a cable: each kind once, at its first
/// place (subject, then paragraphs), skipping words already taken by an
/// earlier signal and matches followed by "not" ("the Department instructs
/// post not to..."). Whether they make an action request is
/// [`is_action_request`]'s call.
pub fn action_signals(c: &Cable) -> Vec<ActionSignal> {
    signals_of(&c.subject, &c.paragraphs)
}

fn signals_of(subject: &str, paragraphs: &[Paragraph]) -> Vec<ActionSignal> {
    let mut out: Vec<ActionSignal> = Vec::new();
    let subject = collapse(subject);
    if let Some(m) = SUBJECT_DEMARCHE.find(&subject) {
        out.push(ActionSignal {
            signal: "the subject names a demarche",
            strong: true,
            paragraph: None,
            matched: m.as_str().to_owned(),
            context: subject.clone(),
        });
    }
    let texts = std::iter::once((None, subject))
        .chain(paragraphs.iter().map(|p| (Some(p.number), collapse(&p.text))));
    for (paragraph, text) in texts {
        let mut taken: Vec<(usize, usize)> = Vec::new();
        for s in BODY_SIGNALS.iter() {
            if out.iter().any(|o| o.signal == s.label) {
                continue;
            }
            let found = s.regex.find_iter(&text).find(|m| {
                let negated = text[m.end()..].to_lowercase().starts_with(" not ");
                let overlaps = taken.iter().any(|&(a, b)| m.start() < b && a < m.end());
                !negated && !overlaps
            });
            if let Some(m) = found {
                taken.push((m.start(), m.end()));
                out.push(ActionSignal {
                    signal: s.label,
                    strong: s.strong,
                    paragraph,
                    matched: m.as_str().to_owned(),
                    context: context(&text, m.start(), m.end(), 70),
                });
            }
        }
    }
    out
}

/// Whether signals make an action request: one strong signal (it says it is
/// one, the subject names a demarche, the Department requests posts, posts
/// are requested, "please deliver"), or two of the others (approach the host
/// government, deliver points, report the response).
pub fn is_action_request(signals: &[ActionSignal]) -> bool {
    signals.iter().any(|s| s.strong) || signals.len() >= 2
}

/// Whether a cable comes from the State Department in Washington.
fn from_state(id: &RefId) -> bool {
    id.station() == "STATE"
}

/// What a campaign reads of a cable: all but the raw text, and the
/// paragraphs only for State Department cables (decoding a cable without
/// its raw text and paragraphs takes a fraction of the time).
#[derive(serde::Deserialize)]
struct Outline {
    id: RefId,
    created: Option<cable::DateTime>,
    origin: String,
    header: cable::Header,
    tags: Vec<cable::Tag>,
    subject: String,
    #[serde(default)]
    paragraphs: Vec<Paragraph>,
}

/// [`Outline`] without the paragraphs.
#[derive(serde::Deserialize)]
struct OutlineWithoutText {
    id: RefId,
    created: Option<cable::DateTime>,
    origin: String,
    header: cable::Header,
    tags: Vec<cable::Tag>,
    subject: String,
}

impl Archive {
    fn outline(&self, id: &str) -> Result<Outline> {
        if RefId::parse(id).is_ok_and(|i| from_state(&i)) {
            return self.store.latest_as(id);
        }
        let o: OutlineWithoutText = self.store.latest_as(id)?;
        Ok(Outline {
            id: o.id,
            created: o.created,
            origin: o.origin,
            header: o.header,
            tags: o.tags,
            subject: o.subject,
            paragraphs: Vec::new(),
        })
    }
}

/// Whether an addressee line that is no known station still names posts
/// (`ALL NATO POST COLLECTIVE`, `AMCONSUL X`), rather than a Washington
/// office or a fragment of header left by the parser (`PAGE 02 STATE...`).
fn names_posts(name: &str) -> bool {
    let n = name.to_uppercase();
    !n.contains("WASHINGTON")
        && !n.contains("WASHDC")
        && ["COLLECTIVE", "EMBASSY", "AMCONSUL", "CONSULATE", "USMISSION", "USINT", "POSTS"]
            .iter()
            .any(|w| n.contains(w))
}

fn country_of(station: &str) -> Option<&'static Country> {
    country::country_of_station(station).map(country::preferred)
}

/// The countries a cable reached, each with how and through which stations.
fn reach_of(c: &Outline) -> BTreeMap<&'static str, (&'static Country, BTreeSet<Reach>, BTreeSet<String>)> {
    let mut out: BTreeMap<&'static str, (&'static Country, BTreeSet<Reach>, BTreeSet<String>)> =
        BTreeMap::new();
    let mut add = |country: &'static Country, how: Reach, station: Option<&str>| {
        let e = out.entry(country.code).or_insert_with(|| (country, BTreeSet::new(), BTreeSet::new()));
        e.1.insert(how);
        if let Some(s) = station {
            e.2.insert(s.to_owned());
        }
    };
    for t in &c.tags {
        if let Some(country) = t.country().filter(|c| !c.iso.is_empty()) {
            add(country::preferred(country), Reach::Tag, None);
        }
    }
    let station = c.id.station();
    if let Some(country) = country_of(station).filter(|c| c.code != "US") {
        add(country, Reach::Origin, Some(station));
    }
    if from_state(&c.id) {
        for r in c.header.to.iter().chain(&c.header.info) {
            let Some(s) = r.station() else { continue };
            if let Some(country) = country_of(&s).filter(|c| c.code != "US") {
                add(country, Reach::Addressee, Some(&s));
            }
        }
    }
    out
}

fn posts(list: &[cable::Recipient], role: &'static str) -> Vec<Post> {
    let mut out: Vec<Post> = Vec::new();
    for r in list {
        let station = r.station();
        let country = station.as_deref().and_then(country_of);
        if country.is_some_and(|c| c.code == "US") {
            continue;
        }
        if station.is_none() && !names_posts(&r.name) {
            continue;
        }
        if out.iter().any(|p| p.addressee == r.name) {
            continue;
        }
        out.push(Post { addressee: r.name.clone(), role, station, country: country.copied() });
    }
    out
}

fn date_of(c: &Outline) -> Option<String> {
    c.created.map(|t| {
        let d = t.date();
        format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
    })
}

fn date_of_unix(ts: Option<i64>) -> Option<String> {
    ts.map(|t| crate::query::format_unix(t)[..10].to_owned())
}

/// Months `YYYY-MM` from `first` to `last`, both included.
fn month_axis(first: &str, last: &str) -> Vec<String> {
    let parse =
        |m: &str| -> Option<(i32, i32)> { Some((m.get(..4)?.parse().ok()?, m.get(5..7)?.parse().ok()?)) };
    let (Some((mut y, mut m)), Some((ly, lm))) = (parse(first), parse(last)) else { return Vec::new() };
    let mut out = Vec::new();
    while (y, m) <= (ly, lm) {
        out.push(format!("{y:04}-{m:02}"));
        m += 1;
        if m > 12 {
            m = 1;
            y += 1;
        }
    }
    out
}

#[derive(Default)]
struct Acc {
    cables: Vec<CountryCable>,
    action_requests: Vec<String>,
    replies: Vec<String>,
}

impl Archive {
    /// Computes a campaign (see the [module documentation](self)).
    pub fn campaign(&self, req: &CampaignRequest) -> Result<Campaign> {
        let treaty = req.treaty.as_deref().map(str::trim).filter(|t| !t.is_empty());
        let treaty_events = match treaty {
            Some(t) => {
                let events = self.store.events(Some(t), None)?;
                if events.is_empty() {
                    let known: Vec<String> =
                        self.store.treaties()?.into_iter().map(|(t, _)| format!("{t:?}")).collect();
                    return Err(Error::BadRequest(format!(
                        "no events of the treaty {t:?} are in the archive ({}); import them with `demarche events import FILE.csv`",
                        if known.is_empty() { "no events at all".to_owned() } else { format!("treaties: {}", known.join(", ")) }
                    )));
                }
                Some(events)
            }
            None => None,
        };
        let ids = self.matching_ids(&req.query)?;
        if ids.len() > MAX_CABLES {
            return Err(Error::BadRequest(format!(
                "{} cables match: a campaign reads at most {MAX_CABLES}; narrow the query (a phrase, tag:, created:2008..2010)",
                ids.len()
            )));
        }
        let matched: BTreeSet<&str> = ids.iter().map(String::as_str).collect();
        let mut accs: BTreeMap<&'static str, (&'static Country, Acc)> = BTreeMap::new();
        let mut requests: Vec<ActionRequest> = Vec::new();
        let mut unplaced: Vec<String> = Vec::new();
        for id in &ids {
            let c = self.outline(id)?;
            let signals = if from_state(&c.id) { signals_of(&c.subject, &c.paragraphs) } else { Vec::new() };
            let signals = if is_action_request(&signals) { signals } else { Vec::new() };
            let reach = reach_of(&c);
            if reach.is_empty() {
                unplaced.push(id.clone());
            }
            for (code, (country, how, stations)) in reach {
                accs.entry(code).or_insert_with(|| (country, Acc::default())).1.cables.push(CountryCable {
                    id: id.clone(),
                    date: date_of(&c),
                    origin: c.origin.clone(),
                    subject: c.subject.clone(),
                    reached: how.into_iter().collect(),
                    stations: stations.into_iter().collect(),
                    matched: true,
                    action_request: !signals.is_empty(),
                    reply_to: Vec::new(),
                });
            }
            if !signals.is_empty() {
                requests.push(ActionRequest {
                    id: id.clone(),
                    date: date_of(&c),
                    subject: c.subject.clone(),
                    signals,
                    posts: posts(&c.header.to, "to"),
                    info: posts(&c.header.info, "info"),
                    replies: Vec::new(),
                    cited_by_others: Vec::new(),
                });
            }
        }

        // Replies, through the reference graph.
        for r in &mut requests {
            let stations: BTreeSet<&str> =
                r.posts.iter().chain(&r.info).filter_map(|p| p.station.as_deref()).collect();
            for citing in self.store.cited_by(&r.id)? {
                let station = RefId::parse(&citing).map(|i| i.station().to_owned()).unwrap_or_default();
                if !stations.contains(station.as_str()) {
                    r.cited_by_others.push(citing);
                    continue;
                }
                let Some(info) = self.store.latest_info(&citing)? else { continue };
                let country = country_of(&station);
                r.replies.push(Reply {
                    id: citing.clone(),
                    date: date_of_unix(info.created),
                    subject: info.subject.clone(),
                    station: station.clone(),
                    country: country.copied(),
                    matched: matched.contains(citing.as_str()),
                });
                if let Some(country) = country {
                    let acc = &mut accs.entry(country.code).or_insert_with(|| (country, Acc::default())).1;
                    acc.replies.push(citing.clone());
                    match acc.cables.iter_mut().find(|c| c.id == citing) {
                        Some(c) => c.reply_to.push(r.id.clone()),
                        None => acc.cables.push(CountryCable {
                            id: citing.clone(),
                            date: date_of_unix(info.created),
                            origin: info.origin.clone(),
                            subject: info.subject.clone(),
                            reached: Vec::new(),
                            stations: vec![station.clone()],
                            matched: matched.contains(citing.as_str()),
                            action_request: false,
                            reply_to: vec![r.id.clone()],
                        }),
                    }
                }
            }
            r.replies.sort_by(|a, b| (&a.date, &a.id).cmp(&(&b.date, &b.id)));
            for p in &r.posts {
                if let Some(country) = p.country.and_then(|c| country::country_by_code(c.code)) {
                    let acc = &mut accs.entry(country.code).or_insert_with(|| (country, Acc::default())).1;
                    if !acc.action_requests.contains(&r.id) {
                        acc.action_requests.push(r.id.clone());
                    }
                }
            }
        }
        requests.sort_by(|a, b| (&a.date, &a.id).cmp(&(&b.date, &b.id)));

        // Events: the treaty's (adding its countries), or all those of the countries reached.
        let order = treaty_events.as_deref().map(consent_order).unwrap_or_default();
        let events = match treaty_events {
            Some(events) => {
                for e in &events {
                    if let Some(country) = country::country_by_code(e.country.code) {
                        accs.entry(country.code).or_insert_with(|| (country, Acc::default()));
                    }
                }
                events
            }
            None => self
                .store
                .events(None, None)?
                .into_iter()
                .filter(|e| accs.contains_key(e.country.code))
                .collect(),
        };
        let mut events_of: BTreeMap<&str, Vec<Event>> = BTreeMap::new();
        for e in events {
            events_of.entry(e.country.code).or_default().push(e);
        }

        // The month axis spans the cables and events shown.
        let mut months: BTreeSet<String> = BTreeSet::new();
        for (_, acc) in accs.values() {
            months.extend(acc.cables.iter().filter_map(|c| c.date.as_ref().map(|d| d[..7].to_owned())));
        }
        months.extend(events_of.values().flatten().map(|e| e.date.month_key()));
        let axis = match (months.first(), months.last()) {
            (Some(f), Some(l)) => month_axis(f, l),
            _ => Vec::new(),
        };
        let position: BTreeMap<&str, usize> = axis.iter().enumerate().map(|(i, m)| (m.as_str(), i)).collect();

        let mut countries: Vec<CountryCampaign> = Vec::with_capacity(accs.len());
        for (code, (country, mut acc)) in accs {
            acc.cables.sort_by(|a, b| (&a.date, &a.id).cmp(&(&b.date, &b.id)));
            let mut reached = ReachCounts::default();
            let mut per_month = vec![0; axis.len()];
            for c in &acc.cables {
                reached.tag += usize::from(c.reached.contains(&Reach::Tag));
                reached.origin += usize::from(c.reached.contains(&Reach::Origin));
                reached.addressee += usize::from(c.reached.contains(&Reach::Addressee));
                reached.reply += usize::from(!c.reply_to.is_empty());
                if let Some(&i) = c.date.as_ref().and_then(|d| position.get(&d[..7])) {
                    per_month[i] += 1;
                }
            }
            let dates: Vec<&String> = acc.cables.iter().filter_map(|c| c.date.as_ref()).collect();
            acc.replies.sort();
            acc.replies.dedup();
            countries.push(CountryCampaign {
                country: *country,
                cable_count: acc.cables.len(),
                reached,
                first: dates.iter().min().map(|d| (*d).clone()),
                last: dates.iter().max().map(|d| (*d).clone()),
                per_month,
                cables: acc.cables,
                action_requests: acc.action_requests,
                replies: acc.replies,
                events: events_of.remove(code).unwrap_or_default(),
                consent: order.iter().find(|o| o.country.code == code).cloned(),
            });
        }
        let rank = |c: &CountryCampaign| c.consent.as_ref().map_or(usize::MAX, |o| o.ordinal);
        countries.sort_by(|a, b| {
            (b.cable_count, rank(a), a.country.name).cmp(&(a.cable_count, rank(b), b.country.name))
        });
        Ok(Campaign {
            query: req.query.clone(),
            treaty: treaty.map(str::to_owned),
            matched: ids.len(),
            months: axis,
            countries,
            action_requests: requests,
            consent_order: order,
            unplaced,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(telegram: &str) -> Cable {
        cable::Parser::new(cable::ReferenceData::empty()).parse_telegram(telegram.as_bytes()).unwrap()
    }

    const REQUEST: &str = "O 291637Z DEC 08\nFM SECSTATE WASHDC\nTO RUEHBUL/AMEMBASSY KABUL IMMEDIATE 0000\n\
        INFO RUEKJCS/SECDEF WASHINGTON DC\nRUEHNO/USMISSION USNATO\n\n\
        C O N F I D E N T I A L STATE 134777\n\nTAGS PARM, MOPS, PREL, AF, XA\n\
        SUBJECT: DEMARCHE TO AFGHANISTAN ON CLUSTER MUNITIONS\n\n\
        1. (U) This is an action request. See para 2.\n\n\
        2. (SBU) The Department requests that Post approach appropriate interlocutors\n\
        at the Afghan Ministries of Foreign Affairs.\n\n\
        3. (U) Embassy should report results of efforts by cable.\n\nRICE\n";

    #[test]
    fn finds_action_request_signals_with_their_words() {
        let c = parsed(REQUEST);
        let s = action_signals(&c);
        let labels: Vec<&str> = s.iter().map(|s| s.signal).collect();
        assert_eq!(
            labels,
            [
                "the subject names a demarche",
                "says it is an action request",
                "the Department requests posts",
                "asks to approach the host government",
                "asks to report the response"
            ]
        );
        assert_eq!(s[1].paragraph, Some(1));
        assert_eq!(s[1].matched, "action request");
        assert_eq!(s[2].matched, "Department requests that Post");
        assert_eq!(s[3].matched, "approach appropriate interlocutors");
        assert!(s[3].context.contains("Afghan Ministries"), "{}", s[3].context);
        assert!(is_action_request(&s));
    }

    #[test]
    fn ordinary_reporting_has_no_signals() {
        let c = parsed(
            "R 010101Z JAN 09\nFM SECSTATE WASHDC\nTO RUEHLO/AMEMBASSY LONDON 0000\n\n\
             UNCLAS STATE 000001\n\nTAGS PARM, UK\nSUBJECT: U.S.-UK CLUSTER MUNITIONS DIALOGUE\n\n\
             1. (U) The delegations discussed their approach to the Convention and the\n\
             points raised by the UK. The Department will follow up.\n\nCLINTON\n",
        );
        assert!(action_signals(&c).is_empty(), "{:?}", action_signals(&c));
    }

    #[test]
    fn a_negated_instruction_or_one_weak_signal_is_no_request() {
        let c = parsed(
            "R 010101Z JAN 09\nFM SECSTATE WASHDC\nTO RUEHLO/AMEMBASSY LONDON 0000\n\n\
             UNCLAS STATE 000002\n\nTAGS PREL, UK\nSUBJECT: WALK-IN GUIDANCE\n\n\
             1. (U) Posts may decline if the Department instructs post not to do so.\n\n\
             2. (U) Embassies report the results of such cases annually.\n\nCLINTON\n",
        );
        let s = action_signals(&c);
        assert_eq!(s.iter().map(|s| s.signal).collect::<Vec<_>>(), ["asks to report the response"]);
        assert!(!is_action_request(&s));
    }

    #[test]
    fn addressee_lines_name_posts_or_not() {
        assert!(names_posts("ALL NATO POST COLLECTIVE") && names_posts("AMCONSUL JERUSALEM"));
        assert!(!names_posts("PAGE 02 STATE 015113 182333Z") && !names_posts("LOG-00 MFA-00 EEB-00"));
        assert!(!names_posts("HQ USCENTCOM MACDILL AFB FL") && !names_posts("JOINT STAFF WASHINGTON DC"));
    }

    #[test]
    fn reaches_countries_by_tag_origin_and_addressee() {
        let c = parsed(REQUEST);
        let outline: Outline = serde_json::from_value(serde_json::to_value(&c).unwrap()).unwrap();
        let reach = reach_of(&outline);
        let codes: Vec<&str> = reach.keys().copied().collect();
        assert_eq!(codes, ["AF"], "XA is a region, the US is the sender, USNATO no country");
        let (_, how, stations) = &reach["AF"];
        assert_eq!(how.iter().copied().collect::<Vec<_>>(), [Reach::Tag, Reach::Addressee]);
        assert_eq!(stations.iter().collect::<Vec<_>>(), ["KABUL"]);
        let p = posts(&c.header.info, "info");
        assert_eq!(p.len(), 1, "SECDEF is in Washington: {p:?}");
        assert_eq!(p[0].station.as_deref(), Some("USNATO"));
    }

    #[test]
    fn context_is_cut_at_spaces() {
        let t = "one two three four five six seven";
        let m = t.find("four").unwrap();
        assert_eq!(context(t, m, m + 4, 6), "…three four five…");
        assert_eq!(context(t, 0, 3, 100), "one two three four five six seven");
        assert_eq!(month_axis("2008-11", "2009-02"), ["2008-11", "2008-12", "2009-01", "2009-02"]);
    }
}
