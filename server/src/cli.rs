//! The `utmforge` command line: `serve` (the default), `tag`, `lint`, `ga4`, `user`, `token`,
//! `migrate` and `db copy`.

use clap::{Parser, Subcommand, ValueEnum};
use std::net::SocketAddr;
use std::path::PathBuf;
use utmforge_core::account::Role;

#[derive(Debug, Parser)]
#[command(
    name = "utmforge",
    version,
    about = "Normalized UTM tagging and GA4 setup for ChatGPT ads.",
    long_about = "Normalized UTM tagging and GA4 setup for ChatGPT ads.\n\n\
        Without a subcommand, utmforge serves the web app (same as `utmforge serve`).",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    #[command(flatten)]
    pub serve: ServeArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web app (the default when no subcommand is given).
    Serve(ServeArgs),
    /// Tag a landing URL with utmforge's UTM parameters, or every row of a CSV file.
    #[command(after_help = TAG_EXAMPLES)]
    Tag(TagArgs),
    /// Check URLs already in use: findings with a code, a severity, and the fixed URL.
    #[command(after_help = LINT_EXAMPLES)]
    Lint(LintArgs),
    /// GA4 configuration for ChatGPT ad traffic: a channel group, a funnel, a report.
    #[command(subcommand)]
    Ga4(Ga4Command),
    /// People: add (password from standard input), list, set-role, disable, enable, set-password.
    #[command(subcommand)]
    User(UserCommand),
    /// API tokens for scripts: create one (printed once).
    #[command(subcommand)]
    Token(TokenCommand),
    /// Follow URLs like a browser: every redirect, whether each utm_* parameter arrives, and
    /// what the landing page carries (GA4, the ads pixel).
    #[command(after_help = CHECK_EXAMPLES)]
    Check(CheckArgs),
    /// The Conversions API: send offline conversions (CRM, phone orders) from a CSV.
    #[command(subcommand)]
    Capi(CapiCommand),
    /// The team's rules (approved landing domains, topic vocabulary): show or set them.
    #[command(subcommand)]
    Settings(SettingsCommand),
    /// Apply the database migrations this build needs, then exit (for deploy pipelines;
    /// `serve` also runs them at start unless --no-migrate).
    Migrate {
        #[command(flatten)]
        db: DatabaseArg,
    },
    /// Database maintenance: copy a whole installation to another database.
    #[command(subcommand)]
    Db(DbCommand),
    /// ChatGPT Ads: each linked ad's state (in sync, drifted, review), and publishing the
    /// creatives' URLs to their ads.
    #[command(subcommand)]
    Ads(AdsCommand),
}

const ADS_EXAMPLES: &str = "Examples:
  OPENAI_ADS_API_KEY=… utmforge ads status                       (every linked campaign)
  OPENAI_ADS_API_KEY=… utmforge ads status --campaign spring-sale
  OPENAI_ADS_API_KEY=… utmforge ads publish --campaign spring-sale --dry-run
  OPENAI_ADS_API_KEY=… utmforge ads publish --campaign spring-sale

Exit codes: 0 all in sync (or published), 1 something drifted, was rejected or failed,
2 the input or the key was refused.";

#[derive(Debug, Clone, Subcommand)]
pub enum AdsCommand {
    /// Read every linked ad now and print, per creative: in sync or drifted, the ad's status,
    /// its review and serving issues. Exits 1 when an ad drifted or was rejected.
    #[command(after_help = ADS_EXAMPLES)]
    Status {
        /// One campaign (its utm_campaign or id); default: every linked campaign.
        #[arg(long)]
        campaign: Option<String>,
        #[command(flatten)]
        ads: AdsArgs,
        #[command(flatten)]
        db: DatabaseArg,
    },
    /// Give every linked ad whose URL differs its creative's URL (each update sends the ad to
    /// OpenAI's review again). With --dry-run, only list them.
    #[command(after_help = ADS_EXAMPLES)]
    Publish {
        /// The campaign (its utm_campaign or id).
        #[arg(long)]
        campaign: String,
        /// List the ads that would change (old → new URL); change nothing.
        #[arg(long)]
        dry_run: bool,
        #[command(flatten)]
        ads: AdsArgs,
        #[command(flatten)]
        db: DatabaseArg,
    },
}

