//! `utmforge user …` and `utmforge token …`: the account use cases from the server's own
//! machine (the command line acts with every right, as whoever can open the database can).

use crate::cli::{TokenCommand, UserCommand};
use std::future::Future;
use std::io::{self, BufRead, IsTerminal, Write};
use utmforge_core::account::SignUp;
use utmforge_service::{accounts, Ctx, Error};

/// Runs `command`, printing results to `out` and errors to `err`. Exit codes: 0 done, 2 the
/// input was refused, 1 the database failed.
pub fn run_user(
    command: UserCommand,
    out: &mut impl Write,
    err: &mut impl Write,
) -> io::Result<u8> {
    let database_url = match &command {
        UserCommand::Add { db, .. }
        | UserCommand::List { db }
        | UserCommand::SetRole { db, .. }
        | UserCommand::Disable { db, .. }
        | UserCommand::Enable { db, .. }
        | UserCommand::SetPassword { db, .. } => db.database_url.clone(),
    };
    // Read the password before anything else (the prompt goes to the terminal).
    let password = match &command {
        UserCommand::Add { .. } | UserCommand::SetPassword { .. } => match read_password() {
            Ok(p) => p,
            Err(e) => {
                writeln!(err, "error: cannot read the password: {e}")?;
                return Ok(2);
            }
        },
        _ => String::new(),
    };
    run(&database_url, out, err, |ctx| async move {
        match command {
            UserCommand::Add {
                email, role, name, ..
            } => {
                let name = name
                    .unwrap_or_else(|| email.trim().split('@').next().unwrap_or("").to_string());
                let sign_up = SignUp {
                    email,
                    name,
                    password,
                };
                let user = accounts::add_user(&ctx, sign_up, role).await?;
                Ok(format!("{}\n", user.id))
            }
            UserCommand::List { .. } => Ok(accounts::list_users(&ctx)
                .await?
                .into_iter()
                .map(|u| {
                    let status = if u.disabled_at.is_some() {
                        "disabled"
                    } else {
                        "active"
                    };
                    format!("{}\t{}\t{}\t{status}\t{}\n", u.id, u.email, u.role, u.name)
                })
                .collect()),
            UserCommand::SetRole { email, role, .. } => {
                let user = accounts::update_user_by_email(&ctx, &email, Some(role), None).await?;
                Ok(format!("{} is now {}\n", user.email, user.role))
            }
            UserCommand::Disable { email, .. } => {
                let user = accounts::update_user_by_email(&ctx, &email, None, Some(true)).await?;
                Ok(format!(
                    "{} is disabled: their sessions and tokens stopped working\n",
                    user.email
                ))
            }
            UserCommand::SetPassword { email, .. } => {
                let user = accounts::set_password_by_email(&ctx, &email, &password).await?;
                Ok(format!(
                    "{} has a new password; they were signed out everywhere\n",
                    user.email
                ))
            }
            UserCommand::Enable { email, .. } => {
                let user = accounts::update_user_by_email(&ctx, &email, None, Some(false)).await?;
                Ok(format!("{} may sign in again\n", user.email))
            }
        }
    })
}

/// `utmforge token create`: prints the new token (and nothing else) on `out`.
pub fn run_token(
    command: TokenCommand,
    out: &mut impl Write,
    err: &mut impl Write,
) -> io::Result<u8> {
    let TokenCommand::Create {
        email,
        name,
        role,
        db,
    } = command;
    run(&db.database_url, out, err, |ctx| async move {
        let user = accounts::user_by_email(&ctx, &email).await?;
        let created = accounts::create_token(&ctx, Some(&user.id), &name, role).await?;
        Ok(format!("{}\n", created.secret))
    })
}

