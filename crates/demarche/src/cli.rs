//! Command-line definitions (clap derive): one enum of subcommands, each
//! with its own `run`, and the one place errors become exit statuses.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::cmd;

/// demarche: an investigative archive for diplomatic cables.
#[derive(Debug, Parser)]
#[command(name = "demarche", version, about, long_about = None)]
pub struct Cli {
    /// Directory of reference tables (route2name.csv, subject-tags.txt,
    /// organization-tags.txt) used to decode routing indicators and TAGS.
    /// Default: $DEMARCHE_REFERENCE, else ../shared/reference if it exists.
    #[arg(long, global = true, value_name = "DIR")]
    pub reference: Option<PathBuf>,

    /// The archive directory. Default: $DEMARCHE_ARCHIVE, else ./demarche-archive.
    #[arg(
        long,
        global = true,
        value_name = "DIR",
        env = "DEMARCHE_ARCHIVE",
        default_value = "demarche-archive"
    )]
    pub archive: PathBuf,

    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Parse cables (files or directories, any mix of formats) and print them.
    Parse(cmd::parse::ParseArgs),
    /// Read cables into the archive: new cables, new versions, unchanged.
    Ingest(cmd::ingest::IngestArgs),
    /// Search the archive.
    Search(cmd::search::SearchArgs),
    /// Show one cable, decoded.
    Show(cmd::show::ShowArgs),
    /// The reference graph around a cable.
    Refs(cmd::refs::RefsArgs),
    /// The versions of a cable.
    Versions(cmd::versions::VersionsArgs),
    /// Word-level differences between two versions of a cable.
    Diff(cmd::versions::DiffArgs),
    /// Verify that store and index agree and the store is intact.
    Check(cmd::check::CheckArgs),
    /// Rebuild the search index from the store.
    Reindex(cmd::check::ReindexArgs),
    /// Decode every stored version again with this demarche's parser (after
    /// an upgrade): text and versions unchanged, parse, references and index refreshed.
    Reparse(cmd::reparse::ReparseArgs),
    /// Serve the archive: web UI and JSON API (read-only).
    Serve(cmd::serve::ServeArgs),
    /// Where each quote of an article (HTML or text) comes from: cable and paragraph, or not in the archive.
    Attribute(cmd::attribute::AttributeArgs),
    /// A campaign across embassies and years: per country, the cables of a
    /// query, action requests to posts and their replies, joined with treaty events.
    Campaign(cmd::campaign::CampaignArgs),
    /// Dated events about countries (treaty signatures, ratifications): import, list.
    Events(cmd::events::EventsArgs),
    /// Accounts of a newsroom instance (`serve --private`): add, list, disable, enable, token.
    Users(cmd::users::UsersArgs),
    /// The newsroom's audit log, newest first.
    Audit(cmd::audit::AuditArgs),
    /// The cables newly matching a project's saved searches.
    Alerts(cmd::alerts::AlertsArgs),
    /// How much of each station's traffic the archive holds, per year,
    /// estimated from the serials of cable ids, with the gaps.
    Coverage(cmd::coverage::CoverageArgs),
}

impl Cli {
    /// Runs the chosen command.
    pub fn run(self) -> anyhow::Result<ExitCode> {
        let archive = self.archive;
        let outcome = match self.command {
            Command::Parse(args) => args.run(cmd::load_reference_data(self.reference.as_deref())?),
            Command::Ingest(args) => args.run(&archive, cmd::load_reference_data(self.reference.as_deref())?),
            Command::Search(args) => args.run(&archive),
            Command::Show(args) => args.run(&archive),
            Command::Refs(args) => args.run(&archive),
            Command::Versions(args) => args.run(&archive),
            Command::Diff(args) => args.run(&archive),
            Command::Check(args) => args.run(&archive),
            Command::Reindex(args) => args.run(&archive),
            Command::Reparse(args) => {
                args.run(&archive, cmd::load_reference_data(self.reference.as_deref())?)
            }
            Command::Serve(args) => args.run(&archive),
            Command::Attribute(args) => args.run(&archive),
            Command::Campaign(args) => args.run(&archive),
            Command::Events(args) => args.run(&archive),
            Command::Users(args) => args.run(&archive),
            Command::Audit(args) => args.run(&archive),
            Command::Alerts(args) => args.run(&archive),
            Command::Coverage(args) => args.run(&archive),
        };
        outcome.map_err(|e| name_the_file(e, &archive))
    }
}