/// How the server (or a command) reaches the Advertiser API. The key is read from
/// `--ads-api-key-file` or the environment (`OPENAI_ADS_API_KEY`) — never from the database,
/// never printed.
#[derive(Debug, Clone, clap::Args)]
pub struct AdsArgs {
    /// A file holding the Advertiser API key (Ads Manager › Settings); or set
    /// OPENAI_ADS_API_KEY. Without a key, the ChatGPT Ads features say the server is not
    /// connected.
    #[arg(long, env = "UTMFORGE_ADS_API_KEY_FILE")]
    pub ads_api_key_file: Option<PathBuf>,
    /// The Advertiser API's address.
    #[arg(long, env = "UTMFORGE_ADS_API_BASE", default_value = utmforge_core::ads::API_BASE, hide = true)]
    pub ads_api_base: String,
    /// Allow an Advertiser API address on this machine or a private network, over plain http
    /// (a test double).
    #[arg(long, env = "UTMFORGE_ADS_API_ALLOW_PRIVATE", hide = true)]
    pub ads_api_allow_private: bool,
}

/// The environment variable the Advertiser API key may come from.
pub const ADS_KEY_ENV: &str = "OPENAI_ADS_API_KEY";

impl AdsArgs {
    /// The Advertiser API client, if a key is configured (an error says what is wrong with
    /// the configuration, never the key).
    pub fn client(&self) -> Result<Option<utmforge_service::ads_api::AdsClient>, String> {
        let key = match &self.ads_api_key_file {
            Some(path) => std::fs::read_to_string(path).map_err(|e| {
                format!(
                    "cannot read the Advertiser API key file {} (--ads-api-key-file): {e}",
                    path.display()
                )
            })?,
            None => match std::env::var(ADS_KEY_ENV) {
                Ok(key) if !key.trim().is_empty() => key,
                _ => return Ok(None),
            },
        };
        utmforge_service::ads_api::AdsClient::new(
            &self.ads_api_base,
            key,
            self.ads_api_allow_private,
        )
        .map(Some)
    }
}

#[derive(Debug, Clone, Subcommand)]
pub enum SettingsCommand {
    /// Print the team's rules as JSON (the body `settings set` takes, with its version).
    Show {
        #[command(flatten)]
        db: DatabaseArg,
    },
    /// Replace the team's rules with a JSON file (`-` for standard input):
    /// {"approved_domains": ["example.com", "*.example.com"], "domain_mode": "refuse"|"warn",
    ///  "topics": [{"topic": "CRM tools", "aliases": ["CRM software"]}], "topic_mode": "refuse"|"warn"|"accept",
    ///  "utm_id": true|false}
    #[command(
        after_help = "Example:\n  utmforge settings show > rules.json   # edit the \"rules\" member\n  jq .rules rules.json | utmforge settings set --file -\n\n\
        The change is checked as in the Settings page (every problem named, nothing saved on a\n\
        problem) and recorded in the activity log. Switching utm_id changes every link: with
        active campaigns it needs --confirm-live-change. Exit codes: 0 saved; 2 refused."
    )]
    Set {
        #[arg(long, value_name = "FILE")]
        file: PathBuf,
        /// Ads carry the old links; I will update them (needed when switching utm_id changes
        /// live links of active campaigns).
        #[arg(long)]
        confirm_live_change: bool,
        #[command(flatten)]
        db: DatabaseArg,
    },
}

#[derive(Debug, Clone, Subcommand)]
pub enum CapiCommand {
    /// Validate every row of an offline-conversions CSV, then send the valid ones in batches of
    /// at most 1,000 with the Conversions API key from OPENAI_CONVERSIONS_API_KEY.
    #[command(after_help = CAPI_EXAMPLES)]
    Send(CapiSendArgs),
}

#[derive(Debug, Clone, clap::Args)]
pub struct CapiSendArgs {
    /// The pixel the events belong to: the Pixel ID from the conversions tab of Ads Manager.
    #[arg(long, value_name = "ID")]
    pub pixel_id: String,

