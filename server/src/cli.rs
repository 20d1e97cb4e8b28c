//! The `utmforge` command line: `serve` (the default) now; `tag`, `lint` and `ga4` later.

use clap::{Parser, Subcommand, ValueEnum};
use std::net::SocketAddr;
use std::path::PathBuf;

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

    /// Log format: `text` for people, `json` for log collectors. Levels come from RUST_LOG
    /// (default `info`).
    #[arg(long, env = "UTMFORGE_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
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
        let Command::Serve(args) = parse(&["utmforge"]).unwrap();
        assert_eq!(args.addr.to_string(), "127.0.0.1:3000");
        assert_eq!(args.site_root, PathBuf::from("target/site"));
        assert_eq!(args.log_format, LogFormat::Text);
    }

    #[test]
    fn serve_takes_an_address() {
        let Command::Serve(args) = parse(&["utmforge", "serve", "--addr", "0.0.0.0:8080"]).unwrap();
        assert_eq!(args.addr.to_string(), "0.0.0.0:8080");
    }

    #[test]
    fn a_bad_address_is_refused_naming_the_flag() {
        let err = parse(&["utmforge", "serve", "--addr", "localhost"]).unwrap_err();
        assert!(err.to_string().contains("--addr"), "{err}");
    }
}