/// `utmforge settings show|set`: the same use cases as the Settings page and `/api/v1/settings`.
pub fn run_settings(
    command: crate::cli::SettingsCommand,
    out: &mut impl Write,
    err: &mut impl Write,
) -> io::Result<u8> {
    use crate::cli::SettingsCommand;
    use utmforge_service::settings;
    match command {
        SettingsCommand::Show { db } => run(&db.database_url, out, err, |ctx| async move {
            let stored = settings::get(&ctx).await?;
            Ok(format!(
                "{}\n",
                serde_json::to_string_pretty(&stored)
                    .map_err(|e| Error::internal(e.to_string()))?
            ))
        }),
        SettingsCommand::Set {
            file,
            confirm_live_change,
            db,
        } => {
            let text = if file.as_os_str() == "-" {
                let mut text = String::new();
                io::Read::read_to_string(
                    &mut io::Read::take(io::stdin().lock(), 1 << 20),
                    &mut text,
                )
                .map(|_| text)
            } else {
                std::fs::read_to_string(&file)
            };
            let text = match text {
                Ok(t) => t,
                Err(e) => {
                    writeln!(err, "error: cannot read {}: {e}", file.display())?;
                    return Ok(2);
                }
            };
            // What `settings show` prints (the rules with the version they were read at: a save
            // based on an older version is refused, 409 `stale`), or the rules alone (they
            // replace whatever is stored).
            #[derive(serde::Deserialize)]
            #[serde(deny_unknown_fields)]
            struct Shown {
                rules: utmforge_core::rules::TeamRules,
                version: i64,
                #[serde(default)]
                #[allow(dead_code)]
                updated_at: i64,
            }
            let (rules, version) = match serde_json::from_str::<Shown>(&text) {
                Ok(stored) => (stored.rules, Some(stored.version)),
                Err(_) => match serde_json::from_str::<utmforge_core::rules::TeamRules>(&text) {
                    Ok(rules) => (rules, None),
                    Err(e) => {
                        writeln!(err, "error: {} is not the rules' JSON (as `settings show` prints it, or the rules alone): {e}", file.display())?;
                        return Ok(2);
                    }
                },
            };
            if version.is_none() {
                writeln!(err, "note: {} names no version: it replaces the rules stored now, whatever they are (save what `settings show` prints to have a concurrent change refused)", file.display())?;
            }
            run(&db.database_url, out, err, |ctx| async move {
                let version = match version {
                    Some(v) => v,
                    None => settings::get(&ctx).await?.version,
                };
                let saved = settings::update(&ctx, version, rules, confirm_live_change).await?;
                Ok(format!(
                    "saved (version {}): {} approved domain(s), {} topic(s)\n",
                    saved.version,
                    saved.rules.approved_domains.len(),
                    saved.rules.topics.len()
                ))
            })
        }
    }
}

/// Opens the database, runs `work` as the command line, prints its text or its error.
fn run<F, Fut>(
    database_url: &str,
    out: &mut impl Write,
    err: &mut impl Write,
    work: F,
) -> io::Result<u8>
where
    F: FnOnce(Ctx) -> Fut,
    Fut: Future<Output = Result<String, Error>>,
{
    super::on_database(database_url, None, out, err, |ctx| async move {
        work(ctx).await.map(|text| (text, super::EXIT_OK))
    })
}

/// The password: prompted without echo on a terminal, else the first line of standard input.
fn read_password() -> io::Result<String> {
    if io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password (at least 12 characters): ")?;
        let again = rpassword::prompt_password("Same password again: ")?;
        if first != again {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "the two passwords differ",
            ));
        }
        return Ok(first);
    }
    let mut line = String::new();
    io::stdin().lock().take_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

trait TakeLine {
    fn take_line(&mut self, line: &mut String) -> io::Result<usize>;
}

impl<R: BufRead> TakeLine for R {
    /// One line, at most 4 KiB (a password is never longer).
    fn take_line(&mut self, line: &mut String) -> io::Result<usize> {
        io::Read::take(self, 4096).read_line(line)
    }
}