    /// The CSV (`-` for standard input). Columns: type, timestamp (milliseconds or ISO 8601
    /// with a zone), and id or user; optionally custom_event_name, action_source (web,
    /// mobile_app, offline, physical_store, phone_call, email, other), source_url (required
    /// for web), oppref, opt_out, value (149.00) with currency, plan_id, contents (JSON), and
    /// the match keys email, phone, external_id, first_name, last_name (hashed here), country,
    /// city, zip_code, region, ip_address, user_agent, obref (sent as they are).
    #[arg(long, value_name = "FILE")]
    pub csv: PathBuf,

    /// Check the rows here and report only: nothing is sent and no key is needed.
    #[arg(long, conflicts_with = "validate_only")]
    pub dry_run: bool,

    /// Send with `validate_only: true`: OpenAI checks every event and saves none (needs the key).
    #[arg(long)]
    pub validate_only: bool,

    /// Where to post (the pixel id is added as ?pid=…).
    #[arg(long, value_name = "URL", default_value = utmforge_core::measure::capi::ENDPOINT)]
    pub endpoint: String,

    /// Allow an endpoint on loopback or a private network (and plain http there): a test
    /// receiver or an intranet relay.
    #[arg(long)]
    pub allow_private: bool,
}

const CAPI_EXAMPLES: &str = "\
Examples:
  utmforge capi send --pixel-id 4Ab2xYz9Qw --csv conversions.csv --dry-run
  OPENAI_CONVERSIONS_API_KEY=… utmforge capi send --pixel-id 4Ab2xYz9Qw --csv conversions.csv --validate-only
  OPENAI_CONVERSIONS_API_KEY=… utmforge capi send --pixel-id 4Ab2xYz9Qw --csv conversions.csv

Standard output is the report: one CSV row per input row (line, id, status, problems), status
valid (dry run), sent, validated (--validate-only), rejected (here), refused (by OpenAI) or
not-sent. The Conversions API key comes only from OPENAI_CONVERSIONS_API_KEY (the older
OPENAI_ADS_API_TOKEN still works, with a warning) and is never printed. Email, phone,
external id and names are normalized and SHA-256 hashed on this machine: the raw values never
leave it. Rows whose id (or type, user and timestamp) is unchanged get the same id on every
run: sending a file twice, or a retry after a lost answer, is counted once by the API.
Exit codes: 0 every row valid and sent; 1 some rows rejected, refused or not sent;
2 nothing could be done (bad pixel id, unreadable CSV, no key, the key refused).";

#[derive(Debug, Clone, Subcommand)]
pub enum DbCommand {
    /// Copy everything (users, API tokens, invitations, campaigns, creatives, the activity
    /// log) from one database to another, e.g. SQLite to PostgreSQL, in one transaction, then
    /// check that every table has as many rows as the source. Stop the server first.
    #[command(
        after_help = "Example:\n  utmforge db copy --from sqlite://data/utmforge.db --to postgres://utmforge:secret@db.internal/utmforge\n\n\
        The target must be empty unless --force (which empties it first: a SQLite target file is\n\
        replaced, a PostgreSQL target's tables are emptied). Signed-in sessions are not copied:\n\
        people sign in again. Exit codes: 0 copied and checked; 2 refused (non-empty target, bad\n\
        URL); 1 the copy or its check failed (nothing is left half-copied)."
    )]
    Copy {
        /// The database to read (it is not changed).
        #[arg(long)]
        from: String,
        /// The database to write.
        #[arg(long)]
        to: String,
        /// Empty a target that already holds data, then copy.
        #[arg(long)]
        force: bool,
    },
}

const USER_EXAMPLES: &str = "\
Examples:
  utmforge user add --email dana@example.com --role owner        (asks for the password)
  printf '%s\\n' \"$PASSWORD\" | utmforge user add --email ci@example.com --role viewer
  utmforge user list
  utmforge user set-role --email sam@example.com --role editor
  utmforge user disable --email sam@example.com
  utmforge user set-password --email sam@example.com                (asks for the new one)