/// Says which file of the archive an error of the store or the index is
/// about (the archive crate's errors name the part, not the directory).
fn name_the_file(e: anyhow::Error, archive: &Path) -> anyhow::Error {
    let file = match e.downcast_ref::<archive::Error>() {
        Some(archive::Error::Store(_)) => archive.join("store.sqlite"),
        Some(archive::Error::Corrupt(m)) if !m.contains(&*archive.to_string_lossy()) => {
            archive.join("store.sqlite")
        }
        Some(archive::Error::Index(_)) => archive.join("index"),
        _ => return e,
    };
    let file = file.display().to_string();
    e.context(file)
}

/// The exit status for an error: 2 bad request (fix the command), 3 not
/// found, 4 unavailable (locked, read-only, disk full), 5 not allowed, 1
/// anything else.
pub fn exit_code(e: &anyhow::Error) -> ExitCode {
    match e.downcast_ref::<archive::Error>().map(archive::Error::kind) {
        Some(archive::ErrorKind::BadRequest) => ExitCode::from(2),
        Some(archive::ErrorKind::NotFound) => ExitCode::from(3),
        Some(archive::ErrorKind::Unavailable) => ExitCode::from(4),
        Some(archive::ErrorKind::Unauthorized | archive::ErrorKind::Forbidden) => ExitCode::from(5),
        _ => ExitCode::FAILURE,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_argument_vectors() {
        let cli = Cli::try_parse_from(["demarche", "parse", "a.html", "dir", "--format", "text"]).unwrap();
        let Command::Parse(args) = cli.command else { panic!("parse") };
        assert_eq!(args.paths.len(), 2);
        assert_eq!(args.format, cmd::parse::OutputFormat::Text);
        assert!(Cli::try_parse_from(["demarche", "parse"]).is_err(), "a path is required");
        assert!(Cli::try_parse_from(["demarche", "parse", "x", "--format", "xml"]).is_err());

        let cli = Cli::try_parse_from([
            "demarche",
            "--archive",
            "/tmp/a",
            "search",
            "\"cluster munitions\"",
            "--facets",
            "--histogram",
            "--sort",
            "date",
            "--page",
            "2",
            "--json",
        ])
        .unwrap();
        assert_eq!(cli.archive, PathBuf::from("/tmp/a"));
        let Command::Search(s) = cli.command else { panic!("search") };
        assert!(s.facets && s.histogram && s.json);
        assert_eq!(s.page, 2);

        let cli =
            Cli::try_parse_from(["demarche", "refs", "08STATE134777", "--depth", "2", "--direction", "in"])
                .unwrap();
        let Command::Refs(r) = cli.command else { panic!("refs") };
        assert_eq!(r.depth, 2);
        assert!(Cli::try_parse_from(["demarche", "refs", "x", "--direction", "sideways"]).is_err());
        assert!(Cli::try_parse_from(["demarche", "diff", "08STATE134777", "1", "2"]).is_ok());
        assert!(
            Cli::try_parse_from(["demarche", "diff", "08STATE134777", "1"]).is_err(),
            "two versions or none"
        );
        let cli = Cli::try_parse_from(["demarche", "attribute", "-", "--json", "--paraphrases"]).unwrap();
        let Command::Attribute(a) = cli.command else { panic!("attribute") };
        assert!(a.json && a.paraphrases && a.file.as_os_str() == "-");
        assert!(Cli::try_parse_from(["demarche", "attribute"]).is_err(), "a file is required");

        let cli = Cli::try_parse_from([
            "demarche",
            "campaign",
            "\"cluster munitions\" OR CCM",
            "--treaty",
            "CCM",
            "--csv",
            "--per-month",
        ])
        .unwrap();
        let Command::Campaign(c) = cli.command else { panic!("campaign") };
        assert!(c.csv && c.per_month && !c.json);
        assert_eq!(c.treaty.as_deref(), Some("CCM"));
        assert!(
            Cli::try_parse_from(["demarche", "campaign", "x", "--per-month"]).is_err(),
            "--per-month needs --csv"
        );
        assert!(Cli::try_parse_from(["demarche", "campaign", "x", "--csv", "--json"]).is_err());
        assert!(Cli::try_parse_from(["demarche", "events", "import", "events.csv"]).is_ok());
        let cli = Cli::try_parse_from(["demarche", "events", "list", "--country", "AF", "--treaty", "CCM"])
            .unwrap();
        let Command::Events(e) = cli.command else { panic!("events") };
        assert!(
            matches!(e.command, cmd::events::EventsCommand::List(l) if l.country.as_deref() == Some("AF"))
        );
        assert!(Cli::try_parse_from(["demarche", "events"]).is_err(), "a subcommand is required");
    }
}
