//! `demarche users add|list|disable|enable|token`: the accounts of a
//! newsroom instance (`demarche serve --private`).

use std::io::{BufRead as _, IsTerminal as _, Write as _};
use std::path::Path;
use std::process::ExitCode;

use archive::newsroom::{check_user_name, secret, CredentialKind, NewsroomStore, Role, SqliteNewsroom};
use archive::Archive;
use clap::{Args, Subcommand, ValueEnum};

/// Arguments of `demarche users`.
#[derive(Debug, Args)]
pub struct UsersArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: UsersCommand,
}

/// An account's role, as the command line names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RoleArg {
    /// Manages accounts, reads the audit log, creates projects.
    Admin,
    /// Creates projects.
    Editor,
    /// Works in the projects they are made a member of.
    Reader,
}

impl From<RoleArg> for Role {
    fn from(r: RoleArg) -> Role {
        match r {
            RoleArg::Admin => Role::Admin,
            RoleArg::Editor => Role::Editor,
            RoleArg::Reader => Role::Reader,
        }
    }
}

/// The `users` subcommands.
#[derive(Debug, Subcommand)]
pub enum UsersCommand {
    /// Create an account. The password is read from standard input (one
    /// line), never from the command line, where other users of the
    /// machine and the shell's history would see it.
    Add {
        /// The name it signs in with (letters, digits, `.`, `_`, `-`).
        name: String,
        /// What it may do.
        #[arg(long, value_enum)]
        role: RoleArg,
    },
    /// List the accounts.
    List,
    /// Disable an account: it can no longer sign in, and its sessions and tokens stop working.
    Disable {
        /// The account.
        name: String,
    },
    /// Enable a disabled account again.
    Enable {
        /// The account.
        name: String,
    },
    /// Print a new API token for an account (shown once; only its hash is kept).
    Token {
        /// The account.
        name: String,
    },
}

impl UsersArgs {
    /// Runs the subcommand.
    pub fn run(self, dir: &Path) -> anyhow::Result<ExitCode> {
        drop(Archive::open(dir)?); // migrates an older archive
        let store = SqliteNewsroom::open(dir)?;
        match self.command {
            UsersCommand::Add { name, role } => {
                check_user_name(&name)?;
                let password = read_password()?;
                let hash = secret::hash_password(&password)?;
                let user = store.add_user(&name, role.into(), &hash)?;
                store.append_audit(
                    None,
                    "cli",
                    "account",
                    &user.name,
                    &format!("added as {}", user.role.name()),
                )?;
                println!("added {} ({})", user.name, user.role.name());
            }
            UsersCommand::List => {
                for u in store.users()? {
                    let state = if u.disabled { "  disabled" } else { "" };
                    println!(
                        "{:<24} {:<7} created {}{state}",
                        u.name,
                        u.role.name(),
                        archive::query::format_unix(u.created_at)
                    );
                }
            }
            UsersCommand::Disable { name } => {
                let user = store.set_disabled(&name, true)?;
                store.append_audit(None, "cli", "account", &user.name, "disabled")?;
                println!("disabled {}: its sessions and tokens no longer work", user.name);
            }
            UsersCommand::Enable { name } => {
                let user = store.set_disabled(&name, false)?;
                store.append_audit(None, "cli", "account", &user.name, "enabled")?;
                println!("enabled {}", user.name);
            }
            UsersCommand::Token { name } => {
                let (user, _) = store
                    .user(&name)?
                    .filter(|(u, _)| !u.disabled)
                    .ok_or_else(|| archive::Error::NotFound(format!("no enabled account {name:?}")))?;
                let token = secret::new_secret("dmt_");
                store.add_credential(
                    user.id,
                    CredentialKind::Token,
                    &secret::secret_hash(&token),
                    None,
                    None,
                )?;
                store.append_audit(None, "cli", "account", &user.name, "API token issued")?;
                println!("{token}");
                eprintln!(
                    "an API token for {}: send it as `Authorization: Bearer TOKEN`; it is not shown again",
                    user.name
                );
            }
        }
        Ok(ExitCode::SUCCESS)
    }
}

/// One line of standard input: the password (a prompt on the terminal).
fn read_password() -> anyhow::Result<String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("password (at least {} characters): ", secret::MIN_PASSWORD_CHARS);
        std::io::stderr().flush()?;
    }
    let mut line = String::new();
    stdin.lock().read_line(&mut line)?;
    let password = line.strip_suffix('\n').unwrap_or(&line);
    let password = password.strip_suffix('\r').unwrap_or(password);
    Ok(password.to_owned())
}