Roles: viewer (see, copy, export, GA4 documents, audit) < editor (+ create, edit, delete,
import) < admin (+ people, others' tokens) < owner (+ admins).
Exit codes: 0 done; 2 invalid input; 1 the database failed.";

/// Where the account commands find the database.
#[derive(Debug, Clone, clap::Args)]
pub struct DatabaseArg {
    /// The database (the server's): sqlite://path/to/file.db or
    /// postgres://user:password@host:5432/database.
    #[arg(long, env = "UTMFORGE_DATABASE_URL", default_value = utmforge_store::DEFAULT_DATABASE_URL)]
    pub database_url: String,
}

/// A role as core reads it (`Editor`, ` viewer`): clap says which value was wrong.
fn role(text: &str) -> Result<Role, String> {
    text.parse().map_err(|n: utmforge_core::Notice| n.message)
}

#[derive(Debug, Clone, Subcommand)]
pub enum UserCommand {
    /// Add an account; reads its password from standard input (no echo on a terminal) and
    /// prints the new user's id.
    #[command(after_help = USER_EXAMPLES)]
    Add {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "editor", value_parser = role)]
        role: Role,
        /// The name shown in the activity log (default: the part of the email before @).
        #[arg(long)]
        name: Option<String>,
        #[command(flatten)]
        db: DatabaseArg,
    },
    /// List every account: id, email, role, status, name.
    #[command(after_help = USER_EXAMPLES)]
    List {
        #[command(flatten)]
        db: DatabaseArg,
    },
    /// Change someone's role.
    #[command(after_help = USER_EXAMPLES)]
    SetRole {
        #[arg(long)]
        email: String,
        #[arg(long, value_parser = role)]
        role: Role,
        #[command(flatten)]
        db: DatabaseArg,
    },
    /// Stop someone signing in; their sessions and tokens stop at once.
    #[command(after_help = USER_EXAMPLES)]
    Disable {
        #[arg(long)]
        email: String,
        #[command(flatten)]
        db: DatabaseArg,
    },
    /// Let a disabled account sign in again.
    #[command(after_help = USER_EXAMPLES)]
    Enable {
        #[arg(long)]
        email: String,
        #[command(flatten)]
        db: DatabaseArg,
    },
    /// Set a new password for someone who forgot theirs (read from standard input, as `add`).
    #[command(after_help = USER_EXAMPLES)]
    SetPassword {
        #[arg(long)]
        email: String,
        #[command(flatten)]
        db: DatabaseArg,
    },
}

#[derive(Debug, Clone, Subcommand)]
pub enum TokenCommand {
    /// Create an API token for a user and print it (the only time it is shown).
    #[command(
        after_help = "Example:\n  TOKEN=$(utmforge token create --email ci@example.com --name ci --role viewer)\n  curl -H \"Authorization: Bearer $TOKEN\" http://127.0.0.1:3000/api/v1/campaigns"
    )]
    Create {
        #[arg(long)]
        email: String,
        /// What the token is for (shown in the token list).
        #[arg(long)]
        name: String,
        /// Its role: at most the user's (default: the user's).
        #[arg(long, value_parser = role)]
        role: Option<Role>,
        #[command(flatten)]
        db: DatabaseArg,
    },
}

const GA4_EXAMPLES: &str = "\
Examples:
  utmforge ga4 channel-group > channel-group.json
  utmforge ga4 channel-group --instructions
  utmforge ga4 funnel --conversion order_created --campaign \"Spring Sale 2025\"
  utmforge ga4 report --campaign spring-sale-2025
  utmforge ga4 apply-script --property 123456789 --conversion purchase > apply.sh

--conversion takes an OpenAI pixel event (order_created → purchase, lead_created →
generate_lead, registration_completed → sign_up, checkout_started → begin_checkout,
items_added → add_to_cart, contents_viewed → view_item; subscription_created, trial_started,
appointment_scheduled stay as they are) or any valid GA4 event name.
Exit codes: 0 printed; 2 invalid input.";

