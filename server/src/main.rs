use clap::Parser;
use server::cli::{Cli, Command, LogFormat, ServeArgs};
use server::commands;
use std::io::Write;
use std::process::ExitCode;
use tracing_subscriber::EnvFilter;

fn main() -> ExitCode {
    let command = Cli::parse().into_command();
    if let Command::Serve(args) = command {
        // No lock on stdout here: the server's log lines are written from worker threads.
        return serve(args);
    }
    let mut stdout = std::io::stdout().lock();
    let mut stderr = std::io::stderr().lock();
    let result = commands::run(command, &mut stdout, &mut stderr);
    match result {
        Ok(code) => ExitCode::from(code),
        // A closed pipe (`utmforge tag --csv big.csv | head`) is not an error worth a message.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(stderr, "error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn init_logging(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().flatten_event(true).init(),
    }
}

fn serve(args: ServeArgs) -> ExitCode {
    init_logging(args.log_format);
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("error: could not start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        #[cfg(feature = "benchmark-without-auth")]
        {
            if !args.addr.ip().is_loopback() {
                eprintln!("error: this is a benchmark build that lets every request in without signing in; it serves loopback only");
                return ExitCode::FAILURE;
            }
            tracing::warn!("BENCHMARK BUILD: requests without credentials act as the command line (never run this for people)");
        }
        let options = server::web::leptos_options(&args.site_root, args.addr);
        if !args.site_root.join("pkg").is_dir() {
            tracing::warn!(
                site_root = %args.site_root.display(),
                "no pkg/ folder under the site root: pages will render but not hydrate; build with `cargo leptos build --release`"
            );
        }
        let store = match utmforge_store::Store::open_with(&args.database_url, &args.store_options()).await {
            Ok(store) => store,
            Err(err) => {
                eprintln!("error: {err} (--database-url / UTMFORGE_DATABASE_URL)");
                return ExitCode::FAILURE;
            }
        };
        // Users, tokens and sessions in memory; changes reach every instance at once (store's
        // auth_cache: PostgreSQL notifications, SQLite's WAL index).
        store.keep_auth_in_memory();
        tracing::info!(
            database = %utmforge_store::redact(&args.database_url),
            backend = store.backend().name(),
            pool_size = args.db_pool_size,
            "database ready"
        );
        if args.no_migrate {
            match store.pending_migrations().await {
                Ok(0) => {}
                Ok(n) => tracing::warn!(pending = n, "--no-migrate: the database lacks migrations; /readyz answers 503 until `utmforge migrate` has run"),
                Err(err) => tracing::warn!(error = %err, "cannot check the database's migrations"),
            }
        }
        let site = match server::security::Site::new(
            args.public_url.as_deref(),
            args.secure_cookies,
            args.trust_proxy,
        ) {
            Ok(site) => site,
            Err(err) => {
                eprintln!("error: {err}");
                return ExitCode::FAILURE;
            }
        };
        let checker = match utmforge_service::linkcheck::Checker::new(args.link_check_allow_private) {
            Ok(checker) => checker,
            Err(err) => {
                eprintln!("error: {err}");
                return ExitCode::FAILURE;
            }
        };
        // The Advertiser API key: from --ads-api-key-file or OPENAI_ADS_API_KEY, never logged.
        let ads = match args.ads.client() {
            Ok(ads) => ads.map(std::sync::Arc::new),
            Err(err) => {
                eprintln!("error: {err}");
                return ExitCode::FAILURE;
            }
        };
        if ads.is_some() {
            tracing::info!("connected to the Advertiser API (ChatGPT Ads)");
        }
        let ctx = utmforge_service::Ctx {
            links: Some(checker),
            ads,
            ..utmforge_service::Ctx::new(store.clone(), utmforge_service::Actor::Anonymous)
        };
        // Creatives written before the link history was kept get their current URL in it.
        tokio::spawn(server::web::start_link_history(ctx.clone()));
        if let Some(every) = args.link_check_every {
            tokio::spawn(server::web::recheck_links(ctx.clone(), every));
        }
        if ctx.ads.is_some() {
            tokio::spawn(server::web::sync_ads(ctx.clone(), args.ads_sync_every));
            tokio::spawn(server::web::pull_results(ctx.clone(), args.ads_results_every));
        }
        let app = server::web::router(options, ctx, site.clone());
        // Expired sessions are deleted from the database every ten minutes.
        tokio::spawn(server::web::delete_expired_sessions(store.clone()));
        let listener = match tokio::net::TcpListener::bind(args.addr).await {
            Ok(listener) => listener,
            Err(err) => {
                eprintln!("error: cannot listen on {} (--addr / UTMFORGE_ADDR): {err}", args.addr);
                return ExitCode::FAILURE;
            }
        };
        tracing::info!("utmforge listening on http://{}", args.addr);
        // First run: no account yet. The link creates the owner; it works until used.
        match utmforge_service::accounts::setup_token(&store).await {
            Ok(Some(token)) => {
                let base = site.public_url.as_ref().map_or_else(
                    || format!("http://{}", args.addr),
                    |u| u.as_str().trim_end_matches('/').to_string(),
                );
                tracing::warn!("no account exists yet: create the owner at {base}/setup?token={token}");
                eprintln!("\n  No account exists yet. Create the owner here (the link works until used):\n  {base}/setup?token={token}\n");
            }
            Ok(None) => {}
            Err(err) => tracing::error!(error = %err, "could not make a setup link"),
        }
        server::serve::serve(listener, app, shutdown_signal()).await;
        store.close().await;
        tracing::info!("utmforge stopped");
        ExitCode::SUCCESS
    })
}

/// Resolves on Ctrl-C or SIGTERM; in-flight requests then finish before the process exits.
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutdown signal received; finishing in-flight requests");
}