#[derive(Debug, Clone, Subcommand)]
pub enum Ga4Command {
    /// The Admin API ChannelGroup: "ChatGPT Ads" first, then Google's default channels.
    #[command(after_help = GA4_EXAMPLES)]
    ChannelGroup(Ga4Output),
    /// The Data API runFunnelReport body: ad click → engagement → micro-conversion → conversion.
    #[command(after_help = GA4_EXAMPLES)]
    Funnel(FunnelArgs),
    /// The Data API runReport body: ChatGPT ad sessions by campaign, creative and topic.
    #[command(after_help = GA4_EXAMPLES)]
    Report(ReportArgs),
    /// A shell script (curl + gcloud) that creates the channel group and runs both reports.
    #[command(after_help = GA4_EXAMPLES)]
    ApplyScript(ApplyScriptArgs),
    /// The cost data file for GA4's Data Import (data source type "Cost data"): the ChatGPT ads
    /// results kept, a row per campaign (utm_id), source, medium and day, as CSV.
    #[command(after_help = COST_DATA_EXAMPLES)]
    CostData(CostDataArgs),
}

const COST_DATA_EXAMPLES: &str = "\
Examples:
  utmforge ga4 cost-data --from 2026-11-01 --to 2026-11-30 > cost-data.csv
  utmforge ga4 cost-data > last-30-days.csv

Columns: campaign_id (utm_id), campaign_name (utm_campaign), source, medium, date
(YYYY-MM-DD, the ad account's day), impressions, clicks, cost (the ad account's currency).
A day whose spend OpenAI has not reported yet is left out. Needs links that carry utm_id
(Settings). Exit codes: 0 printed; 2 invalid input or no utm_id; 1 the database failed.";

#[derive(Debug, Clone, clap::Args)]
pub struct CostDataArgs {
    /// The first day, YYYY-MM-DD (default: 29 days before --to).
    #[arg(long, value_name = "DAY")]
    pub from: Option<String>,
    /// The last day, YYYY-MM-DD, inclusive (default: today, UTC). At most 400 days in all.
    #[arg(long, value_name = "DAY")]
    pub to: Option<String>,
    #[command(flatten)]
    pub db: DatabaseArg,
}

#[derive(Debug, Clone, clap::Args)]
pub struct Ga4Output {
    /// Print step-by-step instructions for the GA4 interface instead of JSON.
    #[arg(long)]
    pub instructions: bool,
}

#[derive(Debug, Clone, clap::Args)]
pub struct FunnelArgs {
    /// The conversion that ends the funnel: an OpenAI pixel event or a GA4 event name.
    #[arg(long, value_name = "EVENT")]
    pub conversion: String,

    /// Only this campaign (its utm_campaign value; a name is slugged).
    #[arg(long, value_name = "SLUG")]
    pub campaign: Option<String>,

    #[command(flatten)]
    pub output: Ga4Output,
}

#[derive(Debug, Clone, clap::Args)]
pub struct ReportArgs {
    /// Only this campaign (its utm_campaign value; a name is slugged).
    #[arg(long, value_name = "SLUG")]
    pub campaign: Option<String>,

    #[command(flatten)]
    pub output: Ga4Output,
}

#[derive(Debug, Clone, clap::Args)]
pub struct ApplyScriptArgs {
    /// The GA4 property id (the number under Admin › Property details).
    #[arg(long, value_name = "ID")]
    pub property: String,

    /// The funnel's conversion: an OpenAI pixel event or a GA4 event name.
    #[arg(long, value_name = "EVENT", default_value = "purchase")]
    pub conversion: String,

    /// Restrict the funnel and the report to this campaign.
    #[arg(long, value_name = "SLUG")]
    pub campaign: Option<String>,
}

const TAG_EXAMPLES: &str = "\
Examples:
  utmforge tag --url example.com/pricing --campaign \"Spring Sale\" --medium cpc --content headline-v2
  utmforge tag --url https://example.com/ --campaign spring-sale --medium CPM --json
  utmforge tag --csv links.csv > tagged.csv
  cat links.csv | utmforge tag --csv -

Exit codes: 0 tagged (warnings go to stderr); 2 invalid input; 3 some CSV rows failed.
CSV: a header row naming url, campaign, medium and optionally content, term, id (any order,
any case; other columns pass through). Output: every input column, then tagged_url, warnings,
error.";

const LINT_EXAMPLES: &str = "\
Examples:
  utmforge lint 'https://example.com/?utm_source=ChatGPT&utm_medium=cpc'
  utmforge lint --json URL1 URL2

Exit codes: 0 every URL is clean; 1 some URL has findings; 2 invalid usage.";

#[derive(Debug, Clone, clap::Args)]
pub struct TagArgs {
    /// The landing URL (https:// is added when no scheme is given).
    #[arg(long, required_unless_present = "csv", conflicts_with = "csv")]
    pub url: Option<String>,

    /// Campaign name or slug: gives utm_campaign.
    #[arg(long, required_unless_present = "csv", conflicts_with = "csv")]
    pub campaign: Option<String>,

    /// Buying model, cpc or cpm (any case): gives utm_medium.
    #[arg(long, required_unless_present = "csv", conflicts_with = "csv")]
    pub medium: Option<String>,

    /// Creative variant: gives utm_content.
    #[arg(long, conflicts_with = "csv")]
    pub content: Option<String>,

    /// Conversation topic: gives utm_term.
    #[arg(long, conflicts_with = "csv")]
    pub term: Option<String>,

    /// Stable campaign id: gives utm_id (kept as written).
    #[arg(long, conflicts_with = "csv")]
    pub id: Option<String>,

    /// Print one JSON object instead of the URL.
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,

    /// Tag every row of this CSV file (`-` for standard input); writes CSV to standard output.
    #[arg(long, value_name = "FILE")]
    pub csv: Option<PathBuf>,
}

const CHECK_EXAMPLES: &str = "\
Examples:
  utmforge check 'https://example.com/?utm_source=chatgpt&utm_medium=cpc&utm_campaign=spring'
  utmforge check --json URL URL…
  utmforge check --campaign spring-sale --database-url sqlite://data/utmforge.db

Loopback, private, link-local (169.254.0.0/16: cloud metadata), multicast and unspecified
addresses are refused, checked after DNS on every hop; --link-check-allow-private lifts this
(intranets, tests). Timeouts: 5 s to connect, 20 s per URL; pages read up to 2 MiB.
Exit codes: 0 every URL ok; 1 a finding (an error or a warning); 2 invalid usage.";

#[derive(Debug, Clone, clap::Args)]
pub struct CheckArgs {
    /// The URLs to follow (at most 100).
    #[arg(value_name = "URL", required_unless_present = "campaign")]
    pub urls: Vec<String>,

    /// Check every creative of this campaign (its utm_campaign, or its id) instead, from the
    /// database; the results are stored and shown on the campaign's page.
    #[arg(long, value_name = "SLUG", conflicts_with = "urls")]
    pub campaign: Option<String>,

    /// The database of --campaign (the server's): sqlite://path/to/file.db or
    /// postgres://user:password@host:5432/database.
    #[arg(long, env = "UTMFORGE_DATABASE_URL", default_value = utmforge_store::DEFAULT_DATABASE_URL)]
    pub database_url: String,

    /// Print JSON (one array of reports) instead of text.
    #[arg(long)]
    pub json: bool,

    /// Follow URLs that lead to loopback or private addresses too.
    #[arg(long, env = "UTMFORGE_LINK_CHECK_ALLOW_PRIVATE")]
    pub link_check_allow_private: bool,
}

#[derive(Debug, Clone, clap::Args)]
pub struct LintArgs {
    /// The URLs to check.
    #[arg(required = true, value_name = "URL")]
    pub urls: Vec<String>,

    /// Print JSON (one array of reports) instead of text.
    #[arg(long)]
    pub json: bool,
}

impl Cli {
    /// The subcommand to run; `serve` when none was named.
    pub fn into_command(self) -> Command {
        self.command.unwrap_or(Command::Serve(self.serve))
    }
}

#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, env = "UTMFORGE_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,

    /// Directory holding the built site (the `pkg/` folder with the WASM, JS and CSS), as
    /// written by `cargo leptos build`. Relative paths are taken from the working directory.
    #[arg(long, env = "UTMFORGE_SITE_ROOT", default_value = "target/site")]
    pub site_root: PathBuf,

    /// The database: sqlite://path/to/file.db (created with its folder if missing; one
    /// instance) or postgres://user:password@host:5432/database (which must exist; any number
    /// of instances).
    #[arg(long, env = "UTMFORGE_DATABASE_URL", default_value = utmforge_store::DEFAULT_DATABASE_URL)]
    pub database_url: String,

    /// Most database connections this instance holds.
    #[arg(long, env = "UTMFORGE_DB_POOL_SIZE", default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub db_pool_size: u32,

    /// Longest a request waits for a database connection (connecting included) before it
    /// fails with 503, e.g. 3s or 500ms.
    #[arg(long, env = "UTMFORGE_DB_CONNECT_TIMEOUT", default_value = "3s", value_parser = parse_duration)]
    pub db_connect_timeout: std::time::Duration,

    /// Longest one SQL statement may run (PostgreSQL's statement_timeout), e.g. 30s.
    #[arg(long, env = "UTMFORGE_DB_STATEMENT_TIMEOUT", default_value = "30s", value_parser = parse_duration)]
    pub db_statement_timeout: std::time::Duration,

    /// Do not apply migrations at start (a deploy pipeline runs `utmforge migrate`): until
    /// the database is up to date, /readyz answers 503.
    #[arg(long, env = "UTMFORGE_NO_MIGRATE")]
    pub no_migrate: bool,

    /// Log format: `text` for people, `json` for log collectors. Levels come from RUST_LOG
    /// (default `info`).
    #[arg(long, env = "UTMFORGE_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,

    /// The address people use, e.g. https://utm.example.com (behind a TLS proxy). Requests for
    /// other host names are refused (IP addresses and localhost always work); https turns on
    /// Secure cookies and HSTS.
    #[arg(long, env = "UTMFORGE_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// Send the session cookie only over https (default: on when --public-url is https).
    #[arg(long, env = "UTMFORGE_SECURE_COOKIES")]
    pub secure_cookies: Option<bool>,

    /// Behind a reverse proxy: take the client's address from the last X-Forwarded-For entry
    /// (for the per-address sign-in limit). Only with a proxy that sets it.
    #[arg(long, env = "UTMFORGE_TRUST_PROXY")]
    pub trust_proxy: bool,

    /// Let the link check follow URLs to loopback and private addresses (intranet landing
    /// pages; tests). Off by default: people on a shared server could otherwise probe its
    /// network.
    #[arg(long, env = "UTMFORGE_LINK_CHECK_ALLOW_PRIVATE")]
    pub link_check_allow_private: bool,

    /// Re-check the links of every active campaign this often (e.g. 6h; off by default).
    /// With several instances on one database, one of them does each round.
    #[arg(long, env = "UTMFORGE_LINK_CHECK_EVERY", value_parser = parse_every)]
    pub link_check_every: Option<std::time::Duration>,

    #[command(flatten)]
    pub ads: AdsArgs,

    /// With an Advertiser API key: read every linked ad this often (drift, review, serving
    /// issues). With several instances on one database, one of them does each round.
    #[arg(long, env = "UTMFORGE_ADS_SYNC_EVERY", default_value = "15m", value_parser = parse_every)]
    pub ads_sync_every: std::time::Duration,

    /// With an Advertiser API key: pull every linked campaign's results (Insights) this often —
    /// 90 days back the first time, then the last 2 days again. One instance does each round.
    #[arg(long, env = "UTMFORGE_ADS_RESULTS_EVERY", default_value = "1h", value_parser = parse_every)]
    pub ads_results_every: std::time::Duration,
}

impl ServeArgs {
    /// How the store connects, from the database flags.
    pub fn store_options(&self) -> utmforge_store::StoreOptions {
        utmforge_store::StoreOptions {
            max_connections: self.db_pool_size,
            connect_timeout: self.db_connect_timeout,
            statement_timeout: self.db_statement_timeout,
            migrate: !self.no_migrate,
        }
    }
}

/// `"30s"` → `("30", "s")`.
fn number_and_unit(text: &str) -> (&str, &str) {
    text.split_at(
        text.find(|c: char| !c.is_ascii_digit())
            .unwrap_or(text.len()),
    )
}

/// How often something recurs: `30s`, `15m`, `6h`, `1d`; from 1 second to 30 days.
pub fn parse_every(text: &str) -> Result<std::time::Duration, String> {
    let text = text.trim();
    let (number, unit) = number_and_unit(text);
    let wrong = || format!("{text:?} is not an interval: write e.g. 30m, 6h or 1d");
    let n: u64 = number.parse().map_err(|_| wrong())?;
    let seconds = match unit {
        "s" => n,
        "m" => n.saturating_mul(60),
        "h" => n.saturating_mul(3600),
        "d" => n.saturating_mul(86_400),
        _ => return Err(wrong()),
    };
    if !(1..=30 * 86_400).contains(&seconds) {
        return Err(format!("{text:?} is out of range: from 1s to 30d"));
    }
    Ok(std::time::Duration::from_secs(seconds))
}

/// A duration such as `500ms`, `3s`, `2m` (a bare number is seconds); from 1 ms to 1 hour.
pub fn parse_duration(text: &str) -> Result<std::time::Duration, String> {
    let text = text.trim();
    let (number, unit) = number_and_unit(text);
    let n: u64 = number
        .parse()
        .map_err(|_| format!("{text:?} is not a duration: write e.g. 500ms, 3s or 2m"))?;
    let ms = match unit {
        "ms" => n,
        "" | "s" => n.saturating_mul(1000),
        "m" => n.saturating_mul(60_000),
        _ => {
            return Err(format!(
                "{text:?} is not a duration: write e.g. 500ms, 3s or 2m"
            ))
        }
    };
    if !(1..=3_600_000).contains(&ms) {
        return Err(format!("{text:?} is out of range: from 1ms to 60m"));
    }
    Ok(std::time::Duration::from_millis(ms))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Command, clap::Error> {
        Cli::try_parse_from(args).map(Cli::into_command)
    }

    #[test]
    fn no_subcommand_means_serve_with_defaults() {
        let Command::Serve(args) = parse(&["utmforge"]).unwrap() else {
            panic!("not serve")
        };
        assert_eq!(args.addr.to_string(), "127.0.0.1:3000");
        assert_eq!(args.site_root, PathBuf::from("target/site"));
        assert_eq!(args.log_format, LogFormat::Text);
    }

    #[test]
    fn serve_takes_an_address() {
        let Command::Serve(args) = parse(&["utmforge", "serve", "--addr", "0.0.0.0:8080"]).unwrap()
        else {
            panic!("not serve")
        };
        assert_eq!(args.addr.to_string(), "0.0.0.0:8080");
    }

    #[test]
    fn tag_needs_url_campaign_and_medium_unless_csv() {
        assert!(parse(&["utmforge", "tag", "--url", "example.com"]).is_err());
        assert!(parse(&["utmforge", "tag", "--csv", "-"]).is_ok());
        assert!(parse(&["utmforge", "tag", "--csv", "-", "--url", "x"]).is_err());
    }

    #[test]
    fn database_flags_have_defaults_and_bounds() {
        let Command::Serve(args) = parse(&["utmforge"]).unwrap() else {
            panic!("not serve")
        };
        let options = args.store_options();
        assert_eq!(options.max_connections, 8);
        assert_eq!(options.connect_timeout.as_millis(), 3000);
        assert!(options.migrate);
        let Command::Serve(args) = parse(&[
            "utmforge",
            "--db-pool-size",
            "20",
            "--db-connect-timeout",
            "500ms",
            "--no-migrate",
        ])
        .unwrap() else {
            panic!("not serve")
        };
        let options = args.store_options();
        assert_eq!((options.max_connections, options.migrate), (20, false));
        assert_eq!(options.connect_timeout.as_millis(), 500);
        let err = parse(&["utmforge", "--db-statement-timeout", "soon"]).unwrap_err();
        assert!(err.to_string().contains("--db-statement-timeout"), "{err}");
        assert!(parse(&["utmforge", "--db-pool-size", "0"]).is_err());
    }

    #[test]
    fn a_bad_address_is_refused_naming_the_flag() {
        let err = parse(&["utmforge", "serve", "--addr", "localhost"]).unwrap_err();
        assert!(err.to_string().contains("--addr"), "{err}");
    }
}
